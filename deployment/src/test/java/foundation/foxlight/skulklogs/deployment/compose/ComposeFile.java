package foundation.foxlight.skulklogs.deployment.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * A compose file of {@code deployment/} as a tree, as {@code docker compose} reads it before interpolation:
 * YAML anchors and merge keys ({@code <<: *x}) resolved by SnakeYAML, then Jackson nodes to navigate.
 * Immutable; one instance per file.
 */
public record ComposeFile(Path path, JsonNode root) {
    /** {@code deployment/} (surefire runs in the module directory). */
    static final Path DEPLOYMENT_DIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEFAULTED = Pattern.compile("^\\$\\{[A-Z0-9_]+:-([^}]+)}$");

    static ComposeFile load(String name) {
        Path p = DEPLOYMENT_DIR.resolve(name);
        try (Reader r = Files.newBufferedReader(p)) {
            Object tree = new Yaml().load(r);
            return new ComposeFile(p, JSON.valueToTree(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The healthcheck test of the first relay in a compose file, e.g. {@code [CMD, java, ..., URL]}. */
    public static List<String> relayHealthCheck(String file) {
        List<String> out = new ArrayList<>();
        load(file).relays().values().iterator().next().path("healthcheck").path("test").forEach(t -> out.add(t.asText()));
        return out;
    }

    /** Services by name, in file order. */
    Map<String, JsonNode> services() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.path("services").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    JsonNode service(String name) {
        JsonNode s = root.path("services").path(name);
        if (s.isMissingNode()) {
            throw new AssertionError(path.getFileName() + " has no service " + name);
        }
        return s;
    }

    /** The image reference a service runs; for {@code ${VAR:-default}} the default. */
    static String image(JsonNode service) {
        String image = service.path("image").asText();
        Matcher m = DEFAULTED.matcher(image);
        return m.matches() ? m.group(1) : image;
    }

    /** A service's environment value (map or list form), null when absent. */
    static String env(JsonNode service, String key) {
        JsonNode env = service.path("environment");
        if (env.isObject()) {
            return env.has(key) ? env.get(key).asText() : null;
        }
        for (JsonNode e : env) {
            String s = e.asText();
            if (s.startsWith(key + "=")) {
                return s.substring(key.length() + 1);
            }
        }
        return null;
    }

    /** The command as a list of arguments (array form or one string split at spaces). */
    static List<String> command(JsonNode service) {
        JsonNode c = service.path("command");
        List<String> out = new ArrayList<>();
        if (c.isArray()) {
            c.forEach(a -> out.add(a.asText()));
        } else if (c.isTextual()) {
            out.addAll(List.of(c.asText().trim().split("\\s+")));
        }
        return out;
    }

    /** Services running the skulk-logs relay. */
    Map<String, JsonNode> relays() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        services().forEach((n, s) -> {
            if (!command(s).isEmpty() && command(s).get(0).equals("relay")) {
                out.put(n, s);
            }
        });
        return out;
    }

    /** Services running the given image repository (any tag). */
    Map<String, JsonNode> servicesOf(String repository) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        services().forEach((n, s) -> {
            if (image(s).startsWith(repository + ":")) {
                out.put(n, s);
            }
        });
        return out;
    }
}
