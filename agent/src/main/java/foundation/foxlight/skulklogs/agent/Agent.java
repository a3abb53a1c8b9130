package foundation.foxlight.skulklogs.agent;

import foundation.foxlight.skulklogs.agent.buffer.BufferStats;
import foundation.foxlight.skulklogs.agent.buffer.DiskBuffer;
import foundation.foxlight.skulklogs.agent.config.AgentConfig;
import foundation.foxlight.skulklogs.common.telemetry.KafkaHealthCheck;
import foundation.foxlight.skulklogs.agent.sink.kafka.KafkaProducerFactory;
import foundation.foxlight.skulklogs.agent.sink.kafka.KafkaSink;
import foundation.foxlight.skulklogs.agent.source.EventEnricher;
import foundation.foxlight.skulklogs.agent.source.FileCheckpointStore;
import foundation.foxlight.skulklogs.agent.source.FileDiscovery;
import foundation.foxlight.skulklogs.agent.source.JournaldCursorStore;
import foundation.foxlight.skulklogs.agent.source.JournaldSource;
import foundation.foxlight.skulklogs.agent.source.StdinPrefetch;
import foundation.foxlight.skulklogs.agent.source.StdinSource;
import foundation.foxlight.skulklogs.agent.source.FileSource;
import foundation.foxlight.skulklogs.agent.source.LineSource;
import foundation.foxlight.skulklogs.agent.telemetry.AgentMetrics;
import foundation.foxlight.skulklogs.common.telemetry.FailureStreak;
import foundation.foxlight.skulklogs.agent.telemetry.Heartbeat;
import foundation.foxlight.skulklogs.common.config.Bytes;
import foundation.foxlight.skulklogs.common.kafka.KafkaClients;
import foundation.foxlight.skulklogs.common.telemetry.HealthCheck;
import foundation.foxlight.skulklogs.common.telemetry.HealthLog;
import foundation.foxlight.skulklogs.common.telemetry.TelemetryServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-node agent: sources → disk buffer → Kafka. Source positions advance only over lines durably in
 * the buffer; buffer records are released only after Kafka acknowledged them.
 *
 * <p>Lifecycle: deploy it as a verticle; {@code start} opens the buffer and checkpoints (on a worker),
 * starts the sink, the sources and the local HTTP endpoint; {@code stop} stops the sources, lets in-flight
 * sends finish (bounded), then writes the final checkpoints and closes the buffer. Nothing is acknowledged
 * on shutdown that Kafka did not acknowledge.
 */
public final class Agent extends VerticleBase {
    /** The longest one shutdown step (sources, sink) may take before the next goes on. */
    private static final Duration STOP_STEP_MAX = Duration.ofSeconds(10);
    /** How long a stop waits for Kafka to take the last heartbeat (best effort: Kafka may be down). */
    private static final Duration LAST_HEARTBEAT_MAX = Duration.ofSeconds(1);
    /**
     * How long a stop waits for records in flight to be acknowledged: milliseconds with Kafka up; those still out
     * after it stay in the disk buffer (sent again after the next start, so possibly twice).
     */
    private static final Duration SINK_STOP_GRACE = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final String AGENT_VERSION = java.util.Objects.requireNonNullElse(Agent.class.getPackage().getImplementationVersion(), "dev");
    private static final long CHECKPOINT_MILLIS = 200; // bounds replay after a crash to about one fsync interval of lines

    private final AgentConfig config;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentMetrics metrics = new AgentMetrics(registry);
    private DiskBuffer buffer;
    private FileCheckpointStore checkpoints;
    private volatile JournaldCursorStore journaldCursors;
    private final List<LineSource> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Promise<Void> inputEnded = Promise.promise();
    private final StdinPrefetch stdinPrefetch;
    private KafkaProducer<String, byte[]> producer;
    private KafkaSink sink;
    private KafkaHealthCheck kafkaHealth;
    private HealthLog healthLog;
    private TelemetryServer telemetry;
    private long checkpointTimer = -1;
    private long discoveryTimer = -1;
    private long heartbeatTimer = -1;
    private static final long DISCOVERY_MILLIS = 5000;
    private EventEnricher enricher;
    private FileDiscovery discovery;
    private final java.util.Set<Path> followed = new java.util.HashSet<>();
    private volatile int httpPort = -1;
    /** Checkpoints failing in a row (a disk without space or inodes): logged when they start, then every 30 s. */
    private final FailureStreak checkpointFailures = new FailureStreak(Duration.ofSeconds(30));

    public Agent(AgentConfig config) {
        this(config, null);
    }

