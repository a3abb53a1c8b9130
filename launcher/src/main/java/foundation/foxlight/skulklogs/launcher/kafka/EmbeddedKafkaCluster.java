package foundation.foxlight.skulklogs.launcher.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of N {@link EmbeddedKafkaBroker} nodes, each broker and controller (all N are voters), each
 * with its own data directory ({@code dir/node-<id>}) and fixed ports, so that a node stopped or killed comes
 * back as the same node. With three nodes: replication factor 3 and {@code min.insync.replicas=2} by default.
 *
 * <p>{@link #plan} only picks ports and a cluster id; nodes run in this JVM once {@link #start(int...)} started
 * them, or anywhere else from their {@link #node(int)} description (e.g. a {@code skulk-logs broker} process,
 * which is the only way to kill one abruptly: an in-process node can only shut down). A node that stops here
 * does so in a controlled way (its leaderships move first).
 *
 * <p>Starting blocks until the nodes run, which needs a majority of the voters: nodes are started in parallel.
 * Thread-safe; blocking (never call from an event loop). {@link #close()} stops every node started here.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private final Map<Integer, KafkaNode> nodes;
    private final Map<String, String> overrides;
    private final Map<Integer, EmbeddedKafkaBroker> running = new TreeMap<>();

    private EmbeddedKafkaCluster(Map<Integer, KafkaNode> nodes, Map<String, String> overrides) {
        this.nodes = nodes;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * A cluster of {@code size} nodes (ids 1..size) on {@code host}, with free ports picked now and data under
     * {@code dir}; nothing runs yet.
     *
     * @param overrides extra broker properties for every node
     */
    public static EmbeddedKafkaCluster plan(Path dir, String host, int size, Map<String, String> overrides) throws Exception {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster has at least one node");
        }
        String clusterId = Uuid.randomUuid().toString();
        int[] clientPorts = new int[size + 1];
        int[] controllerPorts = new int[size + 1];
        List<String> voters = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            clientPorts[id] = EmbeddedKafkaBroker.freePort(host);
            controllerPorts[id] = EmbeddedKafkaBroker.freePort(host);
            voters.add(id + "@" + host + ":" + controllerPorts[id]);
        }
        Map<Integer, KafkaNode> nodes = new LinkedHashMap<>();
        for (int id = 1; id <= size; id++) {
            nodes.put(id, new KafkaNode(id, clusterId, host, clientPorts[id], controllerPorts[id], dir.resolve("node-" + id),
                    String.join(",", voters)));
        }
        return new EmbeddedKafkaCluster(nodes, overrides);
    }

    /** Starts every node in this JVM. */
    public EmbeddedKafkaCluster start() throws Exception {
        start(nodes.keySet().stream().mapToInt(Integer::intValue).toArray());
        return this;
    }

    /**
     * Starts these nodes in this JVM, in parallel, and waits until each runs (a majority of all the nodes must
     * run by then, here or elsewhere). When one fails, those of them that started are stopped again.
     */
    public void start(int... ids) throws Exception {
        List<CompletableFuture<EmbeddedKafkaBroker>> starting = new ArrayList<>();
        for (int id : ids) {
            KafkaNode n = node(id);
            synchronized (this) {
                if (running.containsKey(id)) {
                    throw new IllegalStateException("node " + id + " already runs");
                }
            }
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new EmbeddedKafkaBroker(n, overrides).start();
                } catch (Exception e) {
                    throw new IllegalStateException("node " + n.nodeId() + " did not start: " + e, e);
                }
            }, runnable -> new Thread(runnable, "kafka-node-" + n.nodeId() + "-start").start()));
        }
        Exception failure = null;
        for (CompletableFuture<EmbeddedKafkaBroker> f : starting) {
            try {
                EmbeddedKafkaBroker b = f.get();
                synchronized (this) {
                    running.put(b.node().nodeId(), b);
                }
            } catch (ExecutionException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            for (int id : ids) {
                stop(id);
            }
            throw failure;
        }
    }

    /** Stops a node that runs in this JVM (controlled: its leaderships move to other nodes first). No-op when it does not run. */
    public void stop(int id) {
        EmbeddedKafkaBroker b;
        synchronized (this) {
            b = running.remove(id);
        }
        if (b != null) {
            b.close();
        }
    }

    /** Node {@code id} (1..size): its ports, data directory, cluster id and voters. */
    public KafkaNode node(int id) {
        KafkaNode n = nodes.get(id);
        if (n == null) {
            throw new IllegalArgumentException("no node " + id + " (nodes are 1.." + nodes.size() + ")");
        }
        return n;
    }

    public List<KafkaNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The node {@code id} as it runs in this JVM (for tests). */
    synchronized EmbeddedKafkaBroker broker(int id) {
        EmbeddedKafkaBroker b = running.get(id);
        if (b == null) {
            throw new IllegalStateException("node " + id + " does not run here");
        }
        return b;
    }

    public synchronized boolean runsHere(int id) {
        return running.containsKey(id);
    }

    /** Every node's client address, running or not: clients find the live ones. */
    public String bootstrapServers() {
        return nodes.values().stream().map(KafkaNode::bootstrapServers).collect(Collectors.joining(","));
    }

    /**
     * Stops every node running in this JVM: first every broker side, in parallel, while all the controllers still
     * run (so that each controlled shutdown gets its answer), then the nodes themselves, in parallel.
     */
    @Override
    public void close() {
        List<EmbeddedKafkaBroker> brokers;
        synchronized (this) {
            brokers = new ArrayList<>(running.values());
        }
        inParallel(brokers, "stop-broker", EmbeddedKafkaBroker::stopBrokerSide);
        inParallel(brokers, "stop", b -> stop(b.node().nodeId()));
    }

    private static void inParallel(List<EmbeddedKafkaBroker> brokers, String what, Consumer<EmbeddedKafkaBroker> action) {
        CompletableFuture.allOf(brokers.stream().map(b -> CompletableFuture.runAsync(() -> action.accept(b),
                runnable -> new Thread(runnable, "kafka-node-" + b.node().nodeId() + "-" + what).start())).toArray(CompletableFuture[]::new)).join();
    }
}
