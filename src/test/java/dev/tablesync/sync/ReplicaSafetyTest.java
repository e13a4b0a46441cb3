package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;

/**
 * Guarantee 6: two replicas (separate pools, as two pods would have) run the same mappings on
 * the same schedule; the target lock lets only one run a mapping at a time, and together they
 * sync every mapping.
 */
class ReplicaSafetyTest {

    static final int MAPPINGS = 3;
    static final int ROUNDS = 6;
    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("replicas");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /**
     * A run as one replica saw it: which mapping, whether it ran or found the lock held, and the
     * span between its first and last committed batch (inside the lock).
     */
    record Observed(String mapping, Instant start, Instant end, boolean ran, String replica) {
    }

    @Test
    void shouldNeverRunOneMappingOnTwoReplicasAtOnceAndTogetherSyncAll() throws Exception {
        List<Mapping> mappings = new ArrayList<>();
        for (int i = 0; i < MAPPINGS; i++) {
            String table = "shared_" + i;
            fx.numbers(300);
            fx.source("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT, updated_at DATETIME(6) NOT NULL"
                    + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                    "INSERT INTO " + table + " (id, v) SELECT n, n FROM nums");
            mappings.add(TestConfig.edit(fx.mapping("shared-" + i, table)).withBatchSize(20).withBulkBatchSize(20).build());
        }
        List<Observed> observed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try (DataSources a = replica(); DataSources b = replica()) {
            Future<?> first = replicas.submit(() -> runRounds("a", a, mappings, observed));
            Future<?> second = replicas.submit(() -> runRounds("b", b, mappings, observed));
            first.get();
            second.get();
        } finally {
            replicas.shutdownNow();
        }

        for (Mapping m : mappings) {
            List<Observed> ran = observed.stream().filter(o -> o.mapping().equals(m.id()) && o.ran()).toList();
            assertFalse(ran.isEmpty(), "mapping " + m.id() + " ran on some replica");
            assertNoOverlap(ran);
            fx.runOk(m);
            fx.assertSameRows("SELECT * FROM `" + m.sourceTable().table() + "` ORDER BY id");
        }
        assertTrue(observed.stream().anyMatch(o -> !o.ran()), "the replicas did collide at least once: " + observed);
    }

    private static DataSources replica() {
        return new DataSources(Map.of(
                "source", DataSources.pool("source", fx.sourceServer.jdbcUrl(fx.sourceDb), fx.sourceServer.username(),
                        fx.sourceServer.password(), 2),
                "target", DataSources.pool("target", fx.targetServer.jdbcUrl(fx.targetDb), fx.targetServer.username(),
                        fx.targetServer.password(), 2)));
    }

    private static void runRounds(String replica, DataSources ds, List<Mapping> mappings, List<Observed> observed) {
        Map<String, ChangeWindow> windows = new java.util.HashMap<>();
        List<Instant> commits = new ArrayList<>();
        RunObserver slow = new RunObserver() {
            @Override
            public void batchCommitted(dev.tablesync.checkpoint.Checkpoint cp, WriteCounts batch) {
                commits.add(Instant.now());
                sleep(5);
            }
        };
        for (int round = 0; round < ROUNDS; round++) {
            for (Mapping m : mappings) {
                commits.clear();
                ChangeWindow window = windows.computeIfAbsent(m.id(), ChangeWindow::new);
                RunResult r = new MappingRun(m, ds, SyncFixture.STATE_SCHEMA, window, slow, Clock.systemUTC())
                        .execute(RunRequest.scheduled());
                boolean busy = r.error().filter(e -> e instanceof MappingBusyException).isPresent();
                if (!busy && !r.succeeded()) {
                    throw new AssertionError(r.summary(), r.error().get());
                }
                if (busy || !commits.isEmpty()) {
                    Instant first = busy ? r.startedAt() : commits.get(0);
                    observed.add(new Observed(m.id(), first, busy ? first : commits.get(commits.size() - 1), !busy,
                            replica));
                }
            }
            fx.source("UPDATE shared_" + (round % MAPPINGS) + " SET v = v + 1 WHERE id % 7 = " + round);
            sleep(150);
        }
    }

    private static void assertNoOverlap(List<Observed> runs) {
        List<Observed> sorted = runs.stream().sorted(java.util.Comparator.comparing(Observed::start)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            Observed before = sorted.get(i - 1);
            Observed after = sorted.get(i);
            assertFalse(!after.start().isAfter(before.end()) && !after.replica().equals(before.replica()),
                    "runs overlap: " + before + " and " + after);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
