package foundation.foxlight.skulklogs.launcher.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import kafka.server.BrokerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka node (KRaft, combined broker + controller) running inside this JVM, from the Apache Kafka jars:
 * a single-node cluster (used by {@code skulk-logs standalone} and the integration tests), or one member of an
 * {@link EmbeddedKafkaCluster} (or of a cluster whose other members run elsewhere, see {@link KafkaNode}).
 *
 * <p>Data lives under {@code dataDir}; the directory is formatted on first start and reused afterwards,
 * so a restart keeps every record that was acknowledged. Listens on 127.0.0.1 unless told otherwise. The
 * replication defaults follow the cluster size: one node has replication factor 1; three or more have
 * {@code default.replication.factor=3}, {@code min.insync.replicas=2} (also for the offsets and transaction
 * topics) and controlled shutdown (leadership moves to other nodes before {@link #close()} returns).
 *
 * <p>Lifecycle: {@link #start()} blocks until the node accepts connections, which for a cluster member
 * means until a majority of the controllers runs (call it from a worker thread, never an event loop);
 * {@link #close()} shuts it down and waits for it. Not reusable after close.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** How long a stopping broker waits for the controllers to move its leaderships away (Kafka's own: 5 min). */
    static final Duration CONTROLLED_SHUTDOWN_BOUND = Duration.ofSeconds(30);
    /** The lock file in the data directory. */
    static final String LOCK_FILE = "node.lock";

    private final KafkaNode requested;
    private final Map<String, String> overrides;
    private final Map<String, String> extraListeners = new LinkedHashMap<>();
    private final Map<String, Integer> listenerPorts = new LinkedHashMap<>();
    private KafkaRaftServer server;
    /** This process's lock on the data directory while the node runs ({@link #lockDataDir}). */
    private FileChannel dataDirLock;
    private KafkaNode node;

    /**
     * A single-node cluster.
     *
     * @param dataDir   where the broker keeps its log and metadata (created when missing)
     * @param host      the address to bind and advertise, e.g. {@code 127.0.0.1}
     * @param port      the client port; 0 picks a free one
     * @param overrides extra broker properties (e.g. {@code num.partitions}); they win over ours
     */
    public EmbeddedKafkaBroker(Path dataDir, String host, int port, Map<String, String> overrides) {
        this(KafkaNode.single(dataDir, host, port), overrides);
    }

    /**
     * The node {@code node} (alone, or one member of the cluster its {@link KafkaNode#quorumVoters()} name).
     *
     * @param overrides extra broker properties; they win over ours
     */
    public EmbeddedKafkaBroker(KafkaNode node, Map<String, String> overrides) {
        this.requested = node;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Adds a client listener {@code name} (e.g. {@code SASL_SSL}) with this security protocol on a free port,
     * besides the PLAINTEXT one (which stays the inter-broker listener). Its settings go into the overrides with
     * Kafka's {@code listener.name.<name lower-case>.} prefix. Call before {@link #start()}.
     */
    public synchronized EmbeddedKafkaBroker withListener(String name, String securityProtocol) {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        extraListeners.put(name.toUpperCase(Locale.ROOT), securityProtocol);
        return this;
    }

    /**
     * Locks the data directory, formats it if needed and starts the node. Blocking.
     *
     * @throws DataDirInUseException when another process (or another node in this JVM) runs on the same data directory;
     *     nothing in it was touched
     */
    public synchronized EmbeddedKafkaBroker start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        Path logDir = requested.dataDir().resolve("kafka-logs");
        Files.createDirectories(logDir);
        FileChannel lock = lockDataDir(requested.dataDir());
        try {
            startLocked(logDir);
        } catch (Throwable t) {
            lock.close();
            throw t;
        }
        dataDirLock = lock;
        return this;
    }

    /**
     * Takes this process's OS file lock on {@code dataDir} ({@value #LOCK_FILE}; released by {@link #close()}, or by the
     * OS when the process ends, even by kill -9). Kafka locks its log directory only once the broker side starts; a
     * combined node's Raft layer opens (and recovers) the metadata log before that. Without this lock a second node on
     * the same directory got that far before it failed: in the same JVM Kafka then ended the process, and in one hand
     * test with two processes the running node stopped on a corrupt metadata record.
     */
    private static FileChannel lockDataDir(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // held by another node in this JVM
        }
        channel.close();
        throw new DataDirInUseException(dataDir);
    }

    private void startLocked(Path logDir) throws Exception {
        String host = requested.host();
        int clientPort = requested.clientPort() == 0 ? freePort(host) : requested.clientPort();
        int controllerPort = requested.controllerPort() == 0 ? freePort(host) : requested.controllerPort();
        String voters = requested.quorumVoters() != null ? requested.quorumVoters() : requested.nodeId() + "@" + host + ":" + controllerPort;
        KafkaNode n = new KafkaNode(requested.nodeId(), requested.clusterId(), host, clientPort, controllerPort, requested.dataDir(), voters);
        int replication = Math.min(3, n.clusterSize());
        String minIsr = replication >= 3 ? "2" : "1";

        List<String> listeners = new ArrayList<>(List.of(BROKER_LISTENER + "://" + host + ":" + clientPort));
        List<String> protocols = new ArrayList<>(List.of(BROKER_LISTENER + ":PLAINTEXT", CONTROLLER_LISTENER + ":PLAINTEXT"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map.Entry<String, String> l : extraListeners.entrySet()) {
            int port = freePort(host);
            ports.put(l.getKey(), port);
            listeners.add(l.getKey() + "://" + host + ":" + port);
            protocols.add(l.getKey() + ":" + l.getValue());
        }
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(n.nodeId()));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", String.join(",", listeners) + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        p.put("advertised.listeners", String.join(",", listeners));
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", String.join(",", protocols));
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "3");
        p.put("offsets.topic.replication.factor", String.valueOf(replication));
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", String.valueOf(replication));
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("min.insync.replicas", minIsr);
        p.put("default.replication.factor", String.valueOf(replication));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // A single node has nowhere to move leadership to: controlled shutdown would wait for minutes. In a cluster
        // it moves leadership away first, so that a planned stop is not an outage.
        p.put("controlled.shutdown.enable", String.valueOf(n.clusterSize() > 1));
        if (n.clusterSize() > 1) {
            // A member that died is fenced (and its partitions get new leaders) after 6 s instead of 9 s.
            p.put("broker.heartbeat.interval.ms", "1000");
            p.put("broker.session.timeout.ms", "6000");
        }
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
                    .setClusterId(n.clusterId() != null ? n.clusterId() : Uuid.randomUuid().toString())
                    .setNodeId(n.nodeId())
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
        node = n;
        listenerPorts.clear();
        listenerPorts.putAll(ports);
    }

    /** {@code host:port} of the PLAINTEXT listener, for clients. */
    public synchronized String bootstrapServers() {
        return started().bootstrapServers();
    }

    /** {@code host:port} of a listener added with {@link #withListener}. */
    public synchronized String bootstrapServers(String listener) {
        Integer port = listenerPorts.get(listener.toUpperCase(Locale.ROOT));
        if (port == null) {
            throw new IllegalArgumentException("no listener " + listener);
        }
        return started().host() + ":" + port;
    }

    /** The node as it runs: with the ports it listens on (to restart it the same). */
    public synchronized KafkaNode node() {
        return started();
    }

    public Path dataDir() {
        return requested.dataDir();
    }

    /** Stops the node (in a cluster: after moving its leaderships away) and waits for it to finish. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            stopBrokerSide();
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (dataDirLock != null) {
            try {
                dataDirLock.close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
            dataDirLock = null;
        }
    }

    /**
     * Stops only the broker side of this node, its controller keeps running (until {@link #close()}): what a
     * cluster does first on every node, so that the controllers keep their majority while the brokers ask them
     * for a controlled shutdown. Kafka waits up to five minutes for that answer; here at most
     * {@link #CONTROLLED_SHUTDOWN_BOUND}, after which the broker stops anyway (as if it had died: its partitions
     * get new leaders once its session expires). No-op when not started or already stopped.
     */
    synchronized void stopBrokerSide() {
        if (server == null) {
            return;
        }
        BrokerServer broker = brokerOf(server);
        if (broker != null) {
            broker.shutdown(CONTROLLED_SHUTDOWN_BOUND);
        }
    }

    /**
     * The broker inside Kafka's combined server: Kafka keeps it private and only offers a shutdown with its fixed
     * five-minute bound. Null (and {@link #close()} uses Kafka's bound) should a later Kafka rename the field —
     * {@code EmbeddedKafkaClusterTest} fails then.
     */
    static BrokerServer brokerOf(KafkaRaftServer server) {
        try {
            Field f = KafkaRaftServer.class.getDeclaredField("broker");
            f.setAccessible(true);
            Object option = f.get(server);
            return option instanceof scala.Option<?> o && o.isDefined() && o.get() instanceof BrokerServer b ? b : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** For tests: the broker side is reachable, so a stop is bounded by {@link #CONTROLLED_SHUTDOWN_BOUND}. */
    synchronized boolean brokerSideReachable() {
        started();
        return brokerOf(server) != null;
    }

    private KafkaNode started() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return node;
    }

    /**
     * A port free on {@code host} now, chosen <em>outside</em> the kernel's ephemeral range: a node keeps its ports
     * across restarts, and a port from that range can meanwhile become the source port of some outgoing
     * connection (a client reconnecting to the very node that is down), so that the node cannot bind it again
     * ("Address already in use"). Random in [10000, start of the ephemeral range), checked by binding; the kernel's
     * own choice when that range is exhausted.
     */
    static int freePort(String host) throws IOException {
        int low = 10_000;
        int high = ephemeralRangeStart();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200 && high - low > 1000; attempt++) {
            try {
                return bindAndRelease(host, low + random.nextInt(high - low));
            } catch (IOException taken) {
                // in use: try another
            }
        }
        return bindAndRelease(host, 0);
    }

    /** Binds {@code port} on {@code host} (0: any free one), releases it and returns it. */
    private static int bindAndRelease(String host, int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return s.getLocalPort();
        }
    }

    /** The first port of the ephemeral range: Linux's from /proc, else IANA's 49152 (macOS's default). */
    static int ephemeralRangeStart() {
        try {
            // readAllLines, not readString: procfs files report size 0 and readString returns only their first byte
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }
}
