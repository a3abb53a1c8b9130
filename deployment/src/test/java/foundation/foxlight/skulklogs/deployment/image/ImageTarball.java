package foundation.foxlight.skulklogs.deployment.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * An image tarball in the {@code docker load} format that Jib's {@code buildTar} writes: {@code manifest.json}
 * (config and layer file names, repo tags), the config JSON, and gzip'ed layer tars. Read-only; every call
 * re-reads the file.
 *
 * @param manifest the single entry of manifest.json
 * @param config   the image config (its {@code config} object holds Entrypoint, Env, User, ...)
 */
record ImageTarball(Path file, JsonNode manifest, JsonNode config) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file in the image's merged filesystem: path without leading slash, its mode and type. */
    record Entry(String path, int mode, boolean directory, long size) {
    }

    static ImageTarball open(Path file) throws IOException {
        Map<String, byte[]> small = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.getName().endsWith(".json")) {
                    small.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        if (!small.containsKey("manifest.json")) {
            throw new IOException(file + " has no manifest.json (not a docker-load tarball; Jib <format>Docker</format> writes one)");
        }
        JsonNode manifest = JSON.readTree(small.get("manifest.json")).get(0);
        JsonNode config = JSON.readTree(small.get(manifest.path("Config").asText()));
        return new ImageTarball(file, manifest, config);
    }

    List<String> layerNames() {
        List<String> out = new ArrayList<>();
        manifest.path("Layers").forEach(l -> out.add(l.asText()));
        return out;
    }

    /** The merged filesystem: every path of every layer, later layers winning. */
    Map<String, Entry> files() throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        forEachLayer((name, in) -> {
            try (TarArchiveInputStream layer = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                for (TarArchiveEntry e; (e = layer.getNextEntry()) != null; ) {
                    String p = e.getName().replaceFirst("^\\./", "").replaceFirst("/$", "");
                    out.put(p, new Entry(p, e.getMode() & 07777, e.isDirectory(), e.getSize()));
                }
            }
        });
        return out;
    }

    /** Copies each gzip'ed layer tar, in order, to {@code dir}; returns their paths (for {@code tar -xzpf}). */
    List<Path> copyLayers(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        forEachLayer((name, in) -> {
            Path target = dir.resolve("layer-" + out.size() + ".tar.gz");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            out.add(target);
        });
        return out;
    }

    private interface LayerConsumer {
        void accept(String name, InputStream in) throws IOException;
    }

    private void forEachLayer(LayerConsumer consumer) throws IOException {
        // layers are stored in any order; visit them in manifest order (one pass per layer keeps memory flat)
        for (String wanted : layerNames()) {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    if (e.getName().equals(wanted)) {
                        consumer.accept(wanted, tar);
                        break;
                    }
                }
            }
        }
    }
}
