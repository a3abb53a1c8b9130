package foundation.foxlight.skulklogs.it.bench;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Catch-up after a store outage: a backlog of {@code --lines} lines is put into Kafka while the store is down (the
 * relay already running and retrying), then the store comes up and the drain is timed until every line was accepted.
 * Not a test; run by {@code integration-tests/bench/relay-catchup.sh}.
 *
 * <p>Prints {@code store <url>} first (start the relay against it and write its pid to {@code --relay-pid-file});
 * waits for that file, produces the backlog, brings the store up and prints: store up to first accepted request
 * (the relay's retry backoff), first to last accepted line, lines/s over that span, and the relay's CPU-seconds per
 * million lines during the drain.
 *
 * <p>Arguments: {@code --bootstrap host:port} and {@code --relay-pid-file} (required), {@code --topic}
 * (skulk-logs), {@code --lines} (2000000), {@code --record-lines} (1000, the agent's default batch).
 */
public final class RelayCatchUpBench {
    private RelayCatchUpBench() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = new BenchArgs(argv);
        long total = args.number("lines", 2_000_000);
        int perRecord = (int) args.number("record-lines", 1000);
        Path pidFile = Path.of(args.string("relay-pid-file", null));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (TimingStore store = new TimingStore(port, (int) total);
             BenchLines lines = new BenchLines(args.string("bootstrap", null), args.string("topic", "skulk-logs"))) {
            System.out.println("store " + store.url());
            System.out.flush();
            while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            long relayPid = Long.parseLong(Files.readString(pidFile).strip());
            long produceStart = System.nanoTime();
            lines.backlog(total, perRecord);
            System.out.printf("backlog: %d lines in Kafka in %.1f s while the store was down%n", total,
                    (System.nanoTime() - produceStart) / 1e9);
            double cpuAtUp = BenchArgs.cpuSeconds(relayPid);
            long upMicros = TimingStore.micros();
            store.up();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (store.unique() < total && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            double cpu = BenchArgs.cpuSeconds(relayPid) - cpuAtUp;
            long first = store.firstAcceptMicros();
            long last = store.lastAcceptMicros();
            System.out.printf("drain: store up -> first accepted request: %.1f s; first -> last line: %.1f s; drain %.0f lines/s;"
                    + " up -> done %.1f s%n", (first - upMicros) / 1e6, (last - first) / 1e6, total / ((last - first) / 1e6),
                    (last - upMicros) / 1e6);
            System.out.printf("relay CPU during the drain: %.1f CPU-s, %.2f CPU-s per million lines; %d duplicates, %d requests%n",
                    cpu, cpu / total * 1e6, store.duplicates(), store.requests());
            if (store.unique() < total) {
                System.out.println("MISSING " + (total - store.unique()) + " lines were not accepted within 10 minutes");
                System.exit(1);
            }
        }
    }
}
