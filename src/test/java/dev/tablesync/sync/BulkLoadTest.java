package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;
import dev.tablesync.testsupport.TestConfig;

/** The snapshot's LOAD DATA LOCAL path: used only on an empty key range, byte-exact, never a client file. */
class BulkLoadTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("bulk");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** Values whose bytes collide with the load format: separators, escapes, NUL, the NULL marker's text. */
    private static String ddl(String table) {
        return "CREATE TABLE `" + table + "` (id INT PRIMARY KEY, t TEXT, l VARCHAR(20) CHARACTER SET latin1,"
                + " b BLOB, bits BIT(8), d DECIMAL(30,10), dt DATETIME(6), j JSON,"
                + " updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), INDEX (updated_at))";
    }

    private static void createTricky(String table) {
        fx.source(ddl(table),
                "INSERT INTO `" + table + "` (id, t, l, b, bits, d, dt, j) VALUES"
                        + " (1, 'tab\\there', 'caf\u00e9', X'00FF5C090A0D4E', b'00001001', -12345.0000000001,"
                        + " '2024-02-29 23:59:59.999999', '{\"a\": [1, \"x\\\\ty\"]}'),"
                        + " (2, 'line\\nbreak\\r\\nwin', '', X'', b'00001010', 0, NULL, NULL),"
                        + " (3, '\\\\N', 'NULL', NULL, NULL, NULL, '1000-01-01 00:00:00', 'null'),"
                        + " (4, 'NULL', NULL, X'5C4E', b'11111111', 99999999999999999999.9999999999, NULL, '[]'),"
                        + " (5, '\u00e9\u6f22\ud83d\ude00 back\\\\slash', 'x\\\\', X'0A', b'00000000', 1, NULL, '{}'),"
                        + " (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    }


    @Test
    void shouldFillAnEmptyTargetByBulkLoadWithEveryByteIntact() {
        createTricky("tricky");

        SyncFixture.Counted counted = fx.runCounted(TestConfig.edit(fx.mapping("tricky", "tricky")).withBatchSize(4)
                .withBulkBatchSize(4).build(), "Com_load");

        RunResult run = counted.run();
        assertEquals(2, counted.target().get("Com_load"), "two batches, each one LOAD DATA");
        assertEquals(6, run.counts().inserted());
        fx.assertSameRows("SELECT * FROM tricky ORDER BY id");
    }

    @Test
    void shouldUpsertInsteadWhenTheTargetAlreadyHoldsRowsInTheRange() {
        createTricky("prefilled");
        fx.target(ddl("prefilled"),
                "INSERT INTO prefilled (id, t) VALUES (5, 'stale target row')");

        SyncFixture.Counted counted = fx.runCounted(TestConfig.edit(fx.mapping("prefilled", "prefilled")).withBatchSize(4).build(), "Com_load");

        assertEquals(0, counted.target().get("Com_load"), "a LOAD DATA would have kept the stale row");
        fx.assertSameRows("SELECT * FROM prefilled ORDER BY id");
    }

    @Test
    void shouldNeverLetTheServerNameAClientFileAfterABulkLoad() throws Exception {
        createTricky("guarded");
        Path secret = Files.createTempFile("tablesync-secret", ".txt");
        Files.writeString(secret, "7\tleaked\n");
        try (DataSources oneConnection = new DataSources(Map.of(
                "source", DataSources.pool("source", fx.sourceServer.jdbcUrl(fx.sourceDb), fx.sourceServer.username(),
                        fx.sourceServer.password(), 1),
                "target", DataSources.pool("target", fx.targetServer.jdbcUrl(fx.targetDb), fx.targetServer.username(),
                        fx.targetServer.password(), 1)))) {
            long before = SyncFixture.sessionStatus(oneConnection, "target", "Com_load")[0];
            Mapping m = fx.mapping("guarded", "guarded");
            RunResult run = new MappingRun(m, oneConnection, SyncFixture.STATE_SCHEMA, new ChangeWindow(m.id()),
                    RunObserver.NONE, Clock.systemUTC()).execute(false);
            assertTrue(run.succeeded(), run.summary());
            // The pool's one connection: the session the run loaded on. At least one: rows changed within
            // the commit delay are read again by the run's incremental phase, through the staging table's load.
            assertTrue(SyncFixture.sessionStatus(oneConnection, "target", "Com_load")[0] - before >= 1,
                    "the snapshot went through a bulk load");

            try (Connection sameConnection = oneConnection.connect("target");
                    Statement st = sameConnection.createStatement()) {
                SQLException refused = assertThrows(SQLException.class, () -> st.execute(
                        "LOAD DATA LOCAL INFILE '" + secret + "' INTO TABLE guarded (id, t)"));
                assertTrue(refused.getMessage().toLowerCase().contains("local"), refused.getMessage());
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM guarded WHERE id = 7")) {
                    rs.next();
                    assertEquals(0, rs.getInt(1));
                }
            }
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void shouldGoOnWithUpsertsWhenTheTargetRefusesABulkLoadMidSnapshot() {
        createTricky("refused");
        fx.numbers(40);
        fx.source("INSERT INTO refused (id, t) SELECT n + 6, CONCAT('row ', n) FROM nums");
        SyncFixture.Counted counted = fx.runCountedRefusingLoadsAfterFirstCommit(
                TestConfig.edit(fx.mapping("refused", "refused")).withBatchSize(10).withBulkBatchSize(10).build(), "Com_load");

        RunResult run = counted.run();
        assertTrue(run.succeeded(), run.summary());
        assertEquals(2, counted.target().get("Com_load"), "the first batch loaded, the second refused, the rest upserted");
        assertEquals(46, run.counts().inserted());
        fx.assertSameRows("SELECT * FROM refused ORDER BY id");
    }

    @Test
    void shouldCommitBulkLoadedBatchesOfBulkBatchSizeEachWithItsCheckpoint() {
        createTricky("sized");
        fx.numbers(6);
        fx.source("INSERT INTO sized (id, t) SELECT n + 6, CONCAT('row ', n) FROM nums");
        java.util.List<Long> committed = new java.util.ArrayList<>();
        RunObserver batches = new RunObserver() {
            @Override
            public void batchCommitted(dev.tablesync.checkpoint.Checkpoint checkpoint, WriteCounts batch) {
                committed.add(checkpoint.rowsCopied());
            }
        };

        SyncFixture.Counted counted = fx.runCounted(TestConfig.edit(fx.mapping("sized", "sized")).withBatchSize(2)
                .withBulkBatchSize(5).build(), batches, false, "Com_load");

        assertTrue(counted.run().succeeded(), counted.run().summary());
        assertEquals(3, counted.target().get("Com_load"), "12 rows in loads of 5, 5 and 2 rows, not batch-size 2");
        assertEquals(java.util.List.of(5L, 10L, 12L), committed);
        fx.assertSameRows("SELECT * FROM sized ORDER BY id");
    }

    @Test
    void shouldUpsertEveryByteIntactWhenALoadOfAlreadyFormattedRowsIsRefused() {
        createTricky("late");
        fx.source("UPDATE late SET id = id + 100");
        fx.numbers(10);
        fx.source("INSERT INTO late (id, t) SELECT n, CONCAT('row ', n) FROM nums");
        SyncFixture.Counted counted = fx.runCountedRefusingLoadsAfterFirstCommit(
                TestConfig.edit(fx.mapping("late", "late")).withBatchSize(10).withBulkBatchSize(10).build(), "Com_load");

        RunResult run = counted.run();
        assertTrue(run.succeeded(), run.summary());
        assertEquals(2, counted.target().get("Com_load"), "rows 1-10 loaded; the tricky rows' load refused, then upserted");
        assertEquals(16, run.counts().inserted());
        fx.assertSameRows("SELECT * FROM late ORDER BY id");
    }
}
