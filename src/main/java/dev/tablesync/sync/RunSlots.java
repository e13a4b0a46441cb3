package dev.tablesync.sync;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.tablesync.config.Settings;

/**
 * The process-wide cap on concurrent runs, a line for the runs waiting for one of its permits, and
 * the count of runs in flight, which shutdown waits for. Sync runs and verify runs go through the
 * same slots, so together they never exceed {@code tablesync.max-concurrent-runs}.
 * <p>
 * A freed permit goes to whoever has waited longest, never to whoever happens to ask next: a
 * scheduler tick that found no permit leaves its job in line and returns, and the job runs on a
 * slot thread when its turn comes, so a mapping that just ran queues behind those still waiting.
 * Runs started by hand wait for their permit on threads of their own ({@link #runInBackground}).
 */
@Singleton
final class RunSlots {

    private static final Logger LOG = Logger.getLogger(RunSlots.class);

    /** The most that {@link #drain} keeps for aborted runs to unwind. */
    private static final Duration UNWIND = Duration.ofSeconds(2);

    private final Object lock = new Object();
    /** Oldest first; each value takes over a permit. A scheduled job is in line at most once, under its key. */
    private final Map<Object, Runnable> line = new LinkedHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService slotThreads = daemons("tablesync-slot-");
    private final ExecutorService triggered = daemons("tablesync-triggered-");
    private int free;

    /** Capped at {@code tablesync.max-concurrent-runs}. */
    @Inject
    RunSlots(Settings settings) {
        this(settings.maxConcurrentRuns());
    }

    RunSlots(int maxConcurrentRuns) {
        this.free = maxConcurrentRuns;
    }

    private static ExecutorService daemons(String prefix) {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A scheduler tick's job: runs now on the calling thread when a permit is free and nothing is in
     * line; otherwise joins the line (unless it is there already) and returns at once.
     *
     * @param key names the job, e.g. its mapping and kind
     * @param job run holding a permit; decides itself, then, whether there is still something to do
     * @return the job's result when it ran now
     */
    <T> Optional<T> runOrQueue(String key, Supplier<T> job) {
        synchronized (lock) {
            if (free == 0 || !line.isEmpty()) {
                if (line.putIfAbsent(key, () -> runOnSlotThread(key, job)) == null) {
                    LOG.debugf("%s: waiting for one of the runs in progress to end, %d in line", key, line.size());
                }
                return Optional.empty();
            }
            free--;
        }
        return Optional.ofNullable(holding(job));
    }

    /** Whether the current thread's work still holds its permit (it may give it back early: {@link #giveBack}). */
    private final ThreadLocal<boolean[]> holds = new ThreadLocal<>();

    /** Runs {@code job} holding a permit taken for it, and releases that permit after, unless given back already. */
    private <T> T holding(Supplier<T> job) {
        boolean[] held = {true};
        holds.set(held);
        try {
            return job.get();
        } finally {
            holds.remove();
            if (held[0]) {
                release();
            }
        }
    }

    /**
     * The current run gives its permit back while it goes on: a binlog apply session runs for minutes, mostly
     * waiting for the source, and must not keep other mappings' runs in line. It still counts as in flight.
     */
    void giveBack() {
        boolean[] held = holds.get();
        if (held != null && held[0]) {
            held[0] = false;
            release();
        }
    }

    /** Called holding the permit its turn brought. */
    private void runOnSlotThread(String key, Supplier<?> job) {
        try {
            slotThreads.execute(() -> {
                try {
                    holding(job);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "%s: run failed unexpectedly", key);
                }
            });
        } catch (RejectedExecutionException e) {
            release();
        }
    }

    /**
     * Runs {@code work} for a mapping this process has claimed, once a permit comes free for it after
     * everything already in line, and gives the claim back afterwards whatever happens.
     *
     * @return the work's result, or null when interrupted while waiting
     */
    <T> T run(MappingState s, Supplier<T> work) {
        return claimed(s, () -> {
            if (!awaitTurn()) {
                return null;
            }
            return holding(work);
        });
    }

    /**
     * As {@link #run}, on a thread of its own: returns at once. Gives the claim back if the work
     * cannot even be started.
     */
    void runInBackground(MappingState s, Supplier<?> work) {
        try {
            triggered.execute(() -> run(s, work));
        } catch (RuntimeException e) {
            s.finish();
            throw e;
        }
    }

    /** Start-up work that must not delay start-up, such as reading a flag from a server that may be down. */
    void background(Runnable work) {
        triggered.execute(work);
    }

    /** Runs {@code work} for a mapping this process has claimed, already holding a permit; gives the claim back. */
    <T> T claimed(MappingState s, Supplier<T> work) {
        inFlight.incrementAndGet();
        // Every log line of the run carries the mapping, also as a field in JSON logs.
        MDC.put("mapping", s.mapping.id());
        try {
            return work.get();
        } finally {
            s.finish();
            inFlight.decrementAndGet();
            MDC.remove("mapping");
        }
    }

    /** Takes a permit, waiting behind everything in line; false when interrupted (then it holds none). */
    private boolean awaitTurn() {
        CountDownLatch turn = new CountDownLatch(1);
        synchronized (lock) {
            if (free > 0 && line.isEmpty()) {
                free--;
                return true;
            }
            line.put(turn, turn::countDown);
        }
        try {
            turn.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (lock) {
                if (line.remove(turn) != null) {
                    return false;
                }
            }
            release(); // the turn came while we gave up: pass the permit on
            return false;
        }
    }

    /** Hands the permit to the oldest in line, or frees it. */
    private void release() {
        Runnable next;
        synchronized (lock) {
            Iterator<Runnable> oldest = line.values().iterator();
            if (!oldest.hasNext()) {
                free++;
                return;
            }
            next = oldest.next();
            oldest.remove();
        }
        next.run();
    }

    /**
     * Waits up to {@code timeout} for the runs in flight to end. Near its end (a quarter of it before,
     * at most {@link #UNWIND} before) {@code abort} gets how many are still going, and the rest of
     * the time is for those runs to unwind, so the whole wait stays within {@code timeout}.
     */
    void drain(Duration timeout, IntConsumer abort) {
        Duration unwind = timeout.dividedBy(4).compareTo(UNWIND) < 0 ? timeout.dividedBy(4) : UNWIND;
        int left = waitForRuns(timeout.minus(unwind));
        if (left > 0) {
            abort.accept(left);
            waitForRuns(unwind);
        }
    }

    private int waitForRuns(Duration timeout) {
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

    /** Scheduled jobs still in line are dropped from here on. */
    @PreDestroy
    void close() {
        slotThreads.shutdownNow();
        triggered.shutdownNow();
    }
}
