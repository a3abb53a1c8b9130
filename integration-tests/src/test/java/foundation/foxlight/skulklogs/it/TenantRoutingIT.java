package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Node groups land in their own VictoriaLogs tenants; queries of one tenant never see another's lines. */
class TenantRoutingIT extends PipelineTestBase {
    @Test
    void linesAreStoredUnderTheTenantOfTheirNodeGroup() throws Exception {
        Tenant lab = Tenant.random();
        Tenant minis = Tenant.random();
        Tenant other = Tenant.random();
        pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), other, r -> r
                .override("victorialogs.tenants.lab-*", lab.accountId() + ":" + lab.projectId())
                .override("victorialogs.tenants.mini-?", minis.accountId() + ":" + minis.projectId())));
        Path file = dir.resolve("mixed.log");
        StringBuilder b = new StringBuilder();
        String ts = Instant.now().toString();
        String[] nodes = {"lab-gpu-1", "mini-2", "laptop-7"};
        for (int i = 0; i < 300; i++) {
            b.append("{\"ts\": \"").append(ts).append("\", \"node_id\": \"").append(nodes[i % 3])
                    .append("\", \"component\": \"worker\", \"msg\": \"line ").append(i).append("\"}\n");
        }
        Files.writeString(file, b);
        pipeline.startAgent(pipeline.agentConfig(file, "collector", UnaryOperator.identity()));
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(lab, "*") == 100 && store.count(minis, "*") == 100
                && store.count(other, "*") == 100);
        assertThat(store.query(lab, "*")).allMatch(row -> row.get("node_id").equals("lab-gpu-1"));
        assertThat(store.query(minis, "*")).allMatch(row -> row.get("node_id").equals("mini-2"));
        assertThat(store.query(other, "*")).allMatch(row -> row.get("node_id").equals("laptop-7"));
    }
}
