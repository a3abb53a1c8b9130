package foundation.foxlight.skulklogs.launcher.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The body of a skulk-logs {@code /health} answer ({@code {"ready": bool, "checks": {name: {"up", "detail"}}}}, see
 * {@code TelemetryServer}), read leniently. Immutable.
 */
record HealthBody(boolean ready, Map<String, Part> parts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One readiness condition of the component. */
    record Part(String name, boolean up, String detail) {
        @Override
        public String toString() {
            return name + ": " + detail;
        }
    }

    /** Empty when the body is not a skulk-logs health document. */
    static Optional<HealthBody> parse(String body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.path("ready").isBoolean()) {
                return Optional.empty();
            }
            Map<String, Part> parts = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("checks").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                parts.put(e.getKey(), new Part(e.getKey(), e.getValue().path("up").asBoolean(false), e.getValue().path("detail").asText("")));
            }
            return Optional.of(new HealthBody(root.path("ready").asBoolean(), parts));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    List<Part> down() {
        List<Part> out = new ArrayList<>();
        parts.values().forEach(p -> {
            if (!p.up()) {
                out.add(p);
            }
        });
        return out;
    }

    /** Whether the part called {@code name} is up (false when absent). */
    boolean up(String name) {
        Part p = parts.get(name);
        return p != null && p.up();
    }

    String describe(List<Part> which) {
        return String.join("; ", which.stream().map(Part::toString).toList());
    }
}
