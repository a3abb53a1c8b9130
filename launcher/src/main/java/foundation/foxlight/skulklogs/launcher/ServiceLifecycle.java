package foundation.foxlight.skulklogs.launcher;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
        awaitShutdown(stop, graceSeconds, Promise.<Void>promise().future());
    }

    /**
     * As {@link #awaitShutdown(Supplier, long)}, and when {@code ended} completes (the service has nothing left to do)
     * the process exits with 0 the same way, through the same clean stop.
     */
    static void awaitShutdown(Supplier<Future<?>> stop, long graceSeconds, Future<?> ended) throws InterruptedException {
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
        // System.exit waits for the hook, which needs the event loops: never call it on one.
        ended.onSuccess(v -> new Thread(() -> System.exit(0), "skulk-logs-exit").start());
        exiting.await();
    }

    /**
     * Deploys {@code service} and waits for its start. If it does not start, {@code vertx} is closed (the parts
     * already started release their ports, locks and files) and a {@link StartFailedException} says what failed.
     */
    static void start(Vertx vertx, Deployable service, String what) throws StartFailedException {
        try {
            await(vertx.deployVerticle(service), 60, "starting " + what);
        } catch (Exception e) {
            try {
                await(vertx.close(), 30, "closing after a failed start");
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw new StartFailedException("cannot start " + what, e);
        }
    }

    /** A service did not start; its cause says why (an {@link java.io.IOException}: the environment, not a bug). */
    static final class StartFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailedException(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }

    /** The innermost cause of {@code t}. */
    static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
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
