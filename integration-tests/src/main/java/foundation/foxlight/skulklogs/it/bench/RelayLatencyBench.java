package foundation.foxlight.skulklogs.it.bench;

import java.net.ServerSocket;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency of the relay at a steady rate: line handed to the Kafka producer ({@code bench_sent_us}) to the
 * store's 200 for the request holding it. Not a test; run by {@code integration-tests/bench/relay-latency.sh}.
 *
 * <p>Prints {@code store <url>} first (start the relay against it), then produces {@code --rate} lines/s for
 * {@code --warmup} + {@code --seconds} seconds; only lines produced after the warm-up (relay start-up, group join,
 * JIT) count. Waits until every counted line was accepted, then prints count, p50, p90, p99, p99.9 and max in ms.
 *
 * <p>Arguments: {@code --bootstrap host:port} (required), {@code --topic} (skulk-logs), {@code --rate} (10000),
 * {@code --warmup} (20 s), {@code --seconds} (60), {@code --record-lines} (100 lines per Kafka record).
 */
public final class RelayLatencyBench {
    private RelayLatencyBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv);
        int rate = (int) args.number("rate", 10_000);
        double warmup = args.decimal("warmup", 20);
        double seconds = args.decimal("seconds", 60);
        int perRecord = (int) args.number("record-lines", 100);
        int total = (int) ((warmup + seconds) * rate) + perRecord;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (TimingStore store = new TimingStore(port, total);
             BenchLines lines = new BenchLines(args.string("bootstrap", null), args.string("topic", "skulk-logs"))) {
            store.up();
            System.out.println("store " + store.url());
            System.out.flush();
            lines.steady(rate, warmup, perRecord);
            int from = (int) lines.nextSeq();
            lines.steady(rate, seconds, perRecord);
            int to = (int) lines.nextSeq();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (store.unique() < to && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            long[] lat = store.latenciesMicros(from, to);
            Arrays.sort(lat);
            System.out.printf("rate %d lines/s, %d lines measured (%d accepted, %d duplicates, %d requests in all)%n",
                    rate, to - from, lat.length, store.duplicates(), store.requests());
            System.out.printf("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                    BenchArgs.percentile(lat, 50) / 1e3, BenchArgs.percentile(lat, 90) / 1e3, BenchArgs.percentile(lat, 99) / 1e3,
                    BenchArgs.percentile(lat, 99.9) / 1e3, lat.length == 0 ? -1 : lat[lat.length - 1] / 1e3);
            if (lat.length < to - from) {
                System.out.println("MISSING " + (to - from - lat.length) + " lines were not accepted within 120 s");
                System.exit(1);
            }
        }
    }
}
