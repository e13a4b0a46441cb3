package dev.tablesync.sync;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The process-wide cap on concurrent runs and the count of runs in flight, which shutdown waits
 * for. Sync runs and verify runs go through the same slots, so together they never exceed
 * {@code tablesync.max-concurrent-runs}.
 */
final class RunSlots {

    private static final Logger LOG = Logger.getLogger(RunSlots.class);

    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();

    RunSlots(int maxConcurrentRuns) {
        this.permits = new Semaphore(maxConcurrentRuns);
    }

    /**
     * Runs {@code work} for a mapping this process has claimed, holding one permit, and gives the
     * claim back afterwards whatever happens.
     *
     * @return the work's result, or null when {@code waitForPermit} is false and no permit was free
     */
    <T> T run(MappingState s, boolean waitForPermit, Supplier<T> work) {
        inFlight.incrementAndGet();
        // Every log line of the run carries the mapping, also as a field in JSON logs.
        MDC.put("mapping", s.mapping.id());
        try {
            if (!acquire(waitForPermit)) {
                LOG.debugf("Mapping %s: skipped this tick, %d runs already in progress", s.mapping.id(),
                        permits.availablePermits());
                return null;
            }
            try {
                return work.get();
            } finally {
                permits.release();
            }
        } finally {
            s.finish();
            inFlight.decrementAndGet();
            MDC.remove("mapping");
        }
    }

    private boolean acquire(boolean wait) {
        if (!wait) {
            return permits.tryAcquire();
        }
        try {
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits up to {@code timeout} for the runs in flight to end; returns how many are still going. */
    int drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return inFlight.get();
    }
}
