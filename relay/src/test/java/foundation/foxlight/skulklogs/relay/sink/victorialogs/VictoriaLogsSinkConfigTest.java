package foundation.foxlight.skulklogs.relay.sink.victorialogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSinkConfig.Compression;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VictoriaLogsSinkConfigTest {

    @Test
    void defaultsAreValidAndMatchVictoriaLogsDefaults() {
        VictoriaLogsSinkConfig d = VictoriaLogsSinkConfig.defaults();
        assertThat(d.validate()).isEmpty();
        assertThat(d.url()).isEqualTo("http://127.0.0.1:9428");
        assertThat(d.msgField()).isEqualTo("msg");
        assertThat(d.timeField()).isEqualTo("ts");
        assertThat(d.streamFields()).containsExactly("node_id", "component");
        assertThat(d.compression()).isEqualTo(Compression.ZSTD);
        assertThat(d.maxLineBytes()).isEqualTo(256 * 1024);
        assertThat(d.maxFieldsPerLine()).isEqualTo(1000);
        assertThat(d.maxFieldNameBytes()).isEqualTo(128);
        assertThat(d.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(d.futureRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(d.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.accountId()).isNull();
        assertThat(d.projectId()).isNull();
        assertThat(d.maxBatchBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(d.maxBatchLines()).isEqualTo(10_000);
    }

    @Test
    void validateReportsEveryProblemWithItsKeyPath() {
        VictoriaLogsSinkConfig bad = new VictoriaLogsSinkConfig("ftp://somewhere", "", "ts", Arrays.asList("node_id", null),
                null, 100, 10, 500, Duration.ZERO, null, Duration.ofSeconds(-1), Duration.ofSeconds(1), -1L,
                5_000_000_000L, 10, 0);
        List<String> problems = bad.validate();
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.url: must be http(s)"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.msg_field: must be set"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.stream_fields[1]: must be set"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.compression:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.max_line_bytes:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.max_fields_per_line:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.max_field_name_bytes:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.retention:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.future_retention:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.request_timeout:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.account_id:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.project_id:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.max_batch_lines:"));
        assertThat(problems).anyMatch(p -> p.startsWith("victorialogs.max_batch_bytes:"));
        assertThat(problems).hasSize(14);
    }

    @Test
    void urlMustBeTheBaseUrl() {
        VictoriaLogsSinkConfig d = VictoriaLogsSinkConfig.defaults();
        assertThat(d.withUrl("http://h:9428/insert/jsonline").validate())
                .singleElement().asString().startsWith("victorialogs.url: must be the base URL");
        assertThat(d.withUrl("http://h:9428/?x=1").validate())
                .singleElement().asString().contains("without query");
        assertThat(d.withUrl("").validate()).singleElement().asString().startsWith("victorialogs.url: must be set");
        assertThat(d.withUrl("https://logs.example.org/vl/").validate()).isEmpty();
        assertThat(d.withUrl("https://logs.example.org/vl/").baseUrl()).isEqualTo("https://logs.example.org/vl");
    }

    @Test
    void fieldNamesMustBeSimpleAndDistinct() {
        VictoriaLogsSinkConfig d = VictoriaLogsSinkConfig.defaults();
        assertThat(d.withStreamFields(List.of("node_id", "node_id")).validate())
                .singleElement().asString().contains("duplicate");
        assertThat(d.withStreamFields(List.of("a,b")).validate())
                .singleElement().asString().startsWith("victorialogs.stream_fields[0]: only letters");
        assertThat(d.withStreamFields(List.of("msg")).validate())
                .singleElement().asString().contains("must not be the msg or time field");
        assertThat(d.withStreamFields(List.of()).validate())
                .singleElement().asString().startsWith("victorialogs.stream_fields: must name");
    }

    @Test
    void tenantIdsAreUint32() {
        VictoriaLogsSinkConfig d = VictoriaLogsSinkConfig.defaults();
        assertThat(d.withTenant(0L, 0xFFFF_FFFFL).validate()).isEmpty();
        assertThat(d.withTenant(0x1_0000_0000L, null).validate())
                .singleElement().asString().startsWith("victorialogs.account_id:");
    }

    @Test
    void compressionNames() {
        assertThat(Compression.fromName("gzip")).contains(Compression.GZIP);
        assertThat(Compression.fromName("GZIP")).contains(Compression.GZIP);
        assertThat(Compression.fromName("none")).contains(Compression.NONE);
        assertThat(Compression.fromName("zstd")).contains(Compression.ZSTD);
        assertThat(Compression.fromName("brotli")).isEmpty();
        assertThat(Compression.ZSTD.contentEncoding()).isEqualTo("zstd");
        assertThat(Compression.GZIP.contentEncoding()).isEqualTo("gzip");
        assertThat(Compression.NONE.contentEncoding()).isNull();
    }

    @Test
    void builderRefusesAnInvalidConfigWithAllProblems() {
        VictoriaLogsSinkConfig bad = VictoriaLogsSinkConfig.defaults().withUrl("nope").withLimits(10, 1000, 128);
        assertThatThrownBy(() -> new VictoriaLogsRequestBuilder(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("victorialogs.url")
                .hasMessageContaining("victorialogs.max_line_bytes");
    }
}
