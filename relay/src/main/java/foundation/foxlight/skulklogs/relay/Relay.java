package foundation.foxlight.skulklogs.relay;

import foundation.foxlight.skulklogs.common.kafka.KafkaClients;
import foundation.foxlight.skulklogs.common.telemetry.HealthCheck;
import foundation.foxlight.skulklogs.common.telemetry.HealthLog;
import foundation.foxlight.skulklogs.common.telemetry.KafkaHealthCheck;
import foundation.foxlight.skulklogs.common.telemetry.TelemetryServer;
import foundation.foxlight.skulklogs.relay.config.RelayConfig;
import foundation.foxlight.skulklogs.relay.deadletter.DeadLetterQueue;
import foundation.foxlight.skulklogs.relay.ingest.IngestServer;
import foundation.foxlight.skulklogs.relay.ingest.KafkaRecordPublisher;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsHealthCheck;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsService;
import foundation.foxlight.skulklogs.relay.sink.victorialogs.VictoriaLogsSink;
import foundation.foxlight.skulklogs.relay.source.kafka.KafkaSource;
import foundation.foxlight.skulklogs.relay.status.FleetStatus;
import foundation.foxlight.skulklogs.relay.telemetry.RelayMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.client.WebClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The central relay: Kafka consumer group → VictoriaLogs, offsets committed only over delivered records,
 * undeliverable items to the dead-letter topic; {@code /health} and {@code /metrics} over HTTP.
 *
 * <p>Lifecycle: deploy as a verticle; {@code stop} stops polling, finishes deliveries in flight (bounded)
 * and commits what was delivered.
 */
