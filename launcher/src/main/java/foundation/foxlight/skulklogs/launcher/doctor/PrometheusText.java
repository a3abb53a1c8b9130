package foundation.foxlight.skulklogs.launcher.doctor;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample's value out of a Prometheus text exposition ({@code /metrics}). Stateless. */
final class PrometheusText {
    private PrometheusText() {
    }

    /** The value of the first sample of {@code metric} (any labels), empty when absent. */
    static OptionalDouble value(String exposition, String metric) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(?:\\{[^}]*\\})?\\s+(\\S+)").matcher(exposition);
        if (!m.find()) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
