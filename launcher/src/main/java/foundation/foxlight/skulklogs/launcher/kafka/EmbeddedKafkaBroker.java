package foundation.foxlight.skulklogs.launcher.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running inside this JVM, from
 * the Apache Kafka jars. Used by {@code skulk-logs standalone} and by the integration tests.
 *
 * <p>Data lives under {@code dataDir}; the directory is formatted on first start and reused afterwards,
 * so a restart keeps every record that was acknowledged. Listens on 127.0.0.1 unless told otherwise.
 *
 * <p>Lifecycle: {@link #start()} blocks until the broker accepts connections (call it from a worker
 * thread, never an event loop); {@link #close()} shuts it down cleanly and waits for it. Not reusable
 * after close.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final Path dataDir;
    private final String host;
    private final int requestedPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;
    private int port;

    /**
     * @param dataDir   where the broker keeps its log and metadata (created when missing)
     * @param host      the address to bind and advertise, e.g. {@code 127.0.0.1}
     * @param port      the client port; 0 picks a free one
     * @param overrides extra broker properties (e.g. {@code num.partitions})
     */
    public EmbeddedKafkaBroker(Path dataDir, String host, int port, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.host = host;
        this.requestedPort = port;
        this.overrides = Map.copyOf(overrides);
    }

    /** Formats the data directory if needed and starts the broker. Blocking. */
    public synchronized EmbeddedKafkaBroker start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        Path logDir = dataDir.resolve("kafka-logs");
        Files.createDirectories(logDir);
        int clientPort = requestedPort == 0 ? freePort(host) : requestedPort;
        int controllerPort = freePort(host);

        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + host + ":" + clientPort + "," + CONTROLLER_LISTENER + "://" + host
                + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + clientPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "3");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // A single node has nowhere to move leadership to: controlled shutdown would wait for minutes.
        p.put("controlled.shutdown.enable", "false");
        p.put("log.flush.interval.ms", "1000");
        p.put("log.retention.hours", "168");
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("message.max.bytes", String.valueOf(8 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024)); // default 128 MiB: too much beside relay + agent
        p.put("replica.fetch.max.bytes", String.valueOf(8 * 1024 * 1024));
        p.putAll(overrides);
        KafkaConfig config = new KafkaConfig(p, false);

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setUnstableFeatureVersionsEnabled(false)
                    .setIgnoreFormatted(true)
                    .run();
        }
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        s.startup();
        server = s;
        port = clientPort;
        return this;
    }

    /** {@code host:port} for clients. */
    public synchronized String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return host + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits for it to finish. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        }
    }
}
