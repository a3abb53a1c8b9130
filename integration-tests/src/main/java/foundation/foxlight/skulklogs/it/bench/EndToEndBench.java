package foundation.foxlight.skulklogs.it.bench;

import foundation.foxlight.skulklogs.it.matrix.PeakMemory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end benchmark of the whole pipeline (issue 5): Skulk-like JSON lines appended to one file per simulated node,
 * tailed by one {@code skulk-logs agent} process per node, through Kafka and one relay into the store. Not a test; run
 * by {@code integration-tests/bench/end-to-end.sh}, which starts the broker, the relay and the agents.
 *
 * <p>Every line carries {@code bench_seq} (unique over all nodes and phases) and {@code bench_sent_us} (epoch µs right
 * before the write that appended it). Phases, after a warm-up at the steady rate (agent and relay start-up, JIT;
 * not counted):
 * <ol>
 *   <li>throughput: every node's writer appends {@code --lines} lines as fast as it can; timed from the first write to
 *       the store's 200 for the last line;</li>
 *   <li>latency: {@code --rate} lines/s in all, spread over the nodes, a chunk per node every {@code --chunk-ms};
 *       line written to the store's 200 for the request holding it (p50 ... max), and the drain (last line written to
 *       every line stored).</li>
 * </ol>
 * For each phase, the CPU-seconds (user + system) of every process in the pid file per million lines of the phase;
 * at the end their peak RSS ({@code VmHWM}).
 *
 * <p>Store: {@link TimingStore} (per-line answer times), or {@code --victorialogs-url}: a real VictoriaLogs (or the
 * stand-in), where only arrival is known, from the growth of {@code vl_rows_ingested_total} on its {@code /metrics}
 * (polled every 50 ms), so the latency phase then reports only the drain.
 *
 * <p>Protocol with the script: prints {@code store <url>} first, then waits for {@code --pids-file} (lines
 * {@code <name> <pid>}; names starting with {@code agent} are summed as "agents"; write it whole, e.g. with a rename).
 * Prints a readable report, and {@code result<TAB>key<TAB>value} lines for the script's summary. Exit status 1 when a
 * line did not arrive in time.
 *
 * <p>Arguments: {@code --dir} (required; the node files {@code node-<n>.log} are created there, empty, before
 * {@code store} is printed), {@code --pids-file} (required), {@code --nodes} (4), {@code --lines} (200000 per node,
 * throughput phase), {@code --rate} (10000 lines/s in all), {@code --warmup} (10 s), {@code --seconds} (30),
 * {@code --chunk-ms} (10), {@code --victorialogs-url}.
 */
public final class EndToEndBench {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String[] COMPONENTS = {"worker", "api", "master", "shard"};
    private static final long POLL_MILLIS = 20;

    /** Where the lines end up: how many of them arrived so far. Thread-safe. */
    private interface StoredLines extends AutoCloseable {
        String url();

        /** Lines that arrived since the benchmark started. */
        long count() throws Exception;

        /** Epoch µs when the count last grew: exact for the timing store, else the poll that saw it. */
        long lastArrivalMicros();

        /** Written-to-200 latencies (µs) of lines {@code from <= seq < to}; null when the store cannot tell. */
        long[] latenciesMicros(long from, long to);

        /** Lines accepted more than once (-1: unknown). */
        long duplicates();
    }

