package dev.tablesync.verify;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.DeleteMode;
import dev.tablesync.config.Mapping;
import dev.tablesync.sync.RunStatus;
import dev.tablesync.sync.SyncFixture;
import dev.tablesync.testsupport.TestServers;

/**
 * Verify and repair against real servers: exact counts by kind, hard deletes removed only by a
 * repair, convergence while the source is written, keys compared in the servers' own order, the
 * lock-free whole-table fast path, the sync checkpoint left alone, the mapping lock respected.
 */
class VerifyTest {

    private static final String ITEMS = " (id BIGINT PRIMARY KEY, a VARCHAR(20) NULL, b VARCHAR(20) NULL, qty INT NOT NULL,"
            + " price DECIMAL(10,2) NULL, w FLOAT NULL, updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
            + " ON UPDATE CURRENT_TIMESTAMP(6), KEY (updated_at))";
    private static final String ALL = "SELECT * FROM %s ORDER BY id";

    static SyncFixture fx;
    static ExecutorService executor;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("verify");
        executor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void tearDown() {
        executor.shutdownNow();
        fx.close();
    }

    /** A synced table of {@code rows} rows: enough for several chunks (the first one has 1000 rows). */
    private static Mapping synced(String table, int rows) {
        fx.numbers(rows);
        fx.source("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + ITEMS,
                "INSERT INTO " + table + " (id, a, b, qty, price, w, updated_at) SELECT n, IF(n % 7 = 0, NULL,"
                        + " CONCAT('a', n)), IF(n % 5 = 0, NULL, 'b'), n % 100, n / 8, n / 3,"
                        + " TIMESTAMP'2024-01-01 00:00:00' + INTERVAL n SECOND FROM nums");
        Mapping m = fx.mapping(table, table);
        fx.runOk(m);
        return m;
    }

    private static VerifyReport verify(Mapping m, boolean repair) {
        return new Verifier(m, fx.dataSources, SyncFixture.STATE_SCHEMA, executor, () -> false, Clock.systemUTC())
                .execute(repair, UUID.randomUUID().toString(), true);
    }

    private static VerifyReport verifyOk(Mapping m, boolean repair) {
        VerifyReport r = verify(m, repair);
        assertEquals(RunStatus.SUCCESS.label(), r.status(), r.summary());
        return r;
    }

    @Test
    void shouldReportExactCountsForASeededMixOfMissingExtraAndDifferentRows() {
        Mapping m = synced("seeded", 20_000);
        // Across flavors FLOAT/DOUBLE text differs, so verify leaves w out (and says so): a change to w alone
        // would go unseen, and unrepaired.
        boolean floatCompared = !TestServers.get().mixedFlavors();
        int wOnly = floatCompared ? 1 : 0;
        fx.target("DELETE FROM seeded WHERE id IN (1, 999, 1000, 1001, 7777, 15000, 20000)",
                "INSERT INTO seeded (id, a, b, qty, updated_at) VALUES (-5, 'x', 'y', 1, NOW(6)), (0, 'x', 'y', 1,"
                        + " NOW(6)), (20001, NULL, NULL, 1, NOW(6)), (99999, 'x', NULL, 2, NOW(6)),"
                        + " (123456789, 'z', 'z', 3, NOW(6))",
                "UPDATE seeded SET qty = qty + 1 WHERE id IN (2, 500, 3000)",
                "UPDATE seeded SET price = price + 0.01 WHERE id = 4000",
                "UPDATE seeded SET w = w * 1.0000001 WHERE id = 4001 AND " + floatCompared,
                // NULL, 'b' and 'b', NULL print alike without the NULL markers
                "UPDATE seeded SET a = 'b', b = NULL WHERE id = 14",
                "UPDATE seeded SET a = '' WHERE id = 21",
                "UPDATE seeded SET a = NULL WHERE id = 22",
                "UPDATE seeded SET updated_at = updated_at + INTERVAL 1 MICROSECOND WHERE id = 12345",
                "UPDATE seeded SET a = 'A1' WHERE id = 1 OR id = 19999",
                "UPDATE seeded SET a = CONCAT(a, ' ') WHERE id = 18000");

        VerifyReport r = verifyOk(m, false);

        assertEquals(7, r.missing(), r.summary());
        assertEquals(5, r.extra(), r.summary());
        assertEquals(floatCompared ? List.of() : List.of("w"),
                r.notCompared().stream().map(reason -> reason.split(":", 2)[0]).toList(), r.summary());
        assertEquals(10 + wOnly, r.different(), r.summary());
        assertEquals(22 + wOnly, r.unrepaired(), r.summary());
        assertEquals("chunks", r.method());
        assertTrue(r.chunks() >= 3, r.summary());
        assertEquals(0, r.upserted() + r.deleted());
        assertEquals(20_000 - 7 + 5, fx.targetCount("SELECT COUNT(*) FROM seeded"), "a verify alone changes nothing");
        assertEquals(Differences.SAMPLE_SIZE, r.sample().size(), r.sample().toString());

        VerifyReport repaired = verifyOk(m, true);
        assertEquals(22 + wOnly, repaired.mismatches(), repaired.summary());
        assertEquals(0, repaired.unrepaired(), repaired.summary());
        assertEquals(17 + wOnly, repaired.upserted(), repaired.summary());
        assertEquals(5, repaired.deleted(), repaired.summary());
        fx.assertSameRows(String.format(ALL, "seeded"));

        VerifyReport clean = verifyOk(m, false);
        assertEquals(0, clean.mismatches(), clean.summary());
        assertEquals(wholeTableMethod(), clean.method(), "the same columns: the fast path where both sides have it");
    }

