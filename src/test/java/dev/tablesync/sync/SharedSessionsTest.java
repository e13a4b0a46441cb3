package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two binlog mappings on one source share its stream: the second, joining while writers go on (behind the stream,
 * after its snapshot), catches up on its own and is merged back, without restarting the first one's stream or
 * raising its lag.
 */
class SharedSessionsTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("binlog_shared_sessions");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what + "; dump threads " + dumpThreads());
            Thread.sleep(50);
        }
    }

    private static List<String> dumpThreads() {
        return SyncFixture.rows(fx.sourceServer, fx.sourceDb,
                "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' ORDER BY ID");
    }

    @Test
    void shouldPresentTheConfiguredServerIdToTheSource() throws Exception {
        fx.source("CREATE TABLE gamma (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO gamma VALUES (1, 0)");
        Map<String, String> p = fx.binlogProperties("gamma");
        p.put("tablesync.binlog.server-id", "2024061");
        SyncEngine engine = Engines.engine(p, null);
        try {
            await("the streams of earlier tests ended", () -> dumpThreads().isEmpty());
            CompletableFuture<Optional<RunResult>> gamma = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("gamma"));
            await("gamma follows", () -> dumpThreads().size() == 1 && engine.status("gamma").lag().isPresent());
            assertEquals(List.of("[31]"), SyncFixture.rows(fx.sourceServer, fx.sourceDb, // 1, hex-encoded
                    "SELECT IS_USED_LOCK('tablesync-binlog-id-2024061') IS NOT NULL"), "the claim of id 2024061");
            engine.setPaused("gamma", true, "test");
            assertTrue(gamma.get(30, TimeUnit.SECONDS).orElseThrow().succeeded());
        } finally {
            Engines.shutDown(engine);
        }
    }

    @Test
    void shouldLetASecondMappingJoinBehindWithoutRestartingTheFirstOnesStream() throws Exception {
        fx.source("CREATE TABLE alpha (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO alpha VALUES (1, 0)",
                "CREATE TABLE beta (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO beta VALUES (1, 0)");
        SyncEngine engine = Engines.engine(fx.binlogProperties("alpha", "beta"), null);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int id = 2; writing.get(); id++) {
                fx.source("INSERT INTO alpha VALUES (" + id + ", 0)", "INSERT INTO beta VALUES (" + id + ", 0)",
                        "UPDATE beta SET n = n + 1 WHERE id = 1");
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            await("the streams of earlier tests ended", () -> dumpThreads().isEmpty());
            CompletableFuture<Optional<RunResult>> alpha = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("alpha"));
            await("alpha follows", () -> dumpThreads().size() == 1 && engine.status("alpha").lag().isPresent());
            List<String> shared = dumpThreads();
            writer.start();
            Thread.sleep(500);
            CompletableFuture<Optional<RunResult>> beta = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("beta"));
            Duration worst = Duration.ZERO;
            for (long end = System.nanoTime() + Duration.ofSeconds(4).toNanos(); System.nanoTime() < end; ) {
                Duration lag = engine.status("alpha").lag().orElse(Duration.ZERO);
                worst = lag.compareTo(worst) > 0 ? lag : worst;
                assertTrue(dumpThreads().contains(shared.get(0)), "alpha's stream runs on: " + dumpThreads());
                Thread.sleep(50);
            }
            writing.set(false);
            writer.join();
            await("both applied every write", () -> fx.sameRows("alpha") && fx.sameRows("beta"));
            await("beta merged back: one Binlog Dump thread", () -> dumpThreads().equals(shared));
            assertTrue(worst.compareTo(Duration.ofMillis(2_500)) < 0, "alpha's lag reached " + worst);
            org.jboss.logging.Logger.getLogger(SharedSessionsTest.class).infof(
                    "while beta joined and caught up: alpha's worst lag %d ms", worst.toMillis());

            engine.setPaused("alpha", true, "test");
            engine.setPaused("beta", true, "test");
            RunResult a = alpha.get(30, TimeUnit.SECONDS).orElseThrow();
            RunResult b = beta.get(30, TimeUnit.SECONDS).orElseThrow();
            assertTrue(a.succeeded(), a.summary());
            assertTrue(b.succeeded(), b.summary());
            assertEquals("snapshot+binlog", b.kind());
        } finally {
            writing.set(false);
            writer.join();
            Engines.shutDown(engine);
        }
    }
}
