package dev.tablesync.sync;

import dev.tablesync.sql.SchemaReader;
import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.ServerVersion;

/** Guarantee 1 (no lost change) and 2 (exactly-once) for incremental runs, on real servers. */
class IncrementalSyncTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("incremental");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static void createTable(String name) {
        fx.source("CREATE TABLE `" + name + "` (id INT PRIMARY KEY, v VARCHAR(20),"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                + " INDEX (updated_at))");
    }

    private static List<String> all(String table) {
        return fx.sourceRows("SELECT * FROM `" + table + "` ORDER BY id");
    }

    @Test
    void shouldCopyAllRowsSharingOneTimestampAcrossBatchBoundary() {
        createTable("same_ts");
        Mapping m = TestConfig.edit(fx.mapping("same-ts", "same_ts")).withBatchSize(2).build();
        fx.runOk(m);
        fx.source("INSERT INTO same_ts (id, v) VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e')");
        RunResult run = fx.runOk(m);

        assertEquals("incremental", run.kind());
        assertEquals(5, run.rowsRead(), "each row read exactly once");
        assertEquals(all("same_ts"), fx.targetRows("SELECT * FROM same_ts ORDER BY id"));
    }

    @Test
    void shouldReadManyBatchesWithAFewStreamedQueriesAndEveryRowOnceAcrossSegmentBoundaries() {
        createTable("streamed");
        Mapping m = TestConfig.edit(fx.mapping("streamed", "streamed")).withBatchSize(2).build();
        fx.runOk(m);
        fx.numbers(450);
        // One statement: every row gets the same timestamp, so only the key orders them across segments.
        fx.source("INSERT INTO streamed (id, v) SELECT n, CONCAT('v', n) FROM nums");

        SyncFixture.Counted counted = fx.runCounted(m, "Questions");

        RunResult run = counted.run();
        long statements = counted.source().get("Questions");
        assertEquals(450, run.rowsRead(), "each row read exactly once");
        assertTrue(statements < 30, "one buffered batch, then segments of 100 batches, not 225 queries: "
                + statements);
        assertEquals(all("streamed"), fx.targetRows("SELECT * FROM streamed ORDER BY id"));
    }

    @Test
    void shouldCopyRowOfTransactionOpenDuringRunThatCommitsWithOlderTimestamp() throws Exception {
        createTable("late_commit");
        Mapping m = fx.mapping("late-commit", "late_commit");
        fx.runOk(m);
        try (Connection open = fx.sourceServer.connect(fx.sourceDb); Statement s = open.createStatement()) {
            open.setAutoCommit(false);
            s.executeUpdate("INSERT INTO late_commit (id, v) VALUES (1, 'slow')");
            Thread.sleep(1100);
            fx.source("INSERT INTO late_commit (id, v) VALUES (2, 'fast')");
            fx.runOk(m);
            open.commit();
        }

        fx.runOk(m);

        assertEquals(all("late_commit"), fx.targetRows("SELECT * FROM late_commit ORDER BY id"));
        assertEquals(2, fx.targetCount("SELECT COUNT(*) FROM late_commit"));
    }

    @Test
    void shouldResumeAfterCrashBetweenBatchesWithoutDuplicates() {
        createTable("crash_inc");
        Mapping m = TestConfig.edit(fx.mapping("crash-inc", "crash_inc")).withBatchSize(3).build();
        fx.runOk(m);
        fx.source("INSERT INTO crash_inc (id, v) VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e'),(6,'f'),"
                + "(7,'g'),(8,'h'),(9,'i'),(10,'j')");

        RunResult crashed = fx.run(m, crashAfter(2), false);
        assertFalse(crashed.succeeded());
        assertEquals(6, fx.targetCount("SELECT COUNT(*) FROM crash_inc"));
        assertEquals(6, crashed.checkpoint().orElseThrow().rowsCopied());

        RunResult resumed = fx.runOk(m);
        assertEquals(4, resumed.rowsRead(), "resumes after the last committed batch, re-reading nothing");
        assertEquals(all("crash_inc"), fx.targetRows("SELECT * FROM crash_inc ORDER BY id"));
    }

    @Test
    void shouldRollBackBatchThatFailsMidWriteAndResumeFromLastCommit() {
        createTable("fail_write");
        Mapping m = TestConfig.edit(fx.mapping("fail-write", "fail_write")).withBatchSize(2).build();
        fx.runOk(m);
        fx.target("CREATE TRIGGER refuse_four BEFORE INSERT ON fail_write FOR EACH ROW"
                + " BEGIN IF NEW.id = 4 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom'; END IF; END");
        fx.source("INSERT INTO fail_write (id, v) VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e')");

        RunResult failed = fx.run(m);
        // A write transaction still open elsewhere on the shared source server holds the window back
        // (guarantee 1): such a run reads nothing and changes nothing; the next one gets the rows.
        for (int i = 0; i < 5 && failed.succeeded() && failed.rowsRead() == 0; i++) {
            failed = fx.run(m);
        }
        assertFalse(failed.succeeded());
        assertEquals(2, fx.targetCount("SELECT COUNT(*) FROM fail_write"), "batch (3,4) rolled back whole");

        fx.target("DROP TRIGGER refuse_four");
        RunResult resumed = fx.runOk(m);
        assertEquals(3, resumed.rowsRead());
        assertEquals(all("fail_write"), fx.targetRows("SELECT * FROM fail_write ORDER BY id"));
    }

    @Test
    void shouldCopyUpdatesInIdModeOnlyForNewRows() {
        fx.source("CREATE TABLE events (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(20))",
                "INSERT INTO events (payload) VALUES ('a'), ('b')");
        Mapping m = fx.mapping("events", "events");
        RunResult first = fx.runOk(m);
        assertEquals("id(id)", first.tracking());
        fx.source("INSERT INTO events (payload) VALUES ('c'), ('d'), ('e')");

        RunResult second = fx.runOk(m);

        assertEquals(3, second.rowsRead());
        assertEquals(fx.sourceRows("SELECT * FROM events ORDER BY id"),
                fx.targetRows("SELECT * FROM events ORDER BY id"));
    }

    @Test
    void shouldReadChangesWithAnIndexRangeScanNotATableScan() throws Exception {
        createTable("explained");
        fx.numbers(2000);
        fx.source("INSERT INTO explained (id, v, updated_at) SELECT n, 'x', '2024-01-01' + INTERVAL n SECOND"
                + " FROM nums");
        try (Connection c = fx.sourceServer.connect(fx.sourceDb)) {
            TableSchema t = SchemaReader.read(c, TableId.of(fx.sourceDb, "explained")).orElseThrow();
            Dialect d = new Dialect(ServerVersion.mariadb(10, 11, 0));
            String changed = d.reads().selectChanged(t.id(), t.columns(), "updated_at", t.key(), 2, 1000);
            String plan = explain(c, d.explain(changed), "2024-01-01 00:30:00", "2024-01-01 00:30:00",
                    "2024-01-01 00:30:00", "1800", "2024-01-01 00:31:00");
            assertTrue(plan.startsWith("range/updated_at"), plan);
            String byKey = d.reads().selectByKey(t.id(), t.columns(), t.key(), true, 1000);
            String keyPlan = explain(c, d.explain(byKey), "1500", "1500");
            assertTrue(keyPlan.startsWith("range/PRIMARY"), keyPlan);
        }
    }

    private static String explain(Connection c, String sql, String... values) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString("type") + "/" + rs.getString("key") + " rows=" + rs.getString("rows");
            }
        }
    }

    static RunObserver crashAfter(int batches) {
        return new RunObserver() {
            int committed;

            @Override
            public void batchCommitted(dev.tablesync.checkpoint.Checkpoint checkpoint, WriteCounts batch) {
                if (++committed == batches) {
                    throw new IllegalStateException("simulated crash after " + batches + " batches");
                }
            }
        };
    }
}