    @Test
    void shouldRemoveHardDeletedSourceRowsOnlyWhenAVerifyRepairs() {
        Mapping m = synced("deletes", 3000);
        fx.source("DELETE FROM deletes WHERE id IN (10, 2000, 2999)");
        fx.runOk(m);
        assertEquals(3000, fx.targetCount("SELECT COUNT(*) FROM deletes"), "a sync never deletes");

        VerifyReport found = verifyOk(m, false);
        assertEquals(3, found.extra(), found.summary());
        assertEquals(3, found.unrepaired());
        assertEquals(3000, fx.targetCount("SELECT COUNT(*) FROM deletes"), "a verify without repair deletes nothing");

        VerifyReport repaired = verifyOk(m, true);
        assertEquals(3, repaired.deleted(), repaired.summary());
        assertEquals(0, repaired.unrepaired(), repaired.summary());
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM deletes WHERE id IN (10, 2000, 2999)"));
        fx.assertSameRows(String.format(ALL, "deletes"));
    }

    @Test
    void shouldIgnoreRowsMarkedDeletedUnderHardDeletesAndRemoveThemOnRepair() {
        fx.numbers(3000);
        fx.source("DROP TABLE IF EXISTS flagged", "CREATE TABLE flagged (id BIGINT PRIMARY KEY, a VARCHAR(20) NULL,"
                + " deleted_at DATETIME(6) NULL, updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                + " ON UPDATE CURRENT_TIMESTAMP(6), KEY (updated_at))",
                "INSERT INTO flagged (id, a, updated_at) SELECT n, CONCAT('a', n), TIMESTAMP'2024-01-01 00:00:00'"
                        + " + INTERVAL n SECOND FROM nums");
        Mapping m = TestConfig.edit(fx.mapping("flagged", "flagged")).withDeletes(Optional.empty(), DeleteMode.HARD).build();
        fx.runOk(m);
        fx.source("UPDATE flagged SET deleted_at = NOW(6), updated_at = NOW(6) WHERE id IN (1, 5, 1500, 2999, 3000)");
        assertEquals(5, fx.runOk(m).counts().deleted());
        String live = "SELECT * FROM flagged WHERE deleted_at IS NULL ORDER BY id";
        assertEquals(fx.sourceRows(live), fx.targetRows("SELECT * FROM flagged ORDER BY id"));

        VerifyReport clean = verifyOk(m, false);
        assertEquals(0, clean.mismatches(), "rows marked deleted belong only to the source: " + clean.summary());
        assertEquals("chunks", clean.method(), "CHECKSUM TABLE cannot leave the rows marked deleted out");

        fx.source("UPDATE flagged SET deleted_at = NOW(6), updated_at = NOW(6) WHERE id = 42");
        VerifyReport repaired = verifyOk(m, true);
        assertEquals(1, repaired.extra(), "the target still has the row the source now marks deleted: "
                + repaired.summary());
        assertEquals(1, repaired.mismatches(), repaired.summary());
        assertEquals(1, repaired.deleted(), repaired.summary());
        assertEquals(0, repaired.upserted(), repaired.summary());
        assertEquals(0, repaired.unrepaired(), repaired.summary());
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM flagged WHERE id = 42"));
        assertEquals(fx.sourceRows(live), fx.targetRows("SELECT * FROM flagged ORDER BY id"));

