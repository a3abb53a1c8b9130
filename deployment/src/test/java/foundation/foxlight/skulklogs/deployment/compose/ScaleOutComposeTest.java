package foundation.foxlight.skulklogs.deployment.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scale-out stack: 3 brokers with RF 3 / min.insync.replicas 2, 2 relays in one group, a VictoriaLogs cluster. */
class ScaleOutComposeTest {
    private final ComposeFile scaleOut = ComposeFile.load("compose.scale-out.yaml");

    @Test
    void threeKafkaBrokersFormOneQuorumWithReplicationFactorThreeAndMinIsrTwo() {
        Map<String, JsonNode> brokers = scaleOut.servicesOf("apache/kafka");
        assertThat(brokers).hasSize(3);
        Set<String> nodeIds = new HashSet<>();
        Set<String> clusterIds = new HashSet<>();
        List<String> voters = new ArrayList<>();
        brokers.forEach((name, b) -> {
            nodeIds.add(ComposeFile.env(b, "KAFKA_NODE_ID"));
            clusterIds.add(ComposeFile.env(b, "CLUSTER_ID"));
            voters.add(ComposeFile.env(b, "KAFKA_CONTROLLER_QUORUM_VOTERS"));
            assertThat(ComposeFile.env(b, "KAFKA_DEFAULT_REPLICATION_FACTOR")).as(name).isEqualTo("3");
            assertThat(ComposeFile.env(b, "KAFKA_MIN_INSYNC_REPLICAS")).as(name).isEqualTo("2");
            assertThat(ComposeFile.env(b, "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).as(name).isEqualTo("3");
            assertThat(ComposeFile.env(b, "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).as(name).isEqualTo("2");
            assertThat(ComposeFile.env(b, "KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE")).as(name).isEqualTo("false");
            // enough partitions for both relays to get a share
            assertThat(Integer.parseInt(ComposeFile.env(b, "KAFKA_NUM_PARTITIONS"))).as(name).isGreaterThanOrEqualTo(2);
        });
        assertThat(nodeIds).hasSize(3);
        assertThat(clusterIds).hasSize(1);
        assertThat(new HashSet<>(voters)).hasSize(1);
        String quorum = voters.get(0);
        brokers.forEach((name, b) -> assertThat(quorum).contains(ComposeFile.env(b, "KAFKA_NODE_ID") + "@" + name + ":9093"));
        // each broker advertises its own published port
        Set<String> published = new HashSet<>();
        brokers.values().forEach(b -> published.add(b.path("ports").get(0).asText()));
        assertThat(published).hasSize(3);
    }

    @Test
    void twoRelaysShareOneConsumerGroupAndWriteThroughVlinsert() {
        Map<String, JsonNode> relays = scaleOut.relays();
        assertThat(relays).hasSize(2);
        // the group comes from relay.yaml; no relay overrides it, so both are in the same group
        assertThat(ComposeFile.load("relay.yaml").root().path("kafka").path("group_id").asText()).contains("skulk-logs-relay");
        relays.forEach((name, r) -> {
            assertThat(ComposeFile.env(r, "SKULK_RELAY_GROUP")).as(name).isNull();
            assertThat(ComposeFile.env(r, "SKULK_VICTORIALOGS_URL")).as(name).isEqualTo("http://vlinsert:9428");
        });
        Set<String> hostPorts = new HashSet<>();
        relays.values().forEach(r -> hostPorts.add(r.path("ports").get(0).asText()));
        assertThat(hostPorts).hasSize(2);
        List<String> targets = new ArrayList<>();
        ComposeFile.load("compose/scrape.scale-out.yaml").root().path("scrape_configs").forEach(job -> {
            if (job.path("job_name").asText().equals("skulk-logs-relay")) {
                job.path("static_configs").forEach(sc -> sc.path("targets").forEach(t -> targets.add(t.asText())));
            }
        });
        assertThat(targets).containsExactlyInAnyOrderElementsOf(relays.keySet().stream().map(n -> n + ":8688").toList());
    }

    @Test
    void victoriaLogsClusterHasInsertSelectAndTwoStorageNodes() {
        List<String> storages = scaleOut.servicesOf("victoriametrics/victoria-logs").entrySet().stream()
                .filter(e -> ComposeFile.command(e.getValue()).stream().anyMatch(a -> a.startsWith("-storageDataPath=")))
                .map(Map.Entry::getKey).toList();
        assertThat(storages).hasSize(2);
        for (String front : List.of("vlinsert", "vlselect")) {
            List<String> nodes = ComposeFile.command(scaleOut.service(front)).stream()
                    .filter(a -> a.startsWith("-storageNode=")).map(a -> a.substring("-storageNode=".length())).toList();
            assertThat(nodes).as(front).containsExactlyInAnyOrderElementsOf(storages.stream().map(s -> s + ":9428").toList());
        }
        assertThat(ComposeFile.env(scaleOut.service("grafana"), "SKULK_VICTORIALOGS_URL")).isEqualTo("http://vlselect:9428");
    }
}
