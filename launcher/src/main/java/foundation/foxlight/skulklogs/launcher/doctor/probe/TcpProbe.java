package foundation.foxlight.skulklogs.launcher.doctor.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Resolves a host name and opens (then closes) a TCP connection to it, bounded by a timeout: the question "can
 * this node reach host:port?" with the reason when it cannot. Blocking, stateless, thread-safe.
 */
public final class TcpProbe {
    private TcpProbe() {
    }

    /** Why an address is (not) reachable. */
    public enum Outcome {
        REACHABLE("reachable"),
        UNRESOLVABLE("cannot be resolved"),
        REFUSED("refuses connections (nothing listens there)"),
        TIMEOUT("does not answer (host down, or a firewall drops the connection)"),
        ERROR("cannot be reached");

        public final String description;

        Outcome(String description) {
            this.description = description;
        }
    }

    /** The answer for one address; {@code detail} adds the exception text for {@link Outcome#ERROR}. */
    public record Reachability(HostPort address, Outcome outcome, String detail) {
        public boolean reachable() {
            return outcome == Outcome.REACHABLE;
        }

        /** E.g. {@code kafka:9092 cannot be resolved}. */
        public String describe() {
            return address + " " + outcome.description + (detail == null ? "" : " (" + detail + ")");
        }
    }

    /** Name resolution and connect each bounded by {@code timeout} (resolution by the caller's deadline too). */
    public static Reachability connect(HostPort address, Duration timeout) {
        InetSocketAddress socketAddress = new InetSocketAddress(address.host(), address.port());
        if (socketAddress.isUnresolved()) {
            return new Reachability(address, Outcome.UNRESOLVABLE, null);
        }
        try (Socket s = new Socket()) {
            s.connect(socketAddress, (int) Math.max(1, timeout.toMillis()));
            return new Reachability(address, Outcome.REACHABLE, null);
        } catch (ConnectException e) {
            return new Reachability(address, Outcome.REFUSED, null);
        } catch (SocketTimeoutException e) {
            return new Reachability(address, Outcome.TIMEOUT, null);
        } catch (IOException e) {
            return new Reachability(address, Outcome.ERROR, e.toString());
        }
    }

    /**
     * {@link #connect} to every address at once; answers in the same order within about {@code timeout} (a name
     * lookup that hangs longer is reported as {@link Outcome#TIMEOUT}).
     */
    public static List<Reachability> connectAll(List<HostPort> addresses, Duration timeout) {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "doctor-tcp-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<Reachability>> futures = new ArrayList<>();
            for (HostPort a : addresses) {
                futures.add(CompletableFuture.supplyAsync(() -> connect(a, timeout), pool)
                        .completeOnTimeout(new Reachability(a, Outcome.TIMEOUT, "no answer within " + timeout.toMillis() / 1000.0 + " s"),
                                timeout.toMillis() + 500, TimeUnit.MILLISECONDS));
            }
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }
}
