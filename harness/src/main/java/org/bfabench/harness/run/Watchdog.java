package org.bfabench.harness.run;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a plugin call with an optional wall-clock limit. With a limit the call runs on a fresh daemon
 * worker thread; if it overruns, the worker is interrupted and abandoned (a plugin that ignores
 * interrupts keeps its thread until the JVM exits, but cannot hold up the grid).
 */
final class Watchdog {
    private Watchdog() {
    }

    /** Thrown when the limit passed; the worker may still be running. */
    static final class Overrun extends Exception {
        private static final long serialVersionUID = 1L;

        Overrun(String message) {
            super(message);
        }
    }

    /**
     * @throws Overrun           when the limit passed
     * @throws ExecutionException wrapping whatever the body threw
     */
    static <T> T call(String threadName, Optional<Duration> limit, Callable<T> body) throws Overrun, ExecutionException {
        if (limit.isEmpty()) {
            try {
                return body.call();
            } catch (Exception | Error e) {
                throw new ExecutionException(e);
            }
        }
        FutureTask<T> task = new FutureTask<>(body);
        Thread worker = new Thread(task, threadName);
        worker.setDaemon(true);
        worker.start();
        try {
            return task.get(limit.get().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new Overrun("exceeded the cell timeout of " + format(limit.get()));
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new ExecutionException(e);
        }
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : d.toMillis() % 1000 == 0
                ? s + "s" : d.toMillis() + "ms";
    }
}
