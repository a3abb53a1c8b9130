package foundation.foxlight.skulklogs.schema;

import java.util.Objects;

/**
 * A JSON value kept verbatim (compact JSON text): a fraction, a number beyond {@code long}, an object
 * or an array. Writing it back emits exactly this text, so such values round-trip unchanged.
 */
public record JsonText(String json) {
    public JsonText {
        Objects.requireNonNull(json, "json");
    }

    @Override
    public String toString() {
        return json;
    }
}
