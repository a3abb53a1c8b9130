package foundation.foxlight.skulklogs.common.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a YAML configuration tree and collects every problem instead of stopping
 * at the first, so that start-up can report them all at once ({@link #throwIfProblems()}). Keys are
 * dotted paths ({@code kafka.bootstrap_servers}); a key present in the file but never read is reported
 * as unknown (a typo must not be silently ignored).
 *
 * <p>Not thread-safe; used once at start-up.
 */
public final class ConfigReader {
    // A key written twice is reported, not resolved silently in favour of the last one.
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\\s*");

    private final JsonNode root;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> read = new HashSet<>();

    private ConfigReader(JsonNode root) {
        this.root = root;
    }

    /** An empty configuration: every value takes its default. */
    public static ConfigReader empty() {
        return new ConfigReader(YAML.createObjectNode());
    }

    /** Parses YAML text after {@code ${VAR}} interpolation; syntax and interpolation problems are collected. */
    public static ConfigReader parse(String yaml, Function<String, String> env, String origin) {
        List<String> early = new ArrayList<>();
        String text = Interpolation.apply(yaml, env, early);
        JsonNode tree;
        try {
            tree = text.isBlank() ? YAML.createObjectNode() : readTree(text);
            if (tree == null || isEmpty(tree)) {
                tree = YAML.createObjectNode();
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            early.add(origin + ": not valid YAML: " + e.getOriginalMessage());
            tree = YAML.createObjectNode();
        } catch (IOException | RuntimeException e) {
            early.add(origin + ": not valid YAML: " + e);
            tree = YAML.createObjectNode();
        }
        ConfigReader r = new ConfigReader(tree);
        if (!tree.isObject()) {
            early.add(origin + ": the top level must be a mapping of keys to values");
            r = new ConfigReader(YAML.createObjectNode());
        }
        for (String p : early) {
            r.problems.add(p.startsWith(origin) ? p : origin + ": " + p);
        }
        return r;
    }

    /**
     * The first YAML document as a tree whose scalars are all text, exactly as written. Jackson would read
     * the YAML 1.1 booleans {@code off}, {@code no}, {@code on}, {@code yes} as {@code false}/{@code true}, so
     * that {@code http.listen: off} arrived as "false" and {@code node_id: no} as "false"; numbers would be
     * re-formatted. The typed accessors parse the text themselves.
     */
    private static JsonNode readTree(String text) throws IOException {
        try (JsonParser p = YAML.getFactory().createParser(text)) {
            return p.nextToken() == null ? MissingNode.getInstance() : readValue(p, 0);
        }
    }

    private static JsonNode readValue(JsonParser p, int depth) throws IOException {
        if (depth > 200) {
            throw new JsonParseException(p, "nested more than 200 levels deep");
        }
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode o = YAML.createObjectNode();
            for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                if (k != JsonToken.FIELD_NAME) {
                    throw new JsonParseException(p, "unexpected " + k + " in a mapping");
                }
                String name = p.currentName();
                p.nextToken();
                o.set(name, readValue(p, depth + 1));
            }
            return o;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode a = YAML.createArrayNode();
            for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) {
                if (k == null) {
                    throw new JsonParseException(p, "unexpected end of a list");
                }
                a.add(readValue(p, depth + 1));
            }
            return a;
        }
        if (t == null) {
            throw new JsonParseException(p, "unexpected end of input");
        }
        return t == JsonToken.VALUE_NULL ? NullNode.getInstance() : TextNode.valueOf(p.getText());
    }

    /** Reads a YAML file; a missing or unreadable file is a problem, not an exception. */
    public static ConfigReader load(Path file, Function<String, String> env) {
        try {
            return parse(Files.readString(file), env, file.toString());
        } catch (IOException e) {
            ConfigReader r = empty();
            r.problems.add(file + ": cannot read: " + e);
            return r;
        }
    }

    /**
     * Sets {@code path} to {@code value}, replacing what the file said (command-line options win over the
     * file). A null value leaves the file's value.
     */
    public ConfigReader override(String path, String value) {
        int dot = path.lastIndexOf('.');
        return overrideKey(dot < 0 ? "" : path.substring(0, dot), path.substring(dot + 1), value);
    }

    /**
     * Sets the entry {@code key} of the mapping at {@code mapPath} to {@code value}, the key taken as it is: for
     * mappings whose keys hold dots, such as {@code kafka.properties} ({@code max.poll.interval.ms}). An empty
     * {@code mapPath} is the top level. A null value leaves the file's value.
     */
    public ConfigReader overrideKey(String mapPath, String key, String value) {
        if (value == null || !(root instanceof ObjectNode)) {
            return this;
        }
        ObjectNode n = (ObjectNode) root;
        for (String part : mapPath.isEmpty() ? new String[0] : mapPath.split("\\.")) {
            JsonNode child = n.get(part);
            if (!(child instanceof ObjectNode)) {
                child = n.putObject(part);
            }
            n = (ObjectNode) child;
        }
        n.put(key, value);
        return this;
    }

    private JsonNode node(String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n.isObject() ? n.path(part) : MissingNode.getInstance();
        }
        return n;
    }

    private JsonNode value(String path) {
        read.add(path);
        JsonNode n = node(path);
        return n.isMissingNode() || n.isNull() ? null : n;
    }

    /**
     * True when {@code path} has a (non-null) value. Does not count as reading it: keys under a section
     * probed with {@code has} are still reported as unknown unless read with a typed accessor.
     */
    public boolean has(String path) {
        JsonNode n = node(path);
        return !n.isMissingNode() && !n.isNull();
    }

    public String string(String path, String def) {
        JsonNode n = value(path);
        if (n == null) {
            return def;
        }
        if (!n.isValueNode()) {
            problem(path, "must be a single value, not " + kind(n));
            return def;
        }
        return n.asText();
    }

    /** A mapping of string keys to string values (e.g. pass-through Kafka client properties). */
    public java.util.Map<String, String> stringMap(String path) {
        JsonNode n = value(path);
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            problem(path, "must be a mapping of keys to values");
            return out;
        }
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode()) {
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            } else {
                problem(path + "." + e.getKey(), "must be a single value, not " + kind(e.getValue()));
            }
        });
        return out;
    }

    public List<String> stringList(String path, List<String> def) {
        JsonNode n = value(path);
        if (n == null) {
            return def;
        }
        if (n.isValueNode()) {
            List<String> parts = new ArrayList<>();
            for (String s : n.asText().split(",")) {
                if (!s.isBlank()) {
                    parts.add(s.strip());
                }
            }
            return parts;
        }
        if (!n.isArray()) {
            problem(path, "must be a list of strings");
            return def;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (e.isValueNode() && !e.isNull()) {
                out.add(e.asText());
            } else {
                problem(path + "[" + i + "]", "must be a single value, not " + kind(e));
            }
        }
        return out;
    }

    public int integer(String path, int def, int min, int max) {
        return (int) longValue(path, def, min, max);
    }

    public long longValue(String path, long def, long min, long max) {
        JsonNode n = value(path);
        if (n == null) {
            return def;
        }
        long v;
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                problem(path, "must be between " + min + " and " + max + ", got " + n.asText());
                return def;
            }
            v = n.asLong();
        } else if (!n.isValueNode()) {
            problem(path, "must be a whole number, not " + kind(n));
            return def;
        } else {
            try {
                v = Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                problem(path, "must be a whole number, got '" + n.asText() + "'");
                return def;
            }
        }
        return inRange(path, v, def, min, max, Long.toString(min), Long.toString(max));
    }

    public boolean bool(String path, boolean def) {
        JsonNode n = value(path);
        if (n == null) {
            return def;
        }
        String t = n.asText().trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> {
                problem(path, "must be true or false, got '" + n.asText() + "'");
                yield def;
            }
        };
    }

    /** A byte size: a number of bytes or {@code 512MiB}, {@code 64k}, {@code 1 GiB} (all units binary). */
    public long bytes(String path, long def, long min, long max) {
        JsonNode n = value(path);
        if (n == null) {
            return def;
        }
        Long v = parseBytes(n.asText());
        if (v == null) {
            problem(path, "must be a size such as 512MiB, 64KiB or 1048576, got '" + n.asText() + "'");
            return def;
        }
        return inRange(path, v, def, min, max, min + " bytes", max + " bytes");
    }

    /** A duration: {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 90d}, or ISO-8601 {@code PT2S}. */
    public Duration duration(String path, Duration def, Duration min, Duration max) {
        JsonNode n = value(path);
        if (n == null) {
            return def;
        }
        Duration d = parseDuration(n.asText());
        if (d == null) {
            problem(path, "must be a duration such as 500ms, 2s, 5m or 90d, got '" + n.asText() + "'");
            return def;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(path, "must be between " + min + " and " + max + ", got " + d);
            return def;
        }
        return d;
    }

    public <E extends Enum<E>> E enumValue(String path, Class<E> type, E def) {
        String s = string(path, null);
        if (s == null) {
            return def;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.trim().replace('-', '_'))) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        problem(path, "must be one of " + names + ", got '" + s + "'");
        return def;
    }

    /** Records a problem found while validating values (e.g. two keys that contradict each other). */
    public void problem(String path, String message) {
        problems.add(path + ": " + message);
    }

    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        collectUnknown(root, "", all);
        return all;
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfProblems() {
        List<String> all = problems();
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
    }

    private void collectUnknown(JsonNode n, String prefix, List<String> out) {
        if (!(n instanceof ObjectNode obj)) {
            return;
        }
        Iterator<String> names = obj.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            if (read.contains(path)) {
                continue;
            }
            boolean parentOfRead = read.stream().anyMatch(r -> r.startsWith(path + "."));
            JsonNode child = obj.get(name);
            if (parentOfRead && (child.isObject() || isEmpty(child))) {
                collectUnknown(child, path, out);
            } else if (parentOfRead) {
                // e.g. "kafka: host:9092" where a section with kafka.bootstrap_servers is expected: the
                // value would otherwise be ignored without a word.
                out.add(path + ": must be a section of keys (such as " + firstReadUnder(path) + "), not " + kind(child));
            } else {
                out.add(path + ": unknown key");
            }
        }
    }

    /** Nothing at all: {@code key:} with no value (Jackson reads it as an empty string), {@code ~}, {@code null}. */
    private static boolean isEmpty(JsonNode n) {
        return n.isMissingNode() || n.isNull() || (n.isTextual() && n.asText().isEmpty());
    }

    /** What a YAML node is, in the words of YAML ("a mapping", "a list", ...), for messages. */
    private static String kind(JsonNode n) {
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return "a string";
    }

    private String firstReadUnder(String path) {
        return read.stream().filter(r -> r.startsWith(path + ".")).sorted().findFirst().orElse(path);
    }

    private long inRange(String path, long v, long def, long min, long max, String minText, String maxText) {
        if (v < min || v > max) {
            problem(path, "must be between " + minText + " and " + maxText + ", got " + v);
            return def;
        }
        return v;
    }

    static Long parseBytes(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
            return null;
        }
        return n << shift;
    }

    /**
     * A duration as configuration files write it: one number and unit ({@code 200ms}, {@code 30s}, {@code 5m},
     * {@code 2h}, {@code 7d}) or ISO-8601 ({@code PT30S}); null when {@code text} is neither. Stateless.
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(t);
            if (!m.matches()) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Every key path a loader asked for so far (read or defaulted): the configuration's vocabulary, for docs checks. */
    public java.util.Set<String> readKeys() {
        return java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(read));
    }
}
