package dev.tablesync.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.tablesync.sql.DataSources;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/** The state schema on a real target server, set up by several processes at once. */
class StateSetupTest {

    private static final String STATE = "state_setup_race";
    private static final int PROCESSES = 4;
    private static final int ROUNDS = 6;

    /**
     * Replicas (or run-once jobs) started together all create the state schema, or upgrade the one an
     * older version left (every other round), on their first run. Unserialised, one process's ALTER
     * TABLE met the column another had just added ({@code Duplicate column name}), and on MySQL the
     * concurrent DDL could deadlock (1213): a run-once job lost its run.
     */
    @Test
    void shouldCreateOrUpgradeTheStateSchemaFromSeveralProcessesAtOnceWithoutAnyFailing() throws Exception {
        TestServer target = TestServers.get().target();
        target.recreateDatabase("state_setup");
        ExecutorService threads = Executors.newFixedThreadPool(PROCESSES);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                target.execute("state_setup", "DROP DATABASE IF EXISTS `" + STATE + "`");
                if (round % 2 == 1) {
                    createTablesOfAnOlderVersion(target);
                }
                CyclicBarrier together = new CyclicBarrier(PROCESSES);
                List<Future<?>> setups = new ArrayList<>();
                for (int p = 0; p < PROCESSES; p++) {
                    setups.add(threads.submit(() -> setUpAsAProcess(target, together)));
                }
                for (Future<?> setup : setups) {
                    setup.get(60, TimeUnit.SECONDS); // rethrows the process's failure
                }
                assertEquals(List.of("checkpoint", "mapping_control", "run"), tables(target), "round " + round);
                assertEquals(3, columns(target, "'synced_schema', 'binlog_position', 'deleted'"), "upgraded in round " + round);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** A process of its own: its own pool, first use of the state store. */
    private static Void setUpAsAProcess(TestServer target, CyclicBarrier together) throws Exception {
        try (DataSources dataSources = new DataSources(Map.of("target", DataSources.pool("target",
                target.jdbcUrl("state_setup"), target.username(), target.password(), 1)));
                Connection c = dataSources.connect("target")) {
            dataSources.dialect("target", c);
            together.await(30, TimeUnit.SECONDS);
            CheckpointStore.on(dataSources, "target", c, STATE);
        }
        return null;
    }

    private static void createTablesOfAnOlderVersion(TestServer target) {
        target.execute("state_setup", "CREATE DATABASE `" + STATE + "`",
                "CREATE TABLE `" + STATE + "`.checkpoint (`mapping_id` VARCHAR(190) NOT NULL, `phase` VARCHAR(16) NOT"
                        + " NULL, `mode` VARCHAR(16) NOT NULL, `fingerprint` CHAR(64) NOT NULL, `cursor_values`"
                        + " MEDIUMTEXT NULL, `incremental_start` MEDIUMTEXT NULL, `snapshot_start` DATETIME(6) NULL,"
                        + " `complete_up_to` DATETIME(6) NULL, `rows_copied` BIGINT NOT NULL DEFAULT 0, `updated_at`"
                        + " DATETIME(6) NOT NULL, PRIMARY KEY (`mapping_id`))",
                "CREATE TABLE `" + STATE + "`.run (`id` BIGINT NOT NULL AUTO_INCREMENT, `run_key` CHAR(36) NULL,"
                        + " `mapping_id` VARCHAR(190) NOT NULL, `started_at` DATETIME(6) NOT NULL, `finished_at`"
                        + " DATETIME(6) NOT NULL, `kind` VARCHAR(32) NOT NULL, `status` VARCHAR(16) NOT NULL,"
                        + " `rows_read` BIGINT NOT NULL, `inserted` BIGINT NOT NULL, `updated` BIGINT NOT NULL,"
                        + " `unchanged` BIGINT NOT NULL, `error` TEXT NULL, `checkpoint` MEDIUMTEXT NULL,"
                        + " PRIMARY KEY (`id`))");
    }

    private static long columns(TestServer target, String names) throws Exception {
        try (Connection c = target.connect("state_setup"); var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                        + STATE + "' AND COLUMN_NAME IN (" + names + ")")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> tables(TestServer target) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = target.connect("state_setup"); var s = c.createStatement();
                var rs = s.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                        + STATE + "' ORDER BY TABLE_NAME")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
