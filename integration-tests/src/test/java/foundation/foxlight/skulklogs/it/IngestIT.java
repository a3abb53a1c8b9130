package foundation.foxlight.skulklogs.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import foundation.foxlight.skulklogs.it.victorialogs.Tenant;
import foundation.foxlight.skulklogs.relay.Relay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Existing shippers point at the relay instead of VictoriaLogs: what they POST to the relay's
 * {@code /insert/jsonline} goes through Kafka into VictoriaLogs, and the relay answers 200 only after Kafka
 * acknowledged it.
 */
class IngestIT extends PipelineTestBase {
    /** The args Skulk's own lines are sent with. */
    private static final String SKULK_FIELDS = "?_stream_fields=node_id,component&_msg_field=msg&_time_field=ts";
    private final Tenant tenant = Tenant.random();
    private final HttpClient http = HttpClient.newHttpClient();
    private String ingest;

    @BeforeEach
    void startRelayWithIngest() throws Exception {
        Relay relay = pipeline.startRelay(pipeline.relayConfig(store.baseUrl(), tenant, r -> r.override("ingest.listen", "127.0.0.1:0")));
        ingest = "http://127.0.0.1:" + relay.ingestPort() + "/insert/jsonline";
    }

    private HttpResponse<String> post(String query, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ingest + query)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void skulksOwnIngestUrl_linesArriveInVictoriaLogs() throws Exception {
        String ts = Instant.now().toString();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            body.append("{\"ts\": \"").append(ts).append("\", \"level\": \"INFO\", \"node_id\": \"mini-2\", \"component\": \"api\", \"msg\": \"via ingest ")
                    .append(i).append("\", \"seq\": ").append(i).append("}\n");
        }
        body.append("plain text from a crashed tool\n");
        HttpResponse<String> r = post(SKULK_FIELDS, "application/stream+json",
                body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "*") >= 501);
        List<Map<String, String>> rows = store.query(tenant, "node_id:mini-2");
        assertThat(rows).hasSize(500);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("component")).isEqualTo("api");
            assertThat(row.get("_msg")).startsWith("via ingest ");
        });
        assertThat(store.query(tenant, "\"plain text from a crashed tool\"")).hasSize(1)
                .allSatisfy(row -> assertThat(row).containsKey("log.parse_error"));
    }

    @Test
    void vectorStyleFieldNames_areMappedToSkulksStreams() throws Exception {
        String ts = Instant.now().toString();
        HttpResponse<String> r = post("?_stream_fields=host,app&_msg_field=message&_time_field=timestamp", "application/x-ndjson",
                "{\"timestamp\": \"" + ts + "\", \"host\": \"rack-7\", \"app\": \"skulk\", \"message\": \"from vector\"}\n");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(tenant, "\"from vector\"") == 1);
        Map<String, String> row = store.query(tenant, "\"from vector\"").get(0);
        assertThat(row.get("node_id")).isEqualTo("rack-7");
        assertThat(row.get("component")).isEqualTo("skulk");
    }

    @Test
    void theTenantHeaders_chooseTheTenant_asInVictoriaLogs() throws Exception {
        Tenant asked = Tenant.random();
        String ts = Instant.now().toString();
        String lines = "{\"ts\": \"" + ts + "\", \"node_id\": \"rack-9\", \"msg\": \"for a tenant\"}\n"
                + "not json, same tenant\n";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ingest + SKULK_FIELDS)).header("Content-Type", "application/stream+json")
                .header("AccountID", String.valueOf(asked.accountId())).header("ProjectID", String.valueOf(asked.projectId()))
                .POST(HttpRequest.BodyPublishers.ofString(lines)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        HttpResponse<String> plain = post(SKULK_FIELDS, "application/stream+json", "{\"ts\": \"" + ts + "\", \"msg\": \"no tenant asked\"}\n");
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> store.count(asked, "*") == 2 && store.count(tenant, "\"no tenant asked\"") == 1);
        assertThat(store.query(asked, "*")).allSatisfy(row ->
                assertThat(row.get("log.tenant")).isEqualTo(asked.accountId() + ":" + asked.projectId()));
        assertThat(store.count(tenant, "*")).isEqualTo(1);
    }

    @Test
    void aFormEncodedBody_isRefusedLoudly_notSwallowed() throws Exception {
        HttpResponse<String> r = post("", "application/x-www-form-urlencoded", "{\"msg\": \"x\"}\n");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("application/stream+json");
    }
}
