package foundation.foxlight.skulklogs.agent.source;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands {@code sources.files.include} into the files to tail. A plain path is always included (it is
 * followed even before it exists); a pattern with glob characters ({@code * ? [ {}) in its file name is
 * matched against the files of its directory ({@code /var/log/skulk/*.log}; {@code **} is not supported:
 * name the directories). Files a pattern matches are left out when their name matches one of the {@code exclude}
 * globs (rotated copies); a plain path is never excluded. Stateless; {@link #discover()} does blocking directory
 * listings.
 */
public final class FileDiscovery {
    private final List<String> include;
    private final List<PathMatcher> exclude = new ArrayList<>();

    /** @throws java.util.regex.PatternSyntaxException for a malformed {@code exclude} glob (see {@link #globProblem}) */
    public FileDiscovery(List<String> include, List<String> exclude) {
        this.include = List.copyOf(include);
        for (String glob : exclude) {
            this.exclude.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
        }
    }

    /** Why {@code glob} is not a usable file-name glob, or null. */
    public static String globProblem(String glob) {
        if (glob.isBlank() || glob.contains("/")) {
            return "'" + glob + "' must be a glob on file names, without '/'";
        }
        try {
            FileSystems.getDefault().getPathMatcher("glob:" + glob);
            return null;
        } catch (java.util.regex.PatternSyntaxException e) {
            return "'" + glob + "' is not a glob: " + e.getDescription();
        }
    }

    /** Whether {@code s} holds glob characters ({@code * ? [ {}), i.e. is matched rather than followed as it is. */
    public static boolean isPattern(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** The files to tail now, in a stable order. */
    public Set<Path> discover() throws IOException {
        Set<Path> out = new LinkedHashSet<>();
        for (String p : include) {
            Path path = Path.of(p);
            if (!isPattern(p)) {
                out.add(path);
                continue;
            }
            Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
            if (isPattern(dir.toString())) {
                throw new IOException("glob characters are only supported in the file name, not in the directory: " + p);
            }
            if (!Files.isDirectory(dir)) {
                continue;
            }
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path.getFileName());
            List<Path> found = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> matcher.matches(f.getFileName()) && !excluded(f.getFileName()) && Files.isRegularFile(f))
                        .forEach(found::add);
            }
            found.sort(null);
            out.addAll(found);
        }
        return out;
    }

    private boolean excluded(Path name) {
        for (PathMatcher m : exclude) {
            if (m.matches(name)) {
                return true;
            }
        }
        return false;
    }
}
