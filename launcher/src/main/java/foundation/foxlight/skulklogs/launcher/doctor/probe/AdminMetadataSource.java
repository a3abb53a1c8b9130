package foundation.foxlight.skulklogs.launcher.doctor.probe;

import foundation.foxlight.skulklogs.common.kafka.KafkaClients;
import foundation.foxlight.skulklogs.common.kafka.KafkaSecurity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Cluster metadata through Kafka's Admin client, with the agent's TLS/SASL settings and {@code kafka.properties}. The
 * Admin client talks to the advertised addresses after the first answer, so it fails (by timeout) when they are
 * unreachable; {@link PlaintextMetadataSource} is preferred where it can be used. Blocking.
 */
public final class AdminMetadataSource implements KafkaMetadataSource {
    private final String bootstrap;
    private final KafkaSecurity security;
    private final Map<String, String> properties;
    private final Duration timeout;

    public AdminMetadataSource(String bootstrap, KafkaSecurity security, Map<String, String> properties, Duration timeout) {
        this.bootstrap = bootstrap;
        this.security = security;
        this.properties = Map.copyOf(properties);
        this.timeout = timeout;
    }

    @Override
    public ClusterMetadata fetch(List<String> topics) throws Exception {
        Map<String, Object> config = KafkaClients.healthCheckAdmin(bootstrap, security, properties);
        String millis = String.valueOf(timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "skulk-logs-doctor");
        Admin admin = Admin.create(config);
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            List<ClusterMetadata.Broker> brokers = new ArrayList<>();
            cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach(n -> brokers.add(new ClusterMetadata.Broker(n.id(), new HostPort(n.host(), n.port()))));
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, ClusterMetadata.TopicState> states = new LinkedHashMap<>();
            Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
            for (String t : topics) {
                try {
                    TopicDescription d = described.get(t).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    int rf = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
                    int leaderless = (int) d.partitions().stream().filter(p -> p.leader() == null || p.leader().isEmpty()).count();
                    states.put(t, new ClusterMetadata.TopicState(true, null, d.partitions().size(), rf, leaderless));
                } catch (ExecutionException e) {
                    states.put(t, e.getCause() instanceof UnknownTopicOrPartitionException ? ClusterMetadata.TopicState.missing()
                            : new ClusterMetadata.TopicState(true, e.getCause().getClass().getSimpleName(), 0, 0, 0));
                }
            }
            return new ClusterMetadata(HostPort.parseList(bootstrap).get(0), clusterId, brokers, states);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new Exception(c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()), c);
        } finally {
            admin.close(Duration.ofSeconds(1)); // close() alone waits for pending calls without a bound
        }
    }
}
