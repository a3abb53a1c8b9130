package foundation.foxlight.skulklogs.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a service until SIGINT/SIGTERM, then stops it cleanly (bounded) before the JVM exits. */
final class ServiceLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLifecycle.class);

    private ServiceLifecycle() {
    }

    /** Blocks the calling (main) thread until the process is asked to stop and {@code stop} completed. */
    static void awaitShutdown(Supplier<Future<?>> stop, long graceSeconds) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch exiting = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            LOG.info("stopping: finishing deliveries in flight and writing checkpoints...");
            stop.get().onComplete(ar -> {
                if (ar.failed()) {
                    LOG.warn("stopped with an error: {}", ar.cause().toString());
                } else {
                    LOG.info("stopped cleanly");
                }
                done.countDown();
            });
            try {
                done.await(graceSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exiting.countDown();
        }, "skulk-logs-shutdown");
        java.lang.Runtime.getRuntime().addShutdownHook(hook);
        exiting.await();
    }

    static <T> T await(Future<T> f, long seconds, String what) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof Exception ex ? ex : new RuntimeException(c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(what + " did not finish within " + seconds + " s");
        }
    }

    static Vertx vertx() {
        return Vertx.vertx();
    }
}
