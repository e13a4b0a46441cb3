package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Binlog mappings run by the engine: a scheduled run is an apply session that holds the mapping (ticks meanwhile
 * are skipped) while lag moves with each commit; pause ends it and keeps the position; run-once catches up to the
 * source's position at its start and ends even while writers go on.
 */
class BinlogSessionTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("binlog_session");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** The target's rows of a one-column text query. */
    private static List<String> text(String sql) {
        return fx.targetRows(sql).stream().map(r -> new String(java.util.HexFormat.of().parseHex(
                r.substring(1, r.length() - 1)), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void shouldHoldTheMappingInASessionWhoseLagMovesAndStopItOnPauseKeepingThePosition() throws Exception {
        fx.source("CREATE TABLE orders (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO orders VALUES (1, 'a')");
        SyncEngine engine = Engines.engine(fx.binlogProperties("orders"), null);
        try {
            CompletableFuture<Optional<RunResult>> session = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("orders"));
            await("snapshot copied", () -> fx.sameRows("orders") && engine.status("orders").running());
            assertEquals(Optional.empty(), engine.runScheduled("orders"), "a tick while the session runs is skipped");

            fx.source("INSERT INTO orders VALUES (2, 'b')", "DELETE FROM orders WHERE id = 1");
            long wrote = System.nanoTime();
            await("change applied", () -> fx.sameRows("orders"));
            long appliedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wrote);
            await("lag moved", () -> engine.status("orders").lag().filter(l -> l.compareTo(Duration.ofSeconds(5)) < 0)
                    .isPresent());
            assertTrue(appliedMillis < 5_000, "applied " + appliedMillis + " ms after the source commit");

            engine.setPaused("orders", true, "test");
            RunResult ended = session.get(30, TimeUnit.SECONDS).orElseThrow();
            assertTrue(ended.succeeded(), ended.summary());
            assertEquals("snapshot+binlog", ended.kind());

            fx.source("INSERT INTO orders VALUES (3, 'c')");
            Optional<RunResult> paused = engine.runScheduled("orders");
            assertTrue(paused.map(RunResult::skippedBecausePaused).orElse(true), "a paused mapping does not apply");
            assertFalse(fx.sameRows("orders"), "nothing applied while paused");

            engine.setPaused("orders", false, "test");
            RunResult resumed = engine.run("orders", RunRequest.manual(false, "resume"));
            assertTrue(resumed.succeeded(), resumed.summary());
            assertEquals("binlog", resumed.kind(), "resumes from the kept position, no snapshot");
            assertTrue(fx.sameRows("orders"));
        } finally {
            Engines.shutDown(engine);
        }
    }

    /**
     * A session whose time is up hands its subscription to the next one at once: each is a run in the history, the
     * source's Binlog Dump thread stays the same (no restart), lag stays low and nothing written meanwhile is lost.
     */
    @Test
    void shouldFollowAcrossSessionEndsWithoutAGapOrAStreamRestart() throws Exception {
        fx.source("CREATE TABLE flows (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO flows VALUES (1, 0)");
        SyncEngine engine = Engines.engine(fx.binlogProperties("flows"), null);
        engine.sessionLength(Duration.ofSeconds(2));
        List<dev.tablesync.binlog.SourceStream> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        engine.binlogStreams().observe(opened::add, s -> { });
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int id = 2; writing.get(); id++) {
                fx.source("UPDATE flows SET n = n + 1 WHERE id = 1", "INSERT INTO flows VALUES (" + id + ", 0)");
                sleep(20);
            }
        });
        try {
            CompletableFuture<Optional<RunResult>> sessions = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("flows"));
            await("snapshot copied", () -> fx.sameRows("flows") && engine.status("flows").running());
            await("following", () -> dumpThreads().size() == 1 && engine.status("flows").lag().isPresent());
            writer.start();
            List<String> dumps = dumpThreads();
            assertEquals(1, dumps.size(), "one Binlog Dump thread: " + dumps);
            Duration worst = Duration.ZERO;
            for (long end = System.nanoTime() + Duration.ofSeconds(7).toNanos(); System.nanoTime() < end; ) {
                Duration lag = engine.status("flows").lag().orElse(Duration.ZERO);
                worst = lag.compareTo(worst) > 0 ? lag : worst;
                Thread.sleep(50);
            }
            writing.set(false);
            writer.join();
            await("every write applied", () -> fx.sameRows("flows"));
            assertFalse(sessions.isDone(), "the sessions go on without a tick");
            assertEquals(dumps, dumpThreads(), "the stream was not restarted");
            assertEquals(1, opened.size(), "one stream opened for all the sessions");
            assertEquals(0, opened.get(0).stats().reconnects(), "tablesync_binlog_reconnects_total");
            assertTrue(worst.compareTo(Duration.ofMillis(2_500)) < 0, "lag reached " + worst);
            org.jboss.logging.Logger.getLogger(BinlogSessionTest.class).infof(
                    "across 2 s sessions under writes: worst lag %d ms, Binlog Dump threads %s", worst.toMillis(), dumps);
            long runs = engine.history("flows", 50, 0).stream().filter(r -> r.kind().endsWith("binlog")).count();
            assertTrue(runs >= 3, "each session is a run of its own: " + runs);

            engine.setPaused("flows", true, "test");
            RunResult ended = sessions.get(30, TimeUnit.SECONDS).orElseThrow();
            assertTrue(ended.succeeded(), ended.summary());
            assertEquals("binlog", ended.kind());
        } finally {
            writing.set(false);
            writer.join();
            Engines.shutDown(engine);
        }
    }

    private static List<String> dumpThreads() {
        return SyncFixture.rows(fx.sourceServer, fx.sourceDb,
                "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' ORDER BY ID");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldApplyUpToTheSourcePositionAtStartAndEndInRunOnceWhileWritersGoOn() throws Exception {
        fx.source("CREATE TABLE ticks (id INT PRIMARY KEY, n INT NOT NULL)", "INSERT INTO ticks VALUES (1, 0)");
        SyncEngine engine = Engines.engine(fx.binlogProperties("ticks"), null);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                fx.source("UPDATE ticks SET n = n + 1");
                written.incrementAndGet();
            }
        });
        try {
            assertTrue(engine.runAllOnce().get(0).succeeded(), "first run-once: snapshot");
            writer.start();
            await("writes going on", () -> written.get() > 20);
            long before = SyncFixture.count(fx.sourceServer, fx.sourceDb, "SELECT n FROM ticks");
            List<RunResult> once = engine.runAllOnce();
            assertTrue(once.get(0).succeeded(), once.get(0).summary());
            assertEquals("binlog", once.get(0).kind());
            long applied = fx.targetCount("SELECT n FROM ticks");
            assertTrue(applied >= before, "applied " + applied + " of at least " + before);
        } finally {
            writing.set(false);
            writer.join();
            Engines.shutDown(engine);
        }
    }

    /** The session ends at the DDL; the next one adds the column on the target and applies the later update. */
    @Test
    void shouldApplyBothUpdatesOfARowAroundAnAddColumnInAFollowingSession() throws Exception {
        fx.source("CREATE TABLE grows (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO grows VALUES (1, 'a')");
        SyncEngine engine = Engines.engine(fx.binlogProperties("grows"), null);
        try {
            CompletableFuture<Optional<RunResult>> first = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("grows"));
            await("snapshot copied", () -> fx.sameRows("grows") && engine.status("grows").running());
            fx.source("UPDATE grows SET v = 'b' WHERE id = 1",
                    "ALTER TABLE grows ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'none'",
                    "UPDATE grows SET v = 'c', note = 'later' WHERE id = 1");
            RunResult ended = first.get(30, TimeUnit.SECONDS).orElseThrow();
            assertTrue(ended.succeeded(), ended.summary());
            assertEquals(List.of("1|b"), text("SELECT CONCAT_WS('|', id, v) FROM grows"), "the update before the DDL applied");

            CompletableFuture<Optional<RunResult>> second = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("grows"));
            await("the update after the DDL applied", () -> fx.sameRows("grows"));
            assertEquals(List.of("1|c|later"), text("SELECT CONCAT_WS('|', id, v, note) FROM grows"));
            engine.setPaused("grows", true, "test");
            RunResult next = second.get(30, TimeUnit.SECONDS).orElseThrow();
            assertTrue(next.succeeded(), next.summary());
            assertEquals("binlog", next.kind(), "no re-snapshot");
        } finally {
            Engines.shutDown(engine);
        }
    }

    /** Rows written before the DDL decode with the columns they were written with, the added one defaulted. */
    @Test
    void shouldApplyChangesOnBothSidesOfAnAddColumnMadeWhileTheMappingWasStopped() throws Exception {
        addColumnWhileStopped("widens");
    }

    /** Without column names in the log the older images are the definition's first columns. */
    @Test
    void shouldApplyBothSidesOfAnAddColumnMadeWhileStoppedWithoutFullRowMetadata() throws Exception {
        fx.sourceServer.execute(fx.sourceDb, "SET GLOBAL binlog_row_metadata = 'MINIMAL'");
        try {
            addColumnWhileStopped("widens_minimal");
        } finally {
            fx.sourceServer.execute(fx.sourceDb, "SET GLOBAL binlog_row_metadata = 'FULL'");
        }
    }

    private static void addColumnWhileStopped(String widens) throws Exception {
        fx.source("CREATE TABLE " + widens + " (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + widens + " VALUES (1, 'a')");
        SyncEngine engine = Engines.engine(fx.binlogProperties(widens), null);
        try {
            assertTrue(engine.runAllOnce().get(0).succeeded(), "snapshot");
            fx.source("UPDATE " + widens + " SET v = 'b' WHERE id = 1", "INSERT INTO " + widens + " VALUES (2, 'x')",
                    "ALTER TABLE " + widens + " ADD COLUMN n INT NOT NULL DEFAULT 7,"
                            + " ADD COLUMN t VARCHAR(9) DEFAULT 'it''s'",
                    "UPDATE " + widens + " SET v = 'c' WHERE id = 1",
                    "INSERT INTO " + widens + " VALUES (3, 'y', 8, NULL)");
            for (int run = 0; run < 3 && !fx.sameRows(widens); run++) {
                RunResult r = engine.runAllOnce().get(0);
                assertTrue(r.succeeded(), r.summary());
                assertEquals("binlog", r.kind(), "no re-snapshot");
            }
            String all = "SELECT * FROM " + widens + " ORDER BY id";
            assertEquals(fx.sourceRows(all), fx.targetRows(all), "target == source");
            assertEquals(List.of("1|c|7|it's", "2|x|7|it's", "3|y|8|NULL"),
                    text("SELECT CONCAT_WS('|', id, v, n, COALESCE(t, 'NULL')) FROM " + widens + " ORDER BY id"));
        } finally {
            Engines.shutDown(engine);
        }
    }

    @Test
    void shouldStopWithTheDriftMessageWhenAFollowedTableDropsAColumn() throws Exception {
        fx.source("CREATE TABLE narrows (id INT PRIMARY KEY, v VARCHAR(20), gone INT)",
                "INSERT INTO narrows VALUES (1, 'a', 1)");
        SyncEngine engine = Engines.engine(fx.binlogProperties("narrows"), null);
        try {
            CompletableFuture<Optional<RunResult>> first = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("narrows"));
            await("snapshot copied", () -> fx.sameRows("narrows") && engine.status("narrows").running());
            fx.source("UPDATE narrows SET v = 'b'", "ALTER TABLE narrows DROP COLUMN gone", "UPDATE narrows SET v = 'c'");
            RunResult ended = first.get(30, TimeUnit.SECONDS).orElseThrow();
            assertTrue(ended.succeeded(), ended.summary());
            assertEquals(List.of("1|b|1"), text("SELECT CONCAT_WS('|', id, v, gone) FROM narrows"));

            RunResult stopped = engine.runScheduled("narrows").orElseThrow();
            Throwable error = stopped.error().orElseThrow();
            assertInstanceOf(dev.tablesync.schema.SchemaDriftException.class, error);
            assertTrue(error.getMessage().startsWith("schema drift: source table " + fx.sourceDb
                    + ".narrows of mapping narrows changed: column `gone`"), error.getMessage());
            assertEquals(dev.tablesync.sql.FailureReason.SCHEMA_DRIFT, dev.tablesync.sql.SqlErrors.category(error));
            assertEquals(List.of("1|b|1"), text("SELECT CONCAT_WS('|', id, v, gone) FROM narrows"),
                    "nothing after the DDL");
        } finally {
            Engines.shutDown(engine);
        }
    }

    /** With one run permit, a timestamp mapping still runs while a binlog session follows the log. */
    @Test
    void shouldLetOtherMappingsRunWhileASessionFollowsTheLog() throws Exception {
        fx.source("CREATE TABLE followed (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO followed VALUES (1, 'a')",
                "CREATE TABLE polled (id INT PRIMARY KEY, v VARCHAR(20), updated_at DATETIME(6) NOT NULL DEFAULT"
                        + " CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO polled (id, v) VALUES (1, 'x')");
        Map<String, String> p = fx.binlogProperties("followed");
        p.put("tablesync.max-concurrent-runs", "1");
        p.put("tablesync.mappings.polled.source", "src");
        p.put("tablesync.mappings.polled.source-table", "polled");
        p.put("tablesync.mappings.polled.target", "dst");
        SyncEngine engine = Engines.engine(p, null);
        try {
            CompletableFuture<Optional<RunResult>> session = CompletableFuture.supplyAsync(
                    () -> engine.runScheduled("followed"));
            await("session following", () -> fx.sameRows("followed") && engine.status("followed").running());
            RunResult other = CompletableFuture.supplyAsync(() -> engine.run("polled", RunRequest.manual(false, "k")))
                    .get(30, TimeUnit.SECONDS);
            assertTrue(other.succeeded(), other.summary());
            assertTrue(engine.status("followed").running(), "the session still runs");
            assertFalse(session.isDone());
        } finally {
            Engines.shutDown(engine);
        }
    }
}
