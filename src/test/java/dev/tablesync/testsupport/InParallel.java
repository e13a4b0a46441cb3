package dev.tablesync.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs a few slow, independent actions (starting or stopping two servers) at the same time.
 *
 * <p>Each action gets its own thread because the common fork-join pool has a single thread on two-CPU CI
 * machines, which would silently serialise the work. All actions run to completion even when one fails, so
 * the caller can clean up a consistent state.
 */
final class InParallel {

    private InParallel() {
    }

    /** Runs all actions, waits for all, then rethrows the first failure with the others suppressed. */
    static void run(Runnable... actions) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Runnable action : actions) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            Thread thread = new Thread(() -> complete(future, action), "tablesync-test-servers");
            thread.setDaemon(true);
            thread.start();
            running.add(future);
        }
        rethrowFirstFailure(running);
    }

    private static void complete(CompletableFuture<Void> future, Runnable action) {
        try {
            action.run();
            future.complete(null);
        } catch (Throwable t) {
            future.completeExceptionally(t);
        }
    }

    private static void rethrowFirstFailure(List<CompletableFuture<Void>> running) {
        RuntimeException first = null;
        for (CompletableFuture<Void> future : running) {
            try {
                future.join();
            } catch (CompletionException e) {
                RuntimeException cause = asRuntime(e.getCause());
                if (first == null) {
                    first = cause;
                } else {
                    first.addSuppressed(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        return t instanceof RuntimeException runtime ? runtime : new IllegalStateException(t);
    }
}
