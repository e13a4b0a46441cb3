package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.binlog.SourcePosition;
import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.checkpoint.Phase;
import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.Mode;
import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.StateDialect;
import dev.tablesync.testsupport.TestConfig;

/**
 * Mode binlog on real servers (source with binlog ON, ROW, FULL images): what timestamp polling cannot see
 * (hard deletes, key changes, changes stamped in the past, tables without any tracking column) reaches the target,
 * each source transaction lands whole, and a crash between commits neither loses nor repeats anything.
 */
class BinlogSyncTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("binlog_sync");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static Mapping binlog(String id, String table, int batchSize) {
        return TestConfig.edit(fx.mapping(id, table)).withMode(Mode.BINLOG, null).withBatchSize(batchSize).build();
    }

    private static void assertSame(String table) {
        fx.assertSameRows("SELECT * FROM `" + table + "` ORDER BY 1");
    }

    @Test
    void shouldDeleteTargetRowsHardDeletedOnTheSource() {
        fx.source("CREATE TABLE hard (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO hard VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        Mapping m = binlog("hard", "hard", 1000);
        RunResult first = fx.runOk(m);
        assertEquals("snapshot+binlog", first.kind());
        fx.source("DELETE FROM hard WHERE id = 2", "INSERT INTO hard VALUES (4, 'd')",
                "UPDATE hard SET v = 'c2' WHERE id = 3");
        RunResult second = fx.runOk(m);

        assertEquals("binlog", second.kind());
        assertEquals(1, second.counts().deleted(), second.summary());
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM hard WHERE id = 2"));
        assertSame("hard");
    }

    @Test
    void shouldParkALogDeleteOfARowEditedByHandOnTheTargetUnderPark() {
        fx.source("CREATE TABLE park_del (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO park_del VALUES (1, 'a'), (2, 'b')");
        Mapping m = TestConfig.edit(binlog("park_del", "park_del", 1000)).withConflict(ConflictPolicy.PARK)
                .withMaxParked(10).build();
        fx.runOk(m);
        fx.target("UPDATE park_del SET v = 'by hand' WHERE id = 2");
        fx.source("DELETE FROM park_del WHERE id IN (1, 2)");

        RunResult run = fx.runOk(m);

        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM park_del WHERE id = 1"), "the sync wrote row 1 last");
        assertEquals(List.of("by hand"), targetText("SELECT v FROM park_del WHERE id = 2"),
                "row 2 was edited by hand: parked, not deleted from under its editor");
        assertEquals(1, run.counts().parked(), run.summary());
    }

    @Test
    void shouldDeleteTheOldKeyWhenAnUpdateChangesThePrimaryKey() {
        fx.source("CREATE TABLE rekey (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO rekey VALUES (1, 'a'), (2, 'b')");
        Mapping m = binlog("rekey", "rekey", 1000);
        fx.runOk(m);
        fx.source("UPDATE rekey SET id = 10 WHERE id = 1", "UPDATE rekey SET id = 1 WHERE id = 2");
        fx.runOk(m);

        assertEquals(List.of("1:b", "10:a"), targetText("SELECT CONCAT(id, ':', v) FROM rekey ORDER BY id"));
        assertSame("rekey");
    }

    @Test
    void shouldCopyAnUpdateStampedInTheCheckpointsPast() {
        fx.source("CREATE TABLE stamped (id INT PRIMARY KEY, v VARCHAR(20), updated_at DATETIME(6) NOT NULL,"
                + " INDEX (updated_at))", "INSERT INTO stamped VALUES (1, 'a', NOW(6)), (2, 'b', NOW(6))");
        Mapping m = binlog("stamped", "stamped", 1000);
        fx.runOk(m);
        fx.source("UPDATE stamped SET v = 'old clock', updated_at = '2001-01-01 00:00:00' WHERE id = 1");
        fx.runOk(m);

        assertEquals(List.of("old clock"), targetText("SELECT v FROM stamped WHERE id = 1"));
        assertSame("stamped");
    }

    @Test
    void shouldFollowATableWithNoTimestampAndNoAutoIncrement() {
        fx.source("CREATE TABLE plain (code VARCHAR(10) PRIMARY KEY, qty INT NOT NULL)",
                "INSERT INTO plain VALUES ('x', 1), ('y', 2)");
        Mapping m = binlog("plain", "plain", 1000);
        fx.runOk(m);
        fx.source("UPDATE plain SET qty = qty + 5", "INSERT INTO plain VALUES ('z', 3)", "DELETE FROM plain WHERE code = 'x'");
        RunResult run = fx.runOk(m);

        assertEquals("binlog", run.kind());
        assertEquals(1, run.counts().deleted(), run.summary());
        assertSame("plain");
    }

    /**
     * A three-statement transfer between accounts applied with batch-size 1: the target commits the whole source
     * transaction at once, so a reader of the target at every commit sees the total unchanged.
     */
    @Test
    void shouldNeverShowHalfOfAMultiStatementSourceTransaction() throws Exception {
        fx.source("CREATE TABLE account (id INT PRIMARY KEY, balance INT NOT NULL)",
                "INSERT INTO account VALUES (1, 100), (2, 100), (3, 100)");
        Mapping m = binlog("account", "account", 1);
        fx.runOk(m);
        for (int i = 0; i < 5; i++) {
            try (Connection c = fx.sourceServer.connect(fx.sourceDb); var s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("UPDATE account SET balance = balance - 10 WHERE id = 1");
                s.execute("UPDATE account SET balance = balance + 4 WHERE id = 2");
                s.execute("UPDATE account SET balance = balance + 6 WHERE id = 3");
                c.commit();
            }
        }
        List<Long> totals = new CopyOnWriteArrayList<>();
        AtomicInteger commits = new AtomicInteger();
        RunResult run = fx.run(m, new RunObserver() {
            @Override
            public void batchCommitted(Checkpoint checkpoint, WriteCounts batch) {
                commits.incrementAndGet();
                totals.add(fx.targetCount("SELECT SUM(balance) FROM account"));
            }
        }, false);

        assertTrue(run.succeeded(), run.summary());
        assertTrue(commits.get() >= 1 && commits.get() <= 5, "at most one commit per source transaction: " + commits);
        assertTrue(totals.stream().allMatch(t -> t == 300), "the total seen at each target commit: " + totals);
        assertEquals(15, run.rowsRead(), run.summary());
        assertSame("account");
    }

    /**
     * Counters bumped by {@code c = c + 1} show a transaction applied twice. The first run stops (a crash)
     * after its third target commit, in the middle of the log; the next resumes from the committed position.
     */
    @Test
    void shouldResumeAfterCrashMidStreamWithoutApplyingAnyTransactionTwice() throws Exception {
        fx.source("CREATE TABLE counter (id INT PRIMARY KEY, c INT NOT NULL)",
                "INSERT INTO counter VALUES (1, 0), (2, 0), (3, 0)");
        Mapping m = binlog("counter", "counter", 2);
        fx.runOk(m);
        for (int i = 0; i < 20; i++) {
            fx.source("UPDATE counter SET c = c + 1 WHERE id = " + (1 + i % 3));
        }
        try (Connection c = fx.sourceServer.connect(fx.sourceDb); var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("UPDATE counter SET c = c + 100");
            s.execute("INSERT INTO counter VALUES (4, 7), (5, 8), (6, 9)");
            c.commit();
        }
        AtomicInteger commits = new AtomicInteger();
        RunResult crashed = fx.run(m, new RunObserver() {
            @Override
            public void batchCommitted(Checkpoint checkpoint, WriteCounts batch) {
                if (commits.incrementAndGet() == 3) {
                    throw new IllegalStateException("simulated crash after the third commit");
                }
            }
        }, false);
        assertFalse(crashed.succeeded(), "the crash ends the run");
        assertFalse(fx.sourceRows("SELECT * FROM counter ORDER BY id").equals(
                fx.targetRows("SELECT * FROM counter ORDER BY id")), "the crash left part of the log unapplied");

        fx.runOk(m);

        assertSame("counter");
        BinlogPosition now = sourcePosition();
        BinlogPosition saved = checkpoint("counter").binlogPosition().orElseThrow();
        assertTrue(saved.includes(now), "saved " + saved + " includes the source's " + now);
    }

    /**
     * A source transaction larger than a batch fails on the target in its third batch (a trigger stands in for a
     * crash): the batches it had written are rolled back with it, and the restart applies it exactly once.
     */
    @Test
    void shouldRollBackASourceTransactionInterruptedMidWayAndApplyItOnceOnRestart() throws Exception {
        fx.source("CREATE TABLE tally (id INT PRIMARY KEY, c INT NOT NULL)",
                "INSERT INTO tally VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0)");
        Mapping m = binlog("tally", "tally", 2);
        fx.runOk(m);
        BinlogPosition before = checkpoint("tally").binlogPosition().orElseThrow();
        fx.source("UPDATE tally SET c = c + 1");
        fx.target("CREATE TRIGGER tally_crash BEFORE UPDATE ON tally FOR EACH ROW"
                + " BEGIN IF NEW.id = 6 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'crash'; END IF; END");
        RunResult crashed = fx.run(m);
        assertFalse(crashed.succeeded(), crashed.summary());
        assertEquals(0, fx.targetCount("SELECT SUM(c) FROM tally"), "none of the transaction's rows stayed");
        assertEquals(before, checkpoint("tally").binlogPosition().orElseThrow(), "the position did not move");

        fx.target("DROP TRIGGER tally_crash");
        fx.runOk(m);

        assertEquals(6, fx.targetCount("SELECT SUM(c) FROM tally"), "each row bumped once");
        assertSame("tally");
    }

    /** Writers keep going while the snapshot copies in small batches; the log from its start position closes the gap. */
    @Test
    void shouldConvergeAfterASnapshotUnderConcurrentWritesThenFollowTheLog() throws Exception {
        fx.source("CREATE TABLE busy (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(30))");
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            values.append(i == 1 ? "" : ",").append("(").append(i).append(", 0, 'n')");
        }
        fx.source("INSERT INTO busy VALUES " + values);
        Mapping m = TestConfig.edit(binlog("busy", "busy", 50)).withBulkBatchSize(50).build();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            try (Connection c = fx.sourceServer.connect(fx.sourceDb); var s = c.createStatement()) {
                for (int n = 0; n < 3000 && writing.get(); n++) {
                    int id = 1 + r.nextInt(2400);
                    switch (r.nextInt(3)) {
                        case 0 -> s.execute("UPDATE busy SET v = v + 1, note = 'u' WHERE id = " + id);
                        case 1 -> s.execute("DELETE FROM busy WHERE id = " + id);
                        default -> s.execute("INSERT INTO busy VALUES (" + id + ", 1, 'i')"
                                + " ON DUPLICATE KEY UPDATE v = v + 10");
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        try {
            fx.runOk(m);
        } finally {
            writing.set(false);
            writer.join();
        }
        fx.runOk(m);

        assertSame("busy");
    }

    /**
     * A scheduled run is an apply session: it keeps following the log (sub-second lag) until shutdown, which ends
     * it right after a committed source transaction.
     */
    @Test
    void shouldFollowTheLogInAScheduledSessionUntilShutdown() throws Exception {
        fx.source("CREATE TABLE live (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO live VALUES (1, 'a')");
        Mapping m = binlog("live", "live", 1000);
        fx.runOk(m);
        AtomicBoolean stop = new AtomicBoolean();
        RunResult[] result = new RunResult[1];
        Thread session = new Thread(() -> result[0] = new MappingRun(m, fx.dataSources, SyncFixture.STATE_SCHEMA,
                fx.window("live"), new KnownTarget(), RunObserver.NONE, stop::get, Clock.systemUTC())
                .execute(RunRequest.scheduled()));
        session.start();
        try {
            fx.source("INSERT INTO live VALUES (2, 'b')", "UPDATE live SET v = 'a2' WHERE id = 1",
                    "DELETE FROM live WHERE id = 2", "INSERT INTO live VALUES (3, 'c')");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!fx.sourceRows("SELECT * FROM live ORDER BY id").equals(fx.targetRows("SELECT * FROM live ORDER BY id"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertSame("live");
            assertTrue(session.isAlive(), "the session keeps following the log");
        } finally {
            stop.set(true);
            session.join(30_000);
        }
        assertFalse(session.isAlive(), "shutdown ends the session");
        assertTrue(result[0].succeeded() || result[0].error().filter(e -> e instanceof RunStoppedException).isPresent(),
                "ends cleanly at a commit: " + result[0].summary());
        assertEquals("binlog", result[0].kind());
        assertEquals(Phase.INCREMENTAL, checkpoint("live").phase());
        assertTrue(checkpoint("live").binlogPosition().orElseThrow().includes(sourcePosition()));
    }

    /** A batch the target refuses ends a scheduled session at once with the error, not when the session is up. */
    @Test
    void shouldEndAScheduledSessionPromptlyWhenTheTargetRefusesABatch() throws Exception {
        fx.source("CREATE TABLE refused (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO refused VALUES (1, 'a')");
        Mapping m = binlog("refused", "refused", 1000);
        fx.runOk(m);
        fx.target("CREATE TRIGGER refused_crash BEFORE INSERT ON refused FOR EACH ROW"
                + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'");
        long started = System.nanoTime();
        java.util.concurrent.CompletableFuture<RunResult> session = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> new MappingRun(m, fx.dataSources, SyncFixture.STATE_SCHEMA, fx.window("refused"), new KnownTarget(),
                        RunObserver.NONE, () -> false, Clock.systemUTC()).execute(RunRequest.scheduled()));
        Thread.sleep(500);
        fx.source("INSERT INTO refused VALUES (2, 'b')");
        RunResult failed = session.get(60, java.util.concurrent.TimeUnit.SECONDS);
        fx.target("DROP TRIGGER refused_crash");

        assertFalse(failed.succeeded(), failed.summary());
        assertTrue(failed.error().get().getMessage().contains("refused"), failed.summary());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos(), "ended within 20 s");
    }

    private static List<String> targetText(String sql) {
        return fx.targetRows(sql).stream().map(r -> new String(java.util.HexFormat.of().parseHex(
                r.substring(1, r.length() - 1)), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    private static BinlogPosition sourcePosition() throws SQLException {
        try (Connection c = fx.dataSources.connect("source")) {
            Dialect d = fx.dataSources.dialect("source", c);
            return SourcePosition.read(c, new BinlogDialect(d.server()));
        }
    }

    private static Checkpoint checkpoint(String id) throws SQLException {
        try (Connection c = fx.dataSources.connect("target")) {
            return new CheckpointStore(new StateDialect(fx.dataSources.dialect("target", c), SyncFixture.STATE_SCHEMA))
                    .load(c, id).orElseThrow();
        }
    }

}
