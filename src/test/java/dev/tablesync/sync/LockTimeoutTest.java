package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.SqlErrors;

/**
 * A table another session locked ({@code LOCK TABLES ... WRITE}) fails a run after the lock timeout
 * instead of hanging it, and shutdown does not wait for a run stuck on a lock past its timeout.
 */
class LockTimeoutTest {

    private static final String STATE_SCHEMA = "locktimeout_state";

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("locktimeout");
        fx.target("DROP DATABASE IF EXISTS `" + STATE_SCHEMA + "`");
    }

    @AfterAll
    static void tearDown() {
        fx.target("DROP DATABASE IF EXISTS `" + STATE_SCHEMA + "`");
        fx.close();
    }

    private static void table(String name) {
        fx.source("CREATE TABLE " + name + " (id INT PRIMARY KEY, v INT, updated_at DATETIME(6) NOT NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO " + name + " (id, v) VALUES (1, 1), (2, 2), (3, 3)");
    }

    /** A session holding {@code LOCK TABLES name WRITE} on the target until closed. */
    private static Connection lockTarget(String name) throws SQLException {
        Connection c = fx.targetServer.connect(fx.targetDb);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLES `" + name + "` WRITE");
        }
        return c;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void shouldFailARunOnATableLockedByAnotherSessionWithinTheLockTimeoutNamingTheLock() throws Exception {
        table("locked_t");
        Mapping m = fx.mapping("locked-t", "locked_t");
        fx.runOk(m);
        fx.source("UPDATE locked_t SET v = 20 WHERE id = 2");
        settle();
        Duration lockTimeout = Duration.ofSeconds(1);
        try (DataSources ds = new DataSources(Map.of(
                "source", DataSources.pool("source", fx.sourceServer.jdbcUrl(fx.sourceDb), fx.sourceServer.username(),
                        fx.sourceServer.password(), 2, lockTimeout),
                "target", DataSources.pool("target", fx.targetServer.jdbcUrl(fx.targetDb), fx.targetServer.username(),
                        fx.targetServer.password(), 2, lockTimeout)));
                Connection holder = lockTarget("locked_t")) {
            long start = System.nanoTime();
            RunResult run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new MappingRun(m, ds,
                    SyncFixture.STATE_SCHEMA, new ChangeWindow(m.id()), RunObserver.NONE, Clock.systemUTC())
                    .execute(RunRequest.scheduled()), "the run waited for the lock longer than the lock timeout");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            Throwable error = run.error().orElseThrow(() -> new AssertionError("run succeeded: " + run.summary()));
            String message = error.getMessage();
            assertTrue(message.contains("mapping locked-t") && message.contains("target table locked_t")
                    && message.contains("lock another session holds") && message.contains("LOCK TABLES")
                    && message.contains("SHOW PROCESSLIST") && message.contains("metadata_locks"), message);
            assertTrue(SqlErrors.isTransient(error), "a lock wait is retried: " + message);
            assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "took " + took);
            assertEquals(0, count(holder, "SELECT COUNT(*) FROM locked_t WHERE v = 20"));
        }
        fx.runOk(m);
        fx.assertSameRows("SELECT * FROM locked_t ORDER BY id");
    }

    @Test
    void shouldAbortARunStuckOnALockWhenTheShutdownTimeoutEnds() throws Exception {
        table("stuck_t");
        Duration shutdownTimeout = Duration.ofSeconds(3);
        SyncEngine engine = Engines.engine(engineProperties("stuck_t", shutdownTimeout), null);
        boolean shutDown = false;
        try {
            assertTrue(engine.run("stuck", new RunRequest(false, false, Optional.empty())).succeeded());
            fx.source("UPDATE stuck_t SET v = 30 WHERE id = 3");
            settle();
            try (Connection holder = lockTarget("stuck_t")) {
                engine.trigger("stuck", false);
                awaitRunWaitingForTheLock(holder);

                long start = System.nanoTime();
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Engines.shutDown(engine),
                        "shutdown waited for the stuck run");
                shutDown = true;
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertTrue(took.compareTo(shutdownTimeout.plusMillis(1500)) < 0, "shutdown took " + took);
                assertFalse(engine.status("stuck").runningSince().isPresent(), "the stuck run ended");
                assertEquals(0, count(holder, "SELECT COUNT(*) FROM stuck_t WHERE v = 30"), "nothing half-committed");
            }
        } finally {
            if (!shutDown) {
                Engines.shutDown(engine);
            }
        }
        SyncEngine restarted = Engines.engine(engineProperties("stuck_t", shutdownTimeout), null);
        try {
            // The aborted session ends once the server notices its client is gone; until then it holds the mapping lock.
            RunResult after = restarted.run("stuck", new RunRequest(false, false, Optional.empty()));
            for (int i = 0; i < 100 && after.error().filter(MappingBusyException.class::isInstance).isPresent(); i++) {
                Thread.sleep(100);
                after = restarted.run("stuck", new RunRequest(false, false, Optional.empty()));
            }
            assertTrue(after.succeeded(), after.summary());
        } finally {
            Engines.shutDown(restarted);
        }
        fx.assertSameRows("SELECT * FROM stuck_t ORDER BY id");
    }

    /**
     * InnoDB refreshes information_schema.INNODB_TRX at most every 100 ms: a run sooner after an update
     * would see its transaction as open and leave the row for the next run (see SyncFixture.run).
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(300);
    }

    /** Until a session of the engine shows as waiting for the table's metadata lock. */
    private static void awaitRunWaitingForTheLock(Connection holder) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(holder, "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE STATE = 'Waiting for table metadata lock' AND DB = '" + fx.targetDb + "'") == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the run never waited for the lock");
            }
            Thread.sleep(50);
        }
    }

    /** One mapping {@code stuck} of {@code table} with a lock timeout far beyond the shutdown timeout. */
    private static Map<String, String> engineProperties(String table, Duration shutdownTimeout) {
        Map<String, String> p = new HashMap<>();
        p.put("tablesync.connections.src.url", fx.sourceServer.jdbcUrl(fx.sourceDb));
        p.put("tablesync.connections.src.username", fx.sourceServer.username());
        p.put("tablesync.connections.src.password", fx.sourceServer.password());
        p.put("tablesync.connections.dst.url", fx.targetServer.jdbcUrl(fx.targetDb));
        p.put("tablesync.connections.dst.username", fx.targetServer.username());
        p.put("tablesync.connections.dst.password", fx.targetServer.password());
        p.put("tablesync.state-schema", STATE_SCHEMA);
        p.put("tablesync.lock-timeout", "1h");
        p.put("tablesync.shutdown-timeout", shutdownTimeout.toSeconds() + "s");
        p.put("tablesync.mappings.stuck.source", "src");
        p.put("tablesync.mappings.stuck.source-table", table);
        p.put("tablesync.mappings.stuck.target", "dst");
        p.put("tablesync.mappings.stuck.commit-delay", "0s");
        return p;
    }
}