        VerifyReport after = verifyOk(m, false);
        assertEquals(0, after.mismatches(), after.summary());
    }

    @Test
    void shouldLeaveTheSyncCheckpointAsItWasWhenRepairing() throws Exception {
        Mapping m = synced("untouched", 2000);
        fx.target("DELETE FROM untouched WHERE id < 100");
        String before = checkpoint(m);

        VerifyReport r = verifyOk(m, true);

        assertEquals(99, r.upserted(), r.summary());
        assertEquals(before, checkpoint(m));
    }

    @Test
    void shouldConvergeWhenRepairingWhileTheSourceIsWrittenContinuously() throws Exception {
        Mapping m = synced("busy", 20_000);
        fx.target("DELETE FROM busy WHERE id % 97 = 0", "UPDATE busy SET qty = -1 WHERE id % 89 = 0",
                "INSERT INTO busy (id, qty, updated_at) VALUES (-1, 0, NOW(6)), (50000, 0, NOW(6))");
        fx.source("DELETE FROM busy WHERE id % 101 = 0");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Future<?> writer = executor.submit(() -> {
            long next = 100_000;
            try (Connection c = fx.sourceServer.connect(fx.sourceDb); Statement s = c.createStatement()) {
                while (writing.get()) {
                    int id = ThreadLocalRandom.current().nextInt(1, 20_000);
                    s.executeUpdate("UPDATE busy SET qty = qty + 1, a = CONCAT('w', " + id + ") WHERE id = " + id);
                    s.executeUpdate("INSERT INTO busy (id, qty) VALUES (" + next++ + ", 1)");
                    writes.addAndGet(2);
                }
            }
            return null;
        });
        try {
            Thread.sleep(200);
            VerifyReport r = verifyOk(m, true);
            assertTrue(r.mismatches() >= 206 + 224 + 2 + 198 - 10, r.summary());
            assertEquals(0, r.unrepaired(), r.summary());
        } finally {
            writing.set(false);
            writer.get(30, TimeUnit.SECONDS);
        }
        assertTrue(writes.get() > 20, "the writer wrote during the repair: " + writes);

        fx.runOk(m);
        VerifyReport after = verifyOk(m, false);
        assertEquals(0, after.mismatches(), after.summary());
        fx.assertSameRows(String.format(ALL, "busy"));
    }

    @Test
    void shouldFollowTheServersKeyOrderForCompositeAndTextKeys() {
        fx.source("DROP TABLE IF EXISTS keyed",
                "CREATE TABLE keyed (tenant INT NOT NULL, code VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci"
                        + " NOT NULL, label VARCHAR(20) COLLATE utf8mb4_general_ci NOT NULL, v INT NULL,"
                        + " PRIMARY KEY (tenant, code, label))",
                "INSERT INTO keyed VALUES (1, 'a', 'x', 1), (1, 'B', 'x', 2), (1, 'Ä', 'ß', 3), (1, 'z', 'é', 4),"
                        + " (1, '_', 'Z', 5), (2, 'a', 'b', 6), (2, 'a', 'C', 7), (2, 'a', 'ä', 8), (-1, 'é', 'É1', 9),"
                        + " (10, '€', 'x', 10), (10, 'ÿ', 'x', 11)");
        Mapping m = fx.mapping("keyed", "keyed");
        fx.runOk(m);
        assertEquals(0, verifyOk(m, false).mismatches());

        fx.target("UPDATE keyed SET v = 0 WHERE tenant = 1 AND code = 'Ä'", "DELETE FROM keyed WHERE tenant = 2 AND"
                + " label = 'C'", "INSERT INTO keyed VALUES (2, 'a', 'd', 0)");
        VerifyReport r = verifyOk(m, true);
        assertEquals(List.of(1L, 1L, 1L), List.of(r.missing(), r.extra(), r.different()), r.summary());
        assertEquals(0, r.unrepaired(), r.summary() + r.sample());
        fx.assertSameRows("SELECT * FROM keyed ORDER BY tenant, code, label");
    }

    /**
     * Chunks of an ENUM-led key end where the members' declared order says. Compared as text, the
     * first chunk's bound (z, 1000) took in every 'a' and 'm' row, so the two differences, adjacent in
     * the server's order, fell into two chunks; in member order they share one.
     */
    @Test
    void shouldChunkAnEnumKeyInMemberOrder() {
        fx.numbers(1500);
        fx.source("DROP TABLE IF EXISTS enum_keyed", "CREATE TABLE enum_keyed (e ENUM('z','a','m') NOT NULL,"
                + " i INT NOT NULL, v INT NULL, PRIMARY KEY (e, i))",
                "INSERT INTO enum_keyed SELECT m.e, n, n FROM nums, (SELECT 'z' AS e UNION ALL SELECT 'a'"
                        + " UNION ALL SELECT 'm') AS m WHERE m.e <> 'z' OR n <= 1001");
        Mapping m = fx.mapping("enum-keyed", "enum_keyed");
        fx.runOk(m);
        assertEquals(4001, fx.targetCount("SELECT COUNT(*) FROM enum_keyed"));

        // The 1001st and 1002nd rows in key order: just after the first chunk of 1000.
        fx.target("DELETE FROM enum_keyed WHERE e = 'z' AND i = 1001", "UPDATE enum_keyed SET v = 0 WHERE e = 'a'"
                + " AND i = 1");
        VerifyReport r = verifyOk(m, true);
        assertEquals("chunks", r.method());
        assertEquals(List.of(1L, 0L, 1L), List.of(r.missing(), r.extra(), r.different()), r.summary());
        assertEquals(1, r.differingChunks(), r.summary());
        fx.assertSameRows("SELECT * FROM enum_keyed ORDER BY e, i");
    }

    /**
     * MySQL documents a read lock during CHECKSUM TABLE; on MariaDB it is a consistent read. A write
     * transaction left open on both tables holds a metadata lock that a read lock would have to wait
     * for (lock_wait_timeout is a day): the fast path must finish anyway, without seeing the change. On MySQL,
     * where verify uses chunks instead, the same must hold for the chunks.
     */
    @Test
    void shouldNotWaitForAnOpenWriteTransactionOnTheWholeTableFastPath() throws Exception {
        Mapping m = synced("open_writer", 2000);
        try (Connection src = fx.sourceServer.connect(fx.sourceDb); Connection tgt = fx.targetServer.connect(fx.targetDb);
                Statement s = src.createStatement(); Statement t = tgt.createStatement()) {
            src.setAutoCommit(false);
            tgt.setAutoCommit(false);
            s.executeUpdate("UPDATE open_writer SET qty = 1000 WHERE id = 5");
            t.executeUpdate("UPDATE open_writer SET qty = 2000 WHERE id = 6");

            Future<VerifyReport> running = executor.submit(() -> verify(m, false));
            VerifyReport r = running.get(30, TimeUnit.SECONDS);

            assertEquals(RunStatus.SUCCESS.label(), r.status(), r.summary());
            assertEquals(wholeTableMethod(), r.method(), r.summary());
            assertEquals(0, r.mismatches(), "uncommitted changes are invisible to a consistent read");
            src.rollback();
            tgt.rollback();
        }
    }

    @Test
    void shouldRecordABusyVerifyWhenAnotherReplicaHoldsTheMapping() throws Exception {
        Mapping m = synced("held", 100);
        try (Connection other = fx.targetServer.connect(fx.targetDb);
                PreparedStatement lock = other.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            lock.setString(1, "tablesync:" + SyncFixture.STATE_SCHEMA + ":" + m.id());
            lock.executeQuery().close();

            VerifyReport r = verify(m, true);

            assertEquals(RunStatus.BUSY.label(), r.status(), r.summary());
            assertEquals("busy", runStatus(r.runKey()));
        }
    }

    private static String wholeTableMethod() {
        return TestServers.get().wholeTableVerifyMethod();
    }

    private static String checkpoint(Mapping m) throws SQLException {
        return query("SELECT CONCAT_WS('|', phase, cursor_values, rows_copied, updated_at) FROM checkpoint"
                + " WHERE mapping_id = '" + m.id() + "'");
    }

    private static String runStatus(String runKey) throws SQLException {
        return query("SELECT status FROM run WHERE run_key = '" + runKey + "'");
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = fx.targetServer.connect(SyncFixture.STATE_SCHEMA); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