    private EndToEndBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv);
        Path dir = Path.of(args.string("dir", null));
        Path pidsFile = Path.of(args.string("pids-file", null));
        int nodes = (int) args.number("nodes", 4);
        long linesPerNode = args.number("lines", 200_000);
        int rate = (int) args.number("rate", 10_000);
        double warmup = args.decimal("warmup", 10);
        double seconds = args.decimal("seconds", 30);
        int chunkMillis = (int) args.number("chunk-ms", 10);
        String vlUrl = args.string("victorialogs-url", "");

        long perTick = Math.max(1, Math.round((double) rate / nodes * chunkMillis / 1000));
        long warmTicks = Math.round(warmup * 1000 / chunkMillis);
        long steadyTicks = Math.round(seconds * 1000 / chunkMillis);
        long capacity = nodes * (perTick * (warmTicks + steadyTicks) + linesPerNode);

        List<NodeFile> files = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            files.add(new NodeFile(dir.resolve("node-" + n + ".log"), "node-" + n));
        }
        ExecutorService writers = Executors.newFixedThreadPool(nodes);
        try (StoredLines store = vlUrl.isEmpty() ? timingStore((int) capacity) : new CountingStore(vlUrl)) {
            System.out.println("store " + store.url());
            System.out.flush();
            Map<String, Long> pids = awaitPids(pidsFile);
            pids.put("bench (writers" + (vlUrl.isEmpty() ? " + timing store)" : ")"), ProcessHandle.current().pid());
            Results results = new Results();

            // warm-up: the steady rate until every line of it arrived (the agents and the relay are up and warm)
            long seq = 0;
            steady(writers, files, seq, perTick, warmTicks, chunkMillis);
            seq += nodes * perTick * warmTicks;
            awaitStored(store, seq, 300, "warm-up");
            System.out.printf("warm-up: %d lines at %d lines/s arrived%n", seq, rate);

            // (a) throughput
            long aFrom = seq;
            Map<String, Double> cpu0 = cpu(pids);
            long start = TimingStore.micros();
            long written = burst(writers, files, seq, linesPerNode);
            seq += nodes * linesPerNode;
            awaitStored(store, seq, 900, "throughput phase");
            double aSeconds = (store.lastArrivalMicros() - start) / 1e6;
            long aLines = seq - aFrom;
            results.put("a_lines", aLines);
            results.put("a_seconds", aSeconds);
            results.put("a_lines_per_s", aLines / aSeconds);
            results.put("a_write_seconds", (written - start) / 1e6);
            System.out.printf("throughput: %d lines (%d per node) written in %.1f s, all stored after %.1f s: %.0f lines/s%n",
                    aLines, linesPerNode, (written - start) / 1e6, aSeconds, aLines / aSeconds);
            cpuPerMillion(results, "a", pids, cpu0, aLines);

            // (b) latency at a steady rate
            long bFrom = seq;
            cpu0 = cpu(pids);
            long lastWrite = steady(writers, files, seq, perTick, steadyTicks, chunkMillis);
            seq += nodes * perTick * steadyTicks;
            awaitStored(store, seq, 300, "latency phase");
            long bLines = seq - bFrom;
            double drain = (store.lastArrivalMicros() - lastWrite) / 1e3;
            results.put("b_rate", (double) nodes * perTick * 1000 / chunkMillis);
            results.put("b_lines", bLines);
            results.put("b_drain_ms", drain);
            System.out.printf("latency: %d lines at %d lines/s (%d per node every %d ms) for %.0f s; last line written -> all stored %.0f ms%n",
                    bLines, nodes * perTick * 1000 / chunkMillis, perTick, chunkMillis, seconds, drain);
            long[] lat = store.latenciesMicros(bFrom, seq);
            if (lat != null) {
                Arrays.sort(lat);
                double[] ps = {50, 90, 99, 99.9};
                String[] keys = {"b_p50_ms", "b_p90_ms", "b_p99_ms", "b_p999_ms"};
                for (int i = 0; i < ps.length; i++) {
                    results.put(keys[i], BenchArgs.percentile(lat, ps[i]) / 1e3);
                }
                results.put("b_max_ms", lat[lat.length - 1] / 1e3);
                System.out.printf("latency ms (line written -> store's 200): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                        results.get("b_p50_ms"), results.get("b_p90_ms"), results.get("b_p99_ms"), results.get("b_p999_ms"),
                        results.get("b_max_ms"));
            }
            cpuPerMillion(results, "b", pids, cpu0, bLines);
            results.put("duplicates", store.duplicates());

            for (Map.Entry<String, List<Long>> g : groups(pids).entrySet()) {
                long peak = g.getValue().stream().mapToLong(p -> PeakMemory.ofProcess(p).orElse(-1)).max().orElse(-1);
                results.put("rss_mib " + g.getKey(), peak / 1024.0 / 1024.0);
            }
            System.out.printf("duplicates: %d; peak RSS MiB (max per process of a kind): %s%n", store.duplicates(),
                    results.matching("rss_mib "));
            results.print();
        } finally {
            writers.shutdownNow();
            for (NodeFile f : files) {
                f.close();
            }
        }
    }

    private static StoredLines timingStore(int capacity) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TimingStore store = new TimingStore(port, capacity);
        store.up();
        return new StoredLines() {
            @Override
            public String url() {
                return store.url();
            }

            @Override
            public long count() {
                return store.unique();
            }

            @Override
            public long lastArrivalMicros() {
                return store.lastAcceptMicros();
            }

            @Override
            public long[] latenciesMicros(long from, long to) {
                return store.latenciesMicros((int) from, (int) to);
            }

            @Override
            public long duplicates() {
                return store.duplicates();
            }

            @Override
            public void close() throws Exception {
                store.close();
            }
        };
    }

    /** A VictoriaLogs (or the stand-in): arrivals = growth of {@code vl_rows_ingested_total} since construction. */
    private static final class CountingStore implements StoredLines {
        private final HttpClient http = HttpClient.newHttpClient();
        private final String url;
        private final long base;
        private long lastCount = -1;
        private volatile long lastArrival;

        CountingStore(String url) throws Exception {
            this.url = url.replaceAll("/+$", "");
            this.base = ingested();
        }

        private long ingested() throws IOException, InterruptedException {
            String body = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith("vl_rows_ingested_total"))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }

        @Override
        public String url() {
            return url;
        }

        @Override
        public synchronized long count() throws Exception {
            long c = ingested() - base;
            if (c != lastCount) {
                lastCount = c;
                lastArrival = TimingStore.micros();
            }
            return c;
        }

        @Override
        public long lastArrivalMicros() {
            return lastArrival;
        }

        @Override
        public long[] latenciesMicros(long from, long to) {
            return null;
        }

        @Override
        public long duplicates() {
            return -1;
        }

        @Override
        public void close() {
        }
    }

    /** One simulated node's file and its line format (Skulk's: Python {@code json.dumps}, default separators). */
    private static final class NodeFile implements AutoCloseable {
        private final String node;
        private final OutputStream out;
        private final Random random = new Random();
        private final StringBuilder chunk = new StringBuilder(64 * 1024);

        NodeFile(Path file, String node) throws IOException {
            this.node = node;
            Files.createDirectories(file.getParent());
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        /** Appends lines {@code seq ... seq + count - 1} in one write, stamped now; returns the stamp (epoch µs). */
        long append(long seq, long count) throws IOException {
            long now = TimingStore.micros();
            String ts = TS.format(Instant.ofEpochSecond(now / 1_000_000, now % 1_000_000 * 1000));
            chunk.setLength(0);
            for (long s = seq; s < seq + count; s++) {
                String component = COMPONENTS[(int) (s % COMPONENTS.length)];
                chunk.append("{\"ts\": \"").append(ts).append("\", \"level\": \"INFO\", \"node_id\": \"").append(node)
                        .append("\", \"component\": \"").append(component).append("\", \"module\": \"skulk.").append(component)
                        .append(".runner\", \"function\": \"step\", \"line\": ").append(s % 500).append(", \"msg\": \"step ").append(s)
                        .append(" done in ").append(1 + random.nextInt(999)).append(" ms\", \"bench_seq\": ").append(s)
                        .append(", \"bench_sent_us\": ").append(now).append("}\n");
            }
            out.write(chunk.toString().getBytes(StandardCharsets.US_ASCII));
            return now;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** What one node's writer does, from its first sequence number on; returns a time stamp (epoch µs). */
    private interface NodeWork {
        long run(NodeFile file, long firstSeq) throws Exception;
    }

    /**
     * Runs {@code work} on every node at once, node {@code n} (0-based) from sequence number {@code from + n * perNode};
     * returns the latest time stamp returned.
     */
    private static long onEveryNode(ExecutorService pool, List<NodeFile> files, long from, long perNode, NodeWork work) throws Exception {
        List<Future<Long>> done = new ArrayList<>();
        for (int n = 0; n < files.size(); n++) {
            NodeFile f = files.get(n);
            long first = from + n * perNode;
            done.add(pool.submit(() -> work.run(f, first)));
        }
        long last = 0;
        for (Future<Long> d : done) {
            last = Math.max(last, d.get());
        }
        return last;
    }

    /** Every node appends {@code perNode} lines as fast as it can, 200 lines per write; returns when the last write ended. */
    private static long burst(ExecutorService pool, List<NodeFile> files, long from, long perNode) throws Exception {
        return onEveryNode(pool, files, from, perNode, (f, first) -> {
            for (long s = first; s < first + perNode; s += 200) {
                f.append(s, Math.min(200, first + perNode - s));
            }
            return TimingStore.micros();
        });
    }

    /** Every node appends {@code perTick} lines every {@code chunkMillis}, {@code ticks} times; returns the last write's stamp. */
    private static long steady(ExecutorService pool, List<NodeFile> files, long from, long perTick, long ticks, int chunkMillis)
            throws Exception {
        return onEveryNode(pool, files, from, perTick * ticks, (f, first) -> {
            long[] last = new long[1];
            BenchLines.paced(ticks, TimeUnit.MILLISECONDS.toNanos(chunkMillis), tick -> {
                try {
                    last[0] = f.append(first + tick * perTick, perTick);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return last[0];
        });
    }

    private static void awaitStored(StoredLines store, long total, long timeoutSeconds, String phase) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long count;
        while ((count = store.count()) < total) {
            if (System.nanoTime() > deadline) {
                System.out.printf("MISSING %d of %d lines did not arrive within %d s (%s)%n", total - count, total, timeoutSeconds, phase);
                System.exit(1);
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    private static Map<String, Long> awaitPids(Path file) throws IOException, InterruptedException {
        while (!Files.exists(file)) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                pids.put(f[0], Long.parseLong(f[1]));
            }
        }
        return pids;
    }

    /** Process kinds: every {@code agent*} is one "agents" group, the rest stand alone. */
    private static Map<String, List<Long>> groups(Map<String, Long> pids) {
        Map<String, List<Long>> g = new LinkedHashMap<>();
        pids.forEach((name, pid) -> g.computeIfAbsent(name.startsWith("agent") ? "agents" : name, k -> new ArrayList<>()).add(pid));
        return g;
    }

    private static Map<String, Double> cpu(Map<String, Long> pids) {
        Map<String, Double> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, BenchArgs.cpuSeconds(pid)));
        return out;
    }

    /** CPU-seconds per million lines of the phase, per kind (agents summed), since {@code before}. */
    private static void cpuPerMillion(Results results, String phase, Map<String, Long> pids, Map<String, Double> before, long lines) {
        Map<String, Double> now = cpu(pids);
        Map<String, Double> sums = new LinkedHashMap<>();
        pids.keySet().forEach(name -> sums.merge(name.startsWith("agent") ? "agents" : name, now.get(name) - before.get(name), Double::sum));
        sums.forEach((kind, cpu) -> results.put("cpu_" + phase + " " + kind, cpu / lines * 1e6));
        System.out.printf("CPU-s per million lines (%s phase): %s%n", phase.equals("a") ? "throughput" : "latency",
                results.matching("cpu_" + phase + " "));
    }

    /** Named numbers of one run, printed as {@code result<TAB>key<TAB>value} for the script. */
    private static final class Results {
        private final Map<String, Double> values = new LinkedHashMap<>();

        void put(String key, double value) {
            values.put(key, value);
        }

        Double get(String key) {
            return values.get(key);
        }

        String matching(String prefix) {
            StringBuilder b = new StringBuilder();
            values.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    b.append(b.length() == 0 ? "" : ", ").append(k.substring(prefix.length())).append(' ').append(String.format("%.1f", v));
                }
            });
            return b.toString();
        }

        void print() {
            values.forEach((k, v) -> System.out.println("result\t" + k + "\t" + v));
        }
    }
}
