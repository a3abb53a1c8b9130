package foundation.foxlight.skulklogs.relay.config;

import foundation.foxlight.skulklogs.common.config.ConfigReader;
import foundation.foxlight.skulklogs.common.kafka.KafkaSecurity;
import foundation.foxlight.skulklogs.relay.ingest.IngestConfig;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.TenantRouter;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSinkConfig;
import foundation.foxlight.skulklogs.relay.source.kafka.KafkaSourceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds a {@link RelayConfig} from YAML + flags, reporting every problem at once. */
public final class RelayConfigLoader {
    private RelayConfigLoader() {
    }

    /** A uint32 tenant id, or null when not configured. */
    private static Long optionalTenant(ConfigReader r, String key) {
        long v = r.longValue(key, -1, 0, 0xFFFF_FFFFL);
        return v < 0 ? null : v;
    }

    public static RelayConfig load(ConfigReader r, Function<String, String> env) {
        String kafkaDefault = env.apply("SKULK_LOGS_KAFKA");
        String bootstrap = r.string("kafka.bootstrap_servers", kafkaDefault != null && !kafkaDefault.isBlank() ? kafkaDefault : "127.0.0.1:9092");
        if (!bootstrap.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
            r.problem("kafka.bootstrap_servers", "must be host:port[,host:port...], got '" + bootstrap + "'");
        }
        VictoriaLogsSinkConfig d = VictoriaLogsSinkConfig.defaults();
        Map<String, String> kafkaProperties = r.stringMap("kafka.properties");
        KafkaSourceConfig kafka = new KafkaSourceConfig(bootstrap,
                r.string("kafka.topic", "skulk-logs"),
                r.string("kafka.group_id", "skulk-logs-relay"),
                r.string("kafka.dead_letter_topic", "skulk-logs-deadletter"),
                r.duration("kafka.commit_hold_back", Duration.ofSeconds(6), Duration.ZERO, Duration.ofMinutes(10)),
                r.integer("batch.max_lines", d.maxBatchLines(), 1, 1_000_000),
                r.bytes("batch.max_bytes", d.maxBatchBytes(), 1024, 256L << 20),
                r.duration("batch.linger", Duration.ofMillis(200), Duration.ZERO, Duration.ofMinutes(1)),
                r.integer("batch.max_in_flight", 4, 1, 64),
                r.integer("batch.build_ahead", 2, 0, 64),
                kafkaProperties,
                KafkaSecurity.read(r, "kafka", kafkaProperties),
                r.string("kafka.status_topic", "skulk-logs-status"),
                r.bool("event_ids", false));
        String compression = r.string("victorialogs.compression", d.compression().name());
        VictoriaLogsSinkConfig vl = new VictoriaLogsSinkConfig(
                r.string("victorialogs.url", d.url()),
                r.string("victorialogs.msg_field", d.msgField()),
                r.string("victorialogs.time_field", d.timeField()),
                r.stringList("victorialogs.stream_fields", d.streamFields()),
                VictoriaLogsSinkConfig.Compression.fromName(compression).orElseGet(() -> {
                    r.problem("victorialogs.compression", "must be zstd, gzip or none, got '" + compression + "'");
                    return d.compression();
                }),
                (int) r.bytes("victorialogs.max_line_bytes", d.maxLineBytes(), 0, Integer.MAX_VALUE),
                r.integer("victorialogs.max_fields_per_line", d.maxFieldsPerLine(), 0, Integer.MAX_VALUE),
                r.integer("victorialogs.max_field_name_bytes", d.maxFieldNameBytes(), 0, Integer.MAX_VALUE),
                r.duration("victorialogs.retention", d.retention(), Duration.ZERO, Duration.ofDays(100 * 365)),
                r.duration("victorialogs.future_retention", d.futureRetention(), Duration.ZERO, Duration.ofDays(100 * 365)),
                r.duration("victorialogs.request_timeout", d.requestTimeout(), Duration.ZERO, Duration.ofHours(1)),
                r.duration("victorialogs.health_check_timeout", d.healthCheckTimeout(), Duration.ZERO, Duration.ofHours(1)),
                optionalTenant(r, "victorialogs.account_id"),
                optionalTenant(r, "victorialogs.project_id"),
                kafka.maxBatchBytes(), kafka.maxBatchLines());
        for (String p : vl.validate()) {
            int colon = p.indexOf(':');
            r.problem(colon > 0 ? p.substring(0, colon) : "victorialogs", colon > 0 ? p.substring(colon + 1).strip() : p);
        }
        List<String> tenantProblems = new java.util.ArrayList<>();
        TenantRouter tenants = TenantRouter.parse(r.stringMap("victorialogs.tenants"), tenantProblems);
        for (String p : tenantProblems) {
            int colon = p.indexOf(": ");
            r.problem(p.substring(0, colon), p.substring(colon + 2));
        }
        IngestConfig di = IngestConfig.defaults();
        IngestConfig ingest = new IngestConfig(
                r.string("ingest.listen", di.listen()),
                r.string("ingest.token", di.token()),
                r.string("ingest.tls.cert", di.tlsCert()),
                r.string("ingest.tls.key", di.tlsKey()),
                r.bytes("ingest.max_body_bytes", di.maxBodyBytes(), 1024, 1L << 34),
                (int) r.bytes("ingest.max_line_bytes", di.maxLineBytes(), 1024, 16L << 20),
                (int) r.bytes("ingest.max_record_bytes", di.maxRecordBytes(), 1024, 64L << 20),
                r.duration("ingest.publish_timeout", di.publishTimeout(), Duration.ofMillis(1), Duration.ofHours(1)),
                r.integer("ingest.max_concurrent_requests", di.maxConcurrentRequests(), 1, 100_000),
                r.stringList("ingest.node_id_fields", di.nodeIdFields()),
                r.stringList("ingest.component_fields", di.componentFields()));
        for (String p : ingest.validate()) {
            int colon = p.indexOf(':');
            r.problem(colon > 0 ? p.substring(0, colon) : "ingest", colon > 0 ? p.substring(colon + 1).strip() : p);
        }
        String listen = r.string("http.listen", "127.0.0.1:8688");
        String host = "127.0.0.1";
        int port = -1;
        if (!listen.equalsIgnoreCase("off")) {
            int colon = listen.lastIndexOf(':');
            try {
                host = listen.substring(0, colon);
                port = Integer.parseInt(listen.substring(colon + 1));
            } catch (RuntimeException e) {
                r.problem("http.listen", "must be host:port or off, got '" + listen + "'");
            }
        }
        r.throwIfProblems();
        return new RelayConfig(kafka, vl, tenants, ingest, host, port);
    }
}
