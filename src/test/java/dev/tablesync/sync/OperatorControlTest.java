package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;

/** Pause that outlives a restart, reset under the mapping's lock, and a clean stop on shutdown. */
class OperatorControlTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("control");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    private static Mapping table(String name, int rows) {
        fx.numbers(rows);
        fx.source("CREATE TABLE " + name + " (id INT PRIMARY KEY, v INT, updated_at DATETIME(6) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO " + name + " (id, v, updated_at) SELECT n, n, '2024-01-01' FROM nums");
        return TestConfig.edit(fx.mapping(name, name)).withBatchSize(10).withBulkBatchSize(10).build();
    }

    private static RunResult scheduled(DataSources ds, Mapping m) {
        return new MappingRun(m, ds, SyncFixture.STATE_SCHEMA, new ChangeWindow(m.id()), RunObserver.NONE,
                Clock.systemUTC()).execute(RunRequest.scheduled());
    }

    /** A second process's pools, as after a restart or on another replica. */
    private static DataSources freshProcess() {
        return new DataSources(Map.of(
                "source", DataSources.pool("source", fx.sourceServer.jdbcUrl(fx.sourceDb), fx.sourceServer.username(),
                        fx.sourceServer.password(), 2),
                "target", DataSources.pool("target", fx.targetServer.jdbcUrl(fx.targetDb), fx.targetServer.username(),
                        fx.targetServer.password(), 2)));
    }

    @Test
    void shouldSkipScheduledRunsWhilePausedEvenAfterARestart() throws Exception {
        Mapping m = table("paused_t", 5);
        new MappingControl(fx.dataSources, SyncFixture.STATE_SCHEMA).setPaused(m, true, "alice", Instant.now());

        assertTrue(scheduled(fx.dataSources, m).skippedBecausePaused());
        try (DataSources restarted = freshProcess()) {
            assertTrue(new MappingControl(restarted, SyncFixture.STATE_SCHEMA).isPaused(m));
            assertTrue(scheduled(restarted, m).skippedBecausePaused());
            assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'paused_t'"));

            new MappingControl(restarted, SyncFixture.STATE_SCHEMA).setPaused(m, false, "alice", Instant.now());
            RunResult resumed = scheduled(restarted, m);
            assertTrue(resumed.succeeded() && !resumed.skippedBecausePaused(), resumed.summary());
        }
        fx.assertSameRows("SELECT * FROM paused_t ORDER BY id");
    }

    @Test
    void shouldSkipScheduledRunsOfAPausedMappingThatHasACheckpointButNotManualOnes() throws Exception {
        Mapping m = table("paused_later", 5);
        fx.runOk(m);
        new MappingControl(fx.dataSources, SyncFixture.STATE_SCHEMA).setPaused(m, true, "bob", Instant.now());
        fx.source("UPDATE paused_later SET v = 50 WHERE id = 5");

        assertTrue(scheduled(fx.dataSources, m).skippedBecausePaused());
        assertEquals(0, fx.targetCount("SELECT COUNT(*) FROM paused_later WHERE v = 50"));
        RunResult manual = fx.runOk(m);

        assertEquals(1, manual.rowsRead(), manual.summary());
        fx.assertSameRows("SELECT * FROM paused_later ORDER BY id");
        new MappingControl(fx.dataSources, SyncFixture.STATE_SCHEMA).setPaused(m, false, "bob", Instant.now());
    }

    @Test
    void shouldCopyTheTableAgainAfterACheckpointReset() throws Exception {
        Mapping m = table("reset_t", 20);
        fx.runOk(m);
        fx.target("UPDATE reset_t SET v = -1");

        new MappingControl(fx.dataSources, SyncFixture.STATE_SCHEMA).reset(m);
        RunResult again = fx.runOk(m);

        assertEquals("snapshot+incremental", again.kind());
        fx.assertSameRows("SELECT * FROM reset_t ORDER BY id");
    }

    @Test
    void shouldRefuseResetWhileAnotherReplicaHoldsTheMappingLock() throws Exception {
        Mapping m = table("locked_t", 3);
        fx.runOk(m);
        try (Connection other = fx.targetServer.connect(fx.targetDb);
                PreparedStatement lock = other.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            lock.setString(1, TargetLock.name(SyncFixture.STATE_SCHEMA, m.id()));
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
            MappingControl control = new MappingControl(fx.dataSources, SyncFixture.STATE_SCHEMA);
            assertThrows(MappingBusyException.class, () -> control.reset(m));
            RunResult busy = fx.run(m);
            assertInstanceOf(MappingBusyException.class, busy.error().orElseThrow());
        }
        assertEquals("incremental", fx.runOk(m).kind(), "the checkpoint survived the refused reset");
    }

    @Test
    void shouldStopRightAfterACommittedBatchOnShutdownAndResumeWithoutGapOrDuplicate() {
        Mapping m = table("stop_t", 50);
        AtomicInteger commits = new AtomicInteger();
        RunObserver counting = new RunObserver() {
            @Override
            public void batchCommitted(dev.tablesync.checkpoint.Checkpoint cp, WriteCounts batch) {
                commits.incrementAndGet();
            }
        };
        RunResult stopped = new MappingRun(m, fx.dataSources, SyncFixture.STATE_SCHEMA, new ChangeWindow(m.id()),
                counting, () -> commits.get() >= 2, Clock.systemUTC()).execute(RunRequest.scheduled());

        assertInstanceOf(RunStoppedException.class, stopped.error().orElseThrow());
        assertEquals(20, fx.targetCount("SELECT COUNT(*) FROM stop_t"));
        assertEquals("20", stopped.checkpoint().orElseThrow().cursor().orElseThrow().values().get(0));
        RunResult resumed = fx.runOk(m);
        assertEquals(30, resumed.rowsRead());
        fx.assertSameRows("SELECT * FROM stop_t ORDER BY id");
        assertFalse(resumed.error().isPresent());
    }
}
