package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written RFC3339 reader of {@link TimestampCheck} against the regular expression + {@code java.time}
 * parsing it replaced (kept here as the oracle): the same instant or the same refusal for every input.
 */
class TimestampCheckTest {
    private static final Pattern ORACLE_FORM = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})?");

    /** The former implementation: regex, then {@code LocalDateTime.parse} (strict) and {@code ZoneOffset.of}. */
    static Instant oracle(String s) {
        Matcher m = ORACLE_FORM.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
            return m.group(3) == null ? local.toInstant(ZoneOffset.UTC) : ZonedDateTime.of(local, ZoneOffset.of(m.group(3))).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    @ParameterizedTest
    @CsvSource({
            "2026-05-04T12:00:00Z, 2026-05-04T12:00:00Z",
            "2026-05-04T12:00:00.123Z, 2026-05-04T12:00:00.123Z",
            "2026-05-04T12:00:00.123456789Z, 2026-05-04T12:00:00.123456789Z",
            "2026-05-04T12:00:00.1+02:00, 2026-05-04T10:00:00.1Z",
            "2026-05-04T12:00:00-05:30, 2026-05-04T17:30:00Z",
            "2026-05-04T12:00:00, 2026-05-04T12:00:00Z",
            "2024-02-29T23:59:59.999999999+18:00, 2024-02-29T05:59:59.999999999Z",
    })
    void readsRfc3339(String text, String expected) {
        assertThat(TimestampCheck.parseRfc3339(text)).isEqualTo(Instant.parse(expected)).isEqualTo(oracle(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-05-04T24:00:00Z", "2026-05-04T12:60:00Z",
            "2026-05-04T12:00:60Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-05-04T12:00:00.Z",
            "2026-05-04T12:00:00.1234567890Z", "2026-05-04T12:00:00+19:00", "2026-05-04T12:00:00+01:60", "2026-05-04T12:00:00+0100",
            "2026-05-04 12:00:00Z", "2026-05-04T12:00:00z", "2026-05-04T12:00:00ZZ", "2026-05-04T12:00Z", "2026-5-04T12:00:00Z",
            "2026-05-04T12:00:00.12a", "２０２６-05-04T12:00:00Z", "2026-05-04T12:00:00+01:00 "})
    void refusesWhatTheFormerParserRefused(String text) {
        assertThat(oracle(text)).isNull();
        assertThat(TimestampCheck.parseRfc3339(text)).isNull();
    }

    @Property(tries = 3000)
    void agreesWithTheFormerParser(@ForAll("timestampLike") String text) {
        assertThat(TimestampCheck.parseRfc3339(text)).isEqualTo(oracle(text));
    }

    @Provide
    Arbitrary<String> timestampLike() {
        Arbitrary<String> digits2 = Arbitraries.integers().between(0, 99).map(i -> String.format("%02d", i));
        Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(11).map(f -> "." + f));
        Arbitrary<String> zone = Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("Z"),
                Combinators.combine(Arbitraries.of("+", "-"), digits2, digits2).as((s, h, m) -> s + h + ":" + m));
        Arbitrary<String> wellFormed = Combinators.combine(Arbitraries.integers().between(0, 9999).map(y -> String.format("%04d", y)),
                digits2, digits2, digits2, digits2, digits2, fraction, zone)
                .as((y, mo, d, h, mi, s, f, z) -> y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":" + s + f + z);
        // and the same with one character replaced or dropped
        return Arbitraries.oneOf(wellFormed, wellFormed.flatMap(s -> Combinators.combine(
                Arbitraries.integers().between(0, s.length() - 1), Arbitraries.of('0', '9', 'T', 'Z', ':', '-', '+', '.', 'x', ' '),
                Arbitraries.of(true, false)).as((i, c, drop) -> s.substring(0, i) + (drop ? "" : String.valueOf(c)) + s.substring(i + 1))));
    }
}
