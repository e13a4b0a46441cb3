package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * More mappings due than {@code max-concurrent-runs} allows: each waits its turn, so every mapping
 * runs about as often as the others. Runs take a fixed time instead of touching a database, and
 * ticks come like the Quarkus scheduler's: one job per mapping at a fixed rate, handed to a worker
 * thread, skipped while the job's previous tick is still being handled.
 */
class FairSchedulingTest {

    private static final int MAPPINGS = 12;
    private static final long PERIOD_MS = 300;
    private static final long RUN_MS = 200;
    /** The jobs' phases: mapping i ticks i * 10 ms after mapping 0. */
    private static final long STAGGER_MS = 10;
    private static final long TEST_MS = 9_000;

    @Test
    void shouldRunEveryDueMappingInTurnSoNoneStarvesBehindTheRunCap() throws Exception {
        Map<String, List<Long>> starts = new ConcurrentHashMap<>();
        Set<String> running = ConcurrentHashMap.newKeySet();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicLong begin = new AtomicLong();
        SyncEngine engine = Engines.engine(properties(2), (s, request) -> {
            Instant started = Instant.now();
            String id = s.mapping.id();
            starts.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
                    .add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin.get()));
            if (!running.add(id)) {
                overlaps.incrementAndGet();
            }
            try {
                sleep(RUN_MS);
            } finally {
                running.remove(id);
            }
            return Engines.succeeded(s, started);
        });
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        begin.set(System.nanoTime());
        ExecutorService workers = Executors.newCachedThreadPool();
        for (int i = 0; i < MAPPINGS; i++) {
            String id = id(i);
            AtomicBoolean busy = new AtomicBoolean();
            timer.scheduleAtFixedRate(() -> {
                if (busy.compareAndSet(false, true)) {
                    workers.execute(() -> {
                        try {
                            engine.runScheduled(id);
                        } finally {
                            busy.set(false);
                        }
                    });
                }
            }, i * STAGGER_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        sleep(TEST_MS);
        timer.shutdownNow();
        Engines.shutDown(engine);
        workers.shutdownNow();

        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Long> firstRun = new TreeMap<>();
        for (int i = 0; i < MAPPINGS; i++) {
            List<Long> s = starts.getOrDefault(id(i), List.of());
            counts.put(id(i), s.size());
            firstRun.put(id(i), s.isEmpty() ? Long.MAX_VALUE : s.get(0));
        }
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        // In turn, each mapping runs every 12 * 200 ms / 2 = 1.2 s: about 7 times in 9 s.
        assertTrue(min >= 3 && max <= 2 * min, "runs per mapping: " + counts);
        assertTrue(firstRun.values().stream().allMatch(ms -> ms <= 4_000), "first run, ms after start: " + firstRun);
        assertEquals(0, overlaps.get(), "two runs of one mapping at once");
    }

    private static String id(int i) {
        return String.format("m%02d", i);
    }

    /** Two connections and {@link #MAPPINGS} mappings every 300 ms; runs never connect. */
    private static Map<String, String> properties(int maxConcurrentRuns) {
        Map<String, String> p = new HashMap<>();
        p.put("tablesync.connections.src.url", "jdbc:mysql://127.0.0.1:9/src");
        p.put("tablesync.connections.dst.url", "jdbc:mysql://127.0.0.1:9/dst");
        p.put("tablesync.max-concurrent-runs", Integer.toString(maxConcurrentRuns));
        p.put("tablesync.shutdown-timeout", "5s");
        for (int i = 0; i < MAPPINGS; i++) {
            String m = "tablesync.mappings." + id(i) + ".";
            p.put(m + "source", "src");
            p.put(m + "source-table", "t" + i);
            p.put(m + "target", "dst");
            p.put(m + "schedule", "1s");
        }
        return p;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
