package foundation.foxlight.skulklogs.common.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaHealthCheckTest {
    @Test
    void refusedCredentialsAreNotReportedAsUnreachable() {
        String reason = KafkaHealthCheck.describeFailure("b:9093",
                new ExecutionException(new SaslAuthenticationException("Authentication failed: Invalid username or password")));
        assertThat(reason).contains("refused this client's credentials").contains("Invalid username or password")
                .doesNotContain("not reachable");
    }

    @Test
    void deniedAccessSaysAcls() {
        assertThat(KafkaHealthCheck.describeFailure("b:9093", new ExecutionException(new TopicAuthorizationException("no"))))
                .contains("denied this client access (ACLs)");
    }

    @Test
    void timeoutIsUnreachable() {
        assertThat(KafkaHealthCheck.describeFailure("b:9092", new ExecutionException(new TimeoutException("timed out"))))
                .isEqualTo("Kafka at b:9092 is not reachable: TimeoutException (timed out)");
    }
}
