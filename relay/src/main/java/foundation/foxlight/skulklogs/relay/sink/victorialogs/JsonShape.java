package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * How VictoriaLogs will see a verbatim JSON value: whether it is valid JSON at all, and for an object
 * how many fields it flattens into ({@code a.b.c}) and how long the longest flattened name is.
 *
 * @param valid the text is exactly one valid JSON value
 * @param object the value is a JSON object (flattened by VictoriaLogs)
 * @param fields fields it becomes in VictoriaLogs (1 for anything but an object; an empty object counts 1)
 * @param longestNameBytes UTF-8 bytes of the longest flattened field name, the top-level name included
 */
record JsonShape(boolean valid, boolean object, int fields, int longestNameBytes) {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    static JsonShape of(String topName, String json) {
        int topBytes = JsonLength.utf8Length(topName);
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new JsonShape(false, false, 1, topBytes);
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                return new JsonShape(p.nextToken() == null, false, 1, topBytes);
            }
            // depth-first walk over the object with the byte length of each level's name prefix
            int[] prefix = new int[16];
            int[] children = new int[16];
            int depth = 0;
            prefix[0] = topBytes;
            int fields = 0;
            int longest = topBytes;
            int pendingName = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        children[depth]++;
                        pendingName = prefix[depth] + 1 + JsonLength.utf8Length(p.currentName());
                    }
                    case START_OBJECT -> {
                        depth++;
                        if (depth == prefix.length) {
                            prefix = java.util.Arrays.copyOf(prefix, depth * 2);
                            children = java.util.Arrays.copyOf(children, depth * 2);
                        }
                        prefix[depth] = pendingName;
                        children[depth] = 0;
                    }
                    case END_OBJECT -> {
                        if (children[depth] == 0) {
                            fields++; // an empty object: counted, to be safe
                            longest = Math.max(longest, prefix[depth]);
                        }
                        depth--;
                        if (depth < 0) {
                            return new JsonShape(p.nextToken() == null, true, Math.max(fields, 1), longest);
                        }
                    }
                    case START_ARRAY -> {
                        p.skipChildren();
                        fields++;
                        longest = Math.max(longest, pendingName);
                    }
                    default -> {
                        fields++;
                        longest = Math.max(longest, pendingName);
                    }
                }
            }
            return new JsonShape(false, true, Math.max(fields, 1), longest);
        } catch (IOException | RuntimeException e) {
            return new JsonShape(false, false, 1, topBytes);
        }
    }
}
