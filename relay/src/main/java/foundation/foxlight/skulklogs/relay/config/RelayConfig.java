package foundation.foxlight.skulklogs.relay.config;

import foundation.foxlight.skulklogs.relay.ingest.IngestConfig;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.TenantRouter;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSinkConfig;
import foundation.foxlight.skulklogs.relay.source.kafka.KafkaSourceConfig;

/**
 * The whole relay configuration, validated by {@link RelayConfigLoader} before anything starts.
 *
 * @param kafka        the consumer group side
 * @param victoriaLogs the store side
 * @param tenants      node groups mapped to VictoriaLogs tenants (the rest go to victoriaLogs' tenant)
 * @param ingest       the VictoriaLogs-compatible HTTP ingest endpoint (off by default)
 * @param httpHost     address of /health, /metrics (127.0.0.1 by default)
 * @param httpPort     its port (0 = ephemeral, -1 = disabled)
 */
public record RelayConfig(KafkaSourceConfig kafka, VictoriaLogsSinkConfig victoriaLogs, TenantRouter tenants, IngestConfig ingest,
        String httpHost,
        int httpPort) {
}