public final class Relay extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final RelayConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RelayMetrics metrics = new RelayMetrics(registry);
    private KafkaProducer<String, byte[]> producer;
    private KafkaSource source;
    private VictoriaLogsSink sink;
    private WebClient webClient;
    private KafkaHealthCheck kafkaHealth;
    private VictoriaLogsHealthCheck storeHealth;
    private HealthLog healthLog;
    private TelemetryServer telemetry;
    private KafkaRecordPublisher ingestPublisher;
    private IngestServer ingest;
    private FleetStatus fleet;
    private io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics kafkaMetrics;
    private volatile int httpPort = -1;
    private volatile int ingestPort = -1;

    public Relay(RelayConfig config) {
        this.config = config;
    }

    @Override
    public Future<?> start() {
        String id = "skulk-logs-relay-" + UUID.randomUUID().toString().substring(0, 8);
        producer = KafkaClients.producer(vertx, config.kafka().producerConfig(id + "-dlq"));
        DeadLetterQueue deadLetters = new DeadLetterQueue(producer, config.kafka().deadLetterTopic());
        webClient = VictoriaLogsService.createClient(vertx, config.victoriaLogs());
        sink = new VictoriaLogsSink(vertx, webClient, config.victoriaLogs(), config.tenants(), deadLetters, metrics,
                config.kafka().maxInFlight());
        if (!config.tenants().isEmpty()) {
            LOG.info("tenants by node: {} (other nodes: the default tenant)", config.tenants().routes());
        }
        KafkaConsumer<String, byte[]> consumer = KafkaConsumer.create(vertx, config.kafka().consumerConfig(id));
        // The Kafka client's own metrics, among them records-lag per partition (kafka_consumer_fetch_manager_records_lag).
        kafkaMetrics = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer.unwrap());
        kafkaMetrics.bindTo(registry);
        source = new KafkaSource(vertx, consumer, config.kafka(), sink, deadLetters, metrics);
        kafkaHealth = new KafkaHealthCheck(vertx, config.kafka().healthCheckAdminConfig());
        storeHealth = new VictoriaLogsHealthCheck(vertx, webClient, config.victoriaLogs());
        telemetry = new TelemetryServer(vertx, registry, List.<HealthCheck>of(kafkaHealth, storeHealth));
        healthLog = new HealthLog(vertx, List.of(kafkaHealth, storeHealth), LOG);
        fleet = new FleetStatus(vertx, registry);
        fleet.mount(telemetry.router());
        source.observe((node, n) -> fleet.view().lines(node, n, System.currentTimeMillis()));
        if (config.ingest().enabled()) {
            ingestPublisher = KafkaRecordPublisher.create(vertx, config.kafka(), id + "-ingest");
            ingest = new IngestServer(vertx, config.ingest(), ingestPublisher, registry);
        }
        return source.start()
                .compose(v -> fleet.start(config.kafka(), id + "-fleet"))
                .compose(v -> ingest == null ? Future.succeededFuture() : ingest.start().map(p -> {
            ingestPort = p;
            LOG.info("VictoriaLogs-compatible ingest at http{}://{} (POST /insert/jsonline): lines go to Kafka topic {}",
                    config.ingest().tlsCert() == null ? "" : "s", config.ingest().listen(), config.kafka().topic());
            return null;
        })).compose(v -> config.httpPort() < 0 ? Future.succeededFuture()
                : telemetry.start(config.httpHost(), config.httpPort()).map(p -> {
                    httpPort = p;
                    LOG.info("health, metrics and the fleet at http://{}:{}/health, /metrics, /status", config.httpHost(), p);
                    return null;
                })).onSuccess(v -> {
                    LOG.info("relaying Kafka {} topic {} (group {}) to VictoriaLogs at {}", config.kafka().bootstrapServers(),
                            config.kafka().topic(), config.kafka().groupId(), config.victoriaLogs().url());
                    healthLog.start();
                });
    }

    /** How long {@link #stop()} waits for the Kafka source's deliveries and commits. */
    private static Duration sourceGrace(RelayConfig config) {
        return config.kafka().commitHoldBack().plusSeconds(5);
    }

    /**
     * The longest a clean {@link #stop()} waits in all: the ingest endpoint's requests in flight and its producer
     * (when on), the source's grace, the dead-letter producer's close. A supervisor (compose's
     * {@code stop_grace_period}, systemd's {@code TimeoutStopSec}) should allow more before it kills the relay; a
     * kill loses nothing, but the lines delivered since the last commit are sent to VictoriaLogs again.
     */
    public static Duration cleanStopBound(RelayConfig config) {
        Duration ingest = config.ingest().enabled()
                ? IngestServer.closeBound(config.ingest()).plusMillis(KafkaRecordPublisher.CLOSE_MILLIS)
                : Duration.ZERO;
        return ingest.plus(sourceGrace(config)).plusMillis(KafkaRecordPublisher.CLOSE_MILLIS);
    }

    @Override
    public Future<?> stop() {
        if (healthLog != null) {
            healthLog.stop();
        }
        Duration grace = sourceGrace(config);
        Future<Void> ingestStopped = ingest == null ? Future.succeededFuture()
                : ingest.close().eventually(() -> ingestPublisher.close());
        return ingestStopped.eventually(() -> source == null ? Future.succeededFuture() : source.stop(grace))
                .eventually(() -> {
                    sink.stop();
                    return producer.close(KafkaRecordPublisher.CLOSE_MILLIS);
                })
                .eventually(() -> vertx.executeBlocking(() -> {
                    kafkaHealth.close();
                    return null;
                }))
                .eventually(() -> fleet.close())
                .eventually(() -> {
                    kafkaMetrics.close();
                    return Future.succeededFuture();
                })
                .eventually(() -> telemetry.close());
    }

    public RelayMetrics metrics() {
        return metrics;
    }


    public TelemetryServer telemetry() {
        return telemetry;
    }

    /** The bound port of the ingest endpoint, -1 when off. */
    public int ingestPort() {
        return ingestPort;
    }

    public FleetStatus fleet() {
        return fleet;
    }

    public int httpPort() {
        return httpPort;
    }
}
