package foundation.foxlight.skulklogs.common.telemetry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Kafka is reachable when the cluster answers a metadata request within 3 s. The admin client call is
 * blocking and runs on a worker. Shared by the agent and the relay.
 */
public final class KafkaHealthCheck implements HealthCheck, AutoCloseable {
    private final Vertx vertx;
    private final Admin admin;
    private final String bootstrap;

    public KafkaHealthCheck(Vertx vertx, Map<String, Object> adminConfig) {
        this.vertx = vertx;
        this.admin = Admin.create(adminConfig);
        this.bootstrap = String.valueOf(adminConfig.get("bootstrap.servers"));
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public Future<Status> check() {
        return vertx.executeBlocking(() -> {
            try {
                int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
                return Status.up(nodes + " broker(s) reachable at " + bootstrap);
            } catch (Exception e) {
                return Status.down(describeFailure(bootstrap, e));
            }
        }, false);
    }

    /** The operator-facing reason: refused credentials or TLS are not "unreachable". */
    static String describeFailure(String bootstrap, Exception e) {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        String what = c instanceof AuthenticationException
                ? " refused this client's credentials or TLS handshake (check kafka.security / kafka.sasl / kafka.tls): "
                : c instanceof AuthorizationException
                        ? " denied this client access (ACLs): "
                        : " is not reachable: ";
        return "Kafka at " + bootstrap + what + c.getClass().getSimpleName()
                + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
