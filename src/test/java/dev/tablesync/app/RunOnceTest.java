package dev.tablesync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tablesync.testsupport.TestServersResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Run-once mode as a Kubernetes CronJob uses it: every enabled mapping once, a summary line each,
 * exit 0 only if all succeeded; a missing source table fails that mapping alone (guarantee 4).
 */
@QuarkusMainTest
@TestProfile(RunOnceTest.Profile.class)
class RunOnceTest {

    static final String SOURCE_DB = "runonce_src";
    static final String TARGET_DB = "runonce_tgt";
    static final String STATE_DB = "runonce_state";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("tablesync.run-once", "true"),
                    Map.entry("tablesync.mappings.orders.source", "source"),
                    Map.entry("tablesync.mappings.orders.source-table", "orders"),
                    Map.entry("tablesync.mappings.orders.target", "target"),
                    Map.entry("tablesync.mappings.ghost.source", "source"),
                    Map.entry("tablesync.mappings.ghost.source-table", "missing_table"),
                    Map.entry("tablesync.mappings.ghost.target", "target"),
                    Map.entry("tablesync.mappings.paused.source", "source"),
                    Map.entry("tablesync.mappings.paused.source-table", "orders"),
                    Map.entry("tablesync.mappings.paused.target-table", "orders_copy"),
                    Map.entry("tablesync.mappings.paused.target", "target"),
                    Map.entry("tablesync.mappings.paused.enabled", "false"),
                    Map.entry("tablesync.state-schema", STATE_DB),
                    // As RunOnceIT the launched process opens its ports: any free ones.
                    Map.entry("quarkus.http.port", "0"), Map.entry("quarkus.management.port", "0"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestServersResource.class, Map.of("sourceDatabase", SOURCE_DB,
                    "targetDatabase", TARGET_DB,
                    "sourceSql", "CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2), updated_at TIMESTAMP(6)"
                            + " NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))"
                            + ";;INSERT INTO orders (id, total) VALUES (1, 9.99), (2, 100.00), (3, 0.01)")));
        }
    }

    @Test
    void shouldSyncEveryMappingOnceAndExitNonZeroWhenOneFails(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch();

        assertEquals(1, result.exitCode(), result.getOutput() + result.getErrorOutput());
        assertEquals(List.of("orders success 3", "ghost failed 0"), runHistory());
        assertTrue(lastError("ghost").startsWith("source table " + SOURCE_DB + ".missing_table does not exist"
                + " on connection source; check tablesync.mappings.ghost.source-table"), lastError("ghost"));
        try (var c = target(TARGET_DB); var s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*), SUM(total) FROM orders")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
            assertEquals("110.00", rs.getString(2));
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The target server the launched application was configured with. */
    private static java.sql.Connection target(String database) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(System.getProperty("tablesync-test.target.url") + database,
                System.getProperty("tablesync-test.target.username"), System.getProperty("tablesync-test.target.password"));
    }

    /** The run history the service keeps in the target's state schema, one line per run. */
    private static List<String> runHistory() {
        List<String> runs = new java.util.ArrayList<>();
        try (var c = target(STATE_DB); var s = c.createStatement();
                var rs = s.executeQuery("SELECT mapping_id, status, rows_read FROM run ORDER BY mapping_id DESC")) {
            while (rs.next()) {
                runs.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return runs;
    }

    private static String lastError(String mapping) {
        try (var c = target(STATE_DB);
                var ps = c.prepareStatement("SELECT error FROM run WHERE mapping_id = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, mapping);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? String.valueOf(rs.getString(1)) : "no run recorded";
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
