package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryClassifierTest {
    private static final Instant NOW = Instant.parse("2026-05-04T12:00:00Z");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "200, delivered",
            "204, delivered",
            "400, rejected-content",
            "413, rejected-content",
            "422, rejected-content",
            "401, rejected-config",
            "403, rejected-config",
            "404, rejected-config",
            "405, rejected-config",
            "415, rejected-config",
            "301, rejected-config",
            "408, retry",
            "429, retry",
            "500, retry",
            "502, retry",
            "503, retry",
            "504, retry",
    })
    void statusTable(int status, String expected) {
        InsertOutcome o = RetryClassifier.classify(status, "some message", null, NOW);
        String actual;
        if (o instanceof InsertOutcome.Delivered) {
            actual = "delivered";
        } else if (o instanceof InsertOutcome.Retry) {
            actual = "retry";
        } else {
            actual = ((InsertOutcome.Rejected) o).isContentRejection() ? "rejected-content" : "rejected-config";
        }
        assertThat(actual).isEqualTo(expected);
        if (o instanceof InsertOutcome.Rejected r) {
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.message()).isEqualTo("some message");
        }
        if (o instanceof InsertOutcome.Retry r) {
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.reason()).startsWith(Integer.toString(status)).endsWith(": some message");
        }
    }

    @Test
    void rejectionWithoutBodyNamesTheStatus() {
        assertThat(RetryClassifier.classify(404, "", null, NOW))
                .isEqualTo(new InsertOutcome.Rejected(404, "404 Not Found"));
    }

    @Test
    void longMessagesAreShortened() {
        InsertOutcome.Rejected r = (InsertOutcome.Rejected) RetryClassifier.classify(400, "x".repeat(100_000), null, NOW);
        assertThat(r.message()).hasSize(RetryClassifier.MAX_MESSAGE_CHARS + 3);
    }

    @Test
    void retryAfterSecondsAndHttpDate() {
        InsertOutcome.Retry r = (InsertOutcome.Retry) RetryClassifier.classify(429, "", "7", NOW);
        assertThat(r.retryAfterHint()).contains(Duration.ofSeconds(7));
        InsertOutcome.Retry d = (InsertOutcome.Retry) RetryClassifier.classify(503, "", "Mon, 04 May 2026 12:00:30 GMT", NOW);
        assertThat(d.retryAfterHint()).contains(Duration.ofSeconds(30));
        InsertOutcome.Retry none = (InsertOutcome.Retry) RetryClassifier.classify(503, "", "soon", NOW);
        assertThat(none.retryAfterHint()).isEmpty();
        InsertOutcome.Retry past = (InsertOutcome.Retry) RetryClassifier.classify(503, "", "Mon, 04 May 2026 11:00:00 GMT", NOW);
        assertThat(past.retryAfterHint()).contains(Duration.ZERO);
    }

    @Test
    void failuresWithoutAnAnswerAreAlwaysRetried() {
        assertThat(RetryClassifier.classify(new ConnectException("Connection refused: /127.0.0.1:1")).reason())
                .startsWith("connection refused");
        assertThat(RetryClassifier.classify(new TimeoutException("The timeout period of 5000ms has been exceeded")).reason())
                .startsWith("timeout");
        assertThat(RetryClassifier.classify(new RuntimeException("wrapped", new UnknownHostException("nowhere"))).reason())
                .startsWith("unknown host");
        assertThat(RetryClassifier.classify(new HttpClosedException("Connection was closed")).reason())
                .startsWith("connection closed");
        assertThat(RetryClassifier.classify(new IOException("Connection reset by peer")).reason())
                .startsWith("i/o error");
        InsertOutcome.Retry unknown = RetryClassifier.classify(new IllegalStateException("something odd"));
        assertThat(unknown.reason()).isEqualTo("IllegalStateException: something odd");
        assertThat(unknown.status()).isZero();
        assertThat(unknown.retryAfterHint()).isEmpty();
    }
}