    /**
     * @param stdinPrefetch what drains standard input since the process started, read by the stdin source instead of
     *                      {@code System.in}; null to read {@code System.in} directly (or when stdin is not a source)
     */
    public Agent(AgentConfig config, StdinPrefetch stdinPrefetch) {
        this.config = config;
        this.stdinPrefetch = stdinPrefetch;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            Files.createDirectories(config.stateDir());
            buffer = DiskBuffer.open(config.buffer());
            checkpoints = FileCheckpointStore.open(config.stateDir().resolve("file-checkpoints.json"), buffer::survivedRestart);
            return null;
        }).compose(v -> startTelemetry()).compose(v -> { // its port first: a start that fails does so before any line is read
            io.micrometer.core.instrument.Gauge.builder("skulk_agent_buffer_bytes", buffer, b -> b.stats().bytesOnDisk())
                    .description("disk buffer bytes on disk").register(registry);
            io.micrometer.core.instrument.Gauge.builder("skulk_agent_buffer_unacked_records", buffer, b -> b.stats().unackedRecords())
                    .register(registry);
            io.micrometer.core.instrument.Gauge.builder("skulk_agent_buffer_oldest_unacked_age_seconds", buffer, b -> {
                long oldest = b.stats().oldestUnackedAppendMillis();
                return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
            }).description("age of the oldest record Kafka has not acknowledged").register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("skulk_agent_buffer_disk_full_total", buffer, b -> b.stats().diskFullRefusals())
                    .description("appends the disk buffer refused because its disk had no space left").register(registry);
            producer = KafkaClients.producer(vertx, KafkaProducerFactory.producerConfig(config.kafka(), "skulk-logs-agent-" + config.nodeId()));
            sink = new KafkaSink(vertx, buffer, producer, config.kafka(), config.nodeId(), metrics);
            sink.start();
            enricher = new EventEnricher(config.nodeId(), config.stripAnsi());
            discovery = new FileDiscovery(config.files().include(), config.files().exclude());
            checkpointTimer = vertx.setPeriodic(CHECKPOINT_MILLIS, id -> checkpoint());
            heartbeatTimer = vertx.setPeriodic(config.kafka().heartbeatInterval().toMillis(), id -> sendHeartbeat());
            discoveryTimer = vertx.setPeriodic(DISCOVERY_MILLIS, id -> discoverFiles());
            if (config.stdin().enabled()) {
                StdinSource stdin = stdinPrefetch != null
                        ? new StdinSource(vertx, stdinPrefetch, config.stdin(), buffer, enricher, metrics)
                        : new StdinSource(vertx, System.in, config.stdin(), buffer, enricher, metrics);
                sources.add(stdin);
                LOG.info("reading {}", stdin.describe());
                if (config.files().include().isEmpty() && !config.journald().enabled()) {
                    // Skulk's internal mode: Skulk spawned this agent and closes the pipe when it exits.
                    stdin.finished().onSuccess(ended -> {
                        if (stdin.endReason() != null) {
                            LOG.info("stdin, the only source, has ended ({}): the agent stops; what Kafka has not acknowledged "
                                    + "stays in the disk buffer for its next start", stdin.endReason());
                            inputEnded.tryComplete();
                        }
                    });
                }
            }
            Future<Void> journald = Future.succeededFuture();
            if (config.journald().enabled()) {
                journald = vertx.executeBlocking(() -> JournaldCursorStore.open(config.stateDir().resolve("journald-cursor.json"),
                                buffer::survivedRestart))
                        .map(cursors -> {
                            journaldCursors = cursors;
                            JournaldSource source = new JournaldSource(vertx, config.journald(), cursors, buffer, enricher, metrics);
                            sources.add(source);
                            LOG.info("reading {}", source.describe());
                            return null;
                        });
            }
            return journald.compose(x -> Future.all(sources.stream().map(LineSource::start).toList())).compose(x -> discoverFiles());
        }).recover(failed -> stop().transform(ignored -> Future.failedFuture(failed))) // Vert.x calls stop() only after a start
        .onSuccess(v -> {
            LOG.info("shipping to Kafka at {} topic {} as node {}; disk buffer {} (max {})", config.kafka().bootstrapServers(),
                    config.kafka().topic(), config.nodeId(), config.buffer().directory(), Bytes.human(config.buffer().maxBytes()));
            sendHeartbeat(); // the fleet view shows a new agent now, not one heartbeat_interval later
        });
    }

    /** Starts a file source for every newly matching path; paths already followed are left alone. */
    private Future<Void> discoverFiles() {
        return vertx.executeBlocking(discovery::discover, false).compose(paths -> {
            List<Future<Void>> started = new ArrayList<>();
            for (Path path : paths) {
                if (followed.add(path)) {
                    FileSource source = new FileSource(vertx, path, config.files(), checkpoints, buffer, enricher, metrics);
                    sources.add(source);
                    started.add(source.start());
                    LOG.info("tailing {}", source.describe());
                }
            }
            return Future.all(started).<Void>mapEmpty();
        }, t -> {
            LOG.error("listing files for sources.files.include failed: {}", t.toString());
            return Future.<Void>succeededFuture();
        });
    }

    private Future<Void> startTelemetry() {
        List<HealthCheck> checks = new ArrayList<>();
        kafkaHealth = new KafkaHealthCheck(vertx, KafkaClients.healthCheckAdmin(config.kafka().bootstrapServers(), config.kafka().security(),
                config.kafka().properties()));
        checks.add(kafkaHealth);
        healthLog = new HealthLog(vertx, List.of(kafkaHealth), LOG);
        healthLog.start();
        checks.add(HealthCheck.of("buffer", () -> {
            BufferStats st = buffer.stats();
            return st.diskFull()
                    ? HealthCheck.Status.down("its disk has no space left (" + config.buffer().directory() + "): sources are paused "
                            + "(files, journald) or drop lines (stdin, counted as disk_full) until there is space; " + describe(st))
                    : HealthCheck.Status.up(describe(st));
        }));
        checks.add(HealthCheck.of("sources", () -> {
            List<String> problems = new ArrayList<>();
            for (LineSource s : sources) {
                String problem = s.problem();
                if (problem != null) {
                    problems.add(s.describe() + ": " + problem);
                }
            }
            return problems.isEmpty() ? HealthCheck.Status.up(sources.size() + " reading")
                    : HealthCheck.Status.down(String.join("; ", problems) + " — its lines wait where they are");
        }));
        checks.add(HealthCheck.of("checkpoints", () -> {
            String error = checkpointFailures.reason();
            return error == null ? HealthCheck.Status.up("written every " + CHECKPOINT_MILLIS + " ms")
                    : HealthCheck.Status.down("cannot be written (" + checkpointFailures.count() + " attempt(s) in a row): " + error
                            + "; lines are still shipped, but after a restart those since the last checkpoint are read again");
        }));
        telemetry = new TelemetryServer(vertx, registry, checks);
        if (config.httpPort() < 0) {
            return Future.succeededFuture();
        }
        return telemetry.start(config.httpHost(), config.httpPort()).map(port -> {
            httpPort = port;
            LOG.info("health and metrics at http://{}:{}/health and /metrics", config.httpHost(), port);
            return null;
        });
    }

    /** Sends a heartbeat to the status topic for the relay's fleet view; best effort (a lost heartbeat is only a late one). */
    private Future<Void> sendHeartbeat() {
        return sendHeartbeat(false);
    }

    /** @param stopped the agent is stopping cleanly (the fleet view shows it as stopped, not as silent) */
    private Future<Void> sendHeartbeat(boolean stopped) {
        var stats = buffer.stats();
        long oldest = stats.oldestUnackedAppendMillis();
        Heartbeat hb = new Heartbeat(config.nodeId(), AGENT_VERSION, System.currentTimeMillis(), config.kafka().heartbeatInterval().toMillis(),
                sources.stream().map(LineSource::describe).toList(), stats.bytesOnDisk(),
                oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest), metrics.linesReadTotal(), metrics.linesShippedTotal(),
                metrics.linesFlaggedTotal(), metrics.linesDroppedTotal(), stopped);
        return producer.send(io.vertx.kafka.client.producer.KafkaProducerRecord.create(config.kafka().statusTopic(), config.nodeId(),
                hb.toJson().encode().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .onFailure(t -> LOG.debug("heartbeat not sent: {}", t.toString())).mapEmpty();
    }

    /**
     * Persists source positions over durable buffer records, and the buffer's acknowledged prefix: each even if the
     * other failed (a full disk refuses the positions' temp file; the buffer must still give back what Kafka has).
     */
    private Future<Void> checkpoint() {
        return vertx.<Void>executeBlocking(() -> {
            runEach(List.of(() -> saveSourcePositions(false), buffer::checkpoint));
            return null;
        }, true).andThen(this::noteCheckpoint);
    }

    /** Fsyncs the buffer if it holds unsynced records (always, when {@code force}), then saves the positions over them. */
    private void saveSourcePositions(boolean force) throws IOException {
        if (force || buffer.lastAppendedId() > buffer.durableId()) {
            buffer.sync(); // group fsync now, so that file positions never wait for the fsync timer
        }
        long durable = buffer.durableId();
        for (LineSource s : sources) {
            s.commitDurable(durable);
        }
        checkpoints.save();
    }

    /** Logs failing checkpoints when they start, then at most every 30 s, and when they succeed again; event loop only. */
    private void noteCheckpoint(AsyncResult<Void> ar) {
        if (ar.succeeded()) {
            long ended = checkpointFailures.succeeded();
            if (ended > 0) {
                LOG.info("checkpoints written again after {} failed attempt(s)", ended);
            }
        } else if (checkpointFailures.failed(ar.cause().toString())) {
            LOG.error("writing checkpoints failed ({} time(s) in a row; retrying every {} ms; lines are still shipped, but "
                    + "after a restart those since the last checkpoint are read again): {}", checkpointFailures.count(),
                    CHECKPOINT_MILLIS, checkpointFailures.reason());
        }
    }

    /** A step of writing state that throws only I/O errors. */
    private interface StateStep {
        void run() throws IOException;
    }

    /** Runs every step even if an earlier one failed; then throws the first failure, with the later ones suppressed. */
    private static void runEach(List<StateStep> steps) throws IOException {
        IOException failed = null;
        for (StateStep step : steps) {
            try {
                step.run();
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public Future<?> stop() {
        if (healthLog != null) {
            healthLog.stop();
        }
        if (checkpointTimer >= 0) {
            vertx.cancelTimer(checkpointTimer);
        }
        if (discoveryTimer >= 0) {
            vertx.cancelTimer(discoveryTimer);
        }
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        Future<?> sourcesStopped = Future.join(sources.stream().map(s -> bounded(s.stop(), "stopping " + s.describe())).toList());
        return sourcesStopped
                .eventually(() -> sink == null ? Future.succeededFuture() : bounded(sink.stop(SINK_STOP_GRACE), "stopping the Kafka sink"))
                .eventually(() -> sink == null || sink.failing() ? Future.succeededFuture()
                        : bounded(sendHeartbeat(true), "the last heartbeat", LAST_HEARTBEAT_MAX))
                .eventually(() -> vertx.executeBlocking(() -> {
                    if (kafkaHealth != null) {
                        kafkaHealth.close();
                    }
                    if (buffer != null) { // each closed even if saving failed (a full disk): the buffer's lock is released
                        List<StateStep> steps = new ArrayList<>();
                        if (checkpoints != null) { // null when start failed before it opened them
                            steps.add(() -> saveSourcePositions(true));
                            steps.add(checkpoints::close);
                        }
                        if (journaldCursors != null) {
                            steps.add(journaldCursors::close);
                        }
                        steps.add(buffer::close);
                        runEach(steps);
                    }
                    return null;
                }))
                // Not producer.close(): it would wait behind sends blocked on a Kafka that is down (up to max.block.ms
                // each); closing the client itself ends them.
                .eventually(() -> producer == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
                    producer.unwrap().close(Duration.ofSeconds(5));
                    return null;
                }, false))
                .eventually(() -> telemetry == null ? Future.succeededFuture() : telemetry.close());
    }

    /**
     * Completes (on the agent's context) when the agent will read nothing more for good: its only source, stdin,
     * reached the end of its input (in Skulk's internal mode, Skulk exited and a new Skulk spawns a new agent).
     * The owner then stops the agent, as Vector does. Never completes while files or journald are read.
     */
    public Future<Void> inputEnded() {
        return inputEnded.future();
    }

    public AgentMetrics metrics() {
        return metrics;
    }


    /** The bound port of the local HTTP endpoint, -1 when disabled or not started. */
    public int httpPort() {
        return httpPort;
    }

    public DiskBuffer buffer() {
        return buffer;
    }

    /**
     * {@code step}, or a warning after {@link #STOP_STEP_MAX}: a step of the shutdown that does not finish must not keep
     * the final checkpoints from being written (nothing is lost either way: positions only move over durable records).
     */
    private Future<Void> bounded(Future<?> step, String what) {
        return bounded(step, what, STOP_STEP_MAX);
    }

    private Future<Void> bounded(Future<?> step, String what, Duration max) {
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(max.toMillis(), id -> {
            if (done.tryComplete()) {
                LOG.warn("{} did not finish within {} s; the shutdown goes on", what, max.toSeconds());
            }
        });
        step.onComplete(ar -> {
            vertx.cancelTimer(timer);
            done.tryComplete();
        });
        return done.future();
    }

    /** The buffer's state as an operator reads it on /health. */
    private String describe(BufferStats st) {
        long oldestAge = st.unackedRecords() == 0 || st.oldestUnackedAppendMillis() == 0 ? 0
                : Math.max(0, System.currentTimeMillis() - st.oldestUnackedAppendMillis()) / 1000;
        return "open at " + config.buffer().directory() + ": " + Bytes.human(st.bytesOnDisk()) + " in " + st.segments() + " segment(s) of "
                + Bytes.human(config.buffer().maxBytes()) + ", " + st.unackedRecords() + " record(s) not yet acknowledged by Kafka (oldest " + oldestAge
                + " s), corrupt records skipped " + st.corruptRecordsSkipped() + ", torn tails cut " + st.tornTailsTruncated();
    }
}
