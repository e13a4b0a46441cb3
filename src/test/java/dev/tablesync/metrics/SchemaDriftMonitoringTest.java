package dev.tablesync.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tablesync.health.Eventually;
import dev.tablesync.health.MappingHealthChecks;
import dev.tablesync.sql.FailureReason;
import dev.tablesync.testsupport.TestServers;
import dev.tablesync.testsupport.TestServersResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A column dropped on one mapping's source, in the running service: that mapping turns DOWN at
 * once with the drift message and counts a {@code schema_drift} failure, while the other mapping
 * keeps syncing.
 */
@QuarkusTest
@TestProfile(SchemaDriftMonitoringTest.Profile.class)
class SchemaDriftMonitoringTest {

    static final String DRIFTING = "drifting";
    static final String STEADY = "steady";
    static final String SOURCE_DB = "driftmon_src";
    static final String TARGET_DB = "driftmon_tgt";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>();
            for (String id : List.of(DRIFTING, STEADY)) {
                String key = "tablesync.mappings." + id + ".";
                config.put(key + "source", "source");
                config.put(key + "source-table", id);
                config.put(key + "target", "target");
                config.put(key + "schedule", "1s");
                config.put(key + "commit-delay", "0s");
            }
            config.put("tablesync.retry.initial-backoff", "100ms");
            config.put("tablesync.retry.max-backoff", "500ms");
            config.put("tablesync.state-schema", "driftmon_state");
            config.put("quarkus.http.test-port", "0");
            config.put("quarkus.management.test-port", "0");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            String table = " (id INT PRIMARY KEY, note VARCHAR(20), updated_at DATETIME(6) NOT NULL DEFAULT"
                    + " CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))";
            return List.of(new TestResourceEntry(TestServersResource.class, Map.of(
                    "sourceDatabase", SOURCE_DB, "targetDatabase", TARGET_DB,
                    "sourceSql", "CREATE TABLE drifting" + table + ";;CREATE TABLE steady" + table
                            + ";;INSERT INTO drifting (id, note) VALUES (1, 'a');;INSERT INTO steady (id, note)"
                            + " VALUES (1, 'a')",
                    "targetSql", "DROP DATABASE IF EXISTS driftmon_state")));
        }
    }

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void shouldStopOnlyTheDriftingMappingAndShowItInHealthAndMetrics() throws Exception {
        Eventually.await("both mappings copied their first row", Duration.ofSeconds(60),
                () -> targetCount(DRIFTING) == 1 && targetCount(STEADY) == 1);

        TestServers.get().source().execute(SOURCE_DB, "ALTER TABLE drifting DROP COLUMN note",
                "INSERT INTO drifting (id) VALUES (2)", "INSERT INTO steady (id, note) VALUES (2, 'b')");

        String drifting = "checks.find { it.name == '" + MappingHealthChecks.checkName(DRIFTING) + "' }";
        String steady = "checks.find { it.name == '" + MappingHealthChecks.checkName(STEADY) + "' }";
        Eventually.await("the drifting mapping is DOWN", Duration.ofSeconds(30), () -> "DOWN".equals(given()
                .get(health + "/group/" + MappingHealthChecks.GROUP).jsonPath().getString(drifting + ".status")));
        given().get(health + "/group/" + MappingHealthChecks.GROUP).then()
                .body(drifting + ".data.lastErrorCategory", equalTo("schema_drift"))
                .body(drifting + ".data.reason", containsString("the source schema changed and the mapping is stopped"))
                .body(drifting + ".data.lastError", containsString("column `note` varchar(20) CHARACTER SET utf8mb4"
                        + " NULL was dropped"))
                .body(drifting + ".data.lastError", containsString("POST /api/mappings/drifting/reset"))
                .body(steady + ".status", equalTo("UP"));

        Eventually.await("the steady mapping copied its new row", Duration.ofSeconds(30),
                () -> targetCount(STEADY) == 2);
        assertEquals(1, targetCount(DRIFTING), "the drifting mapping wrote nothing after the drop");
        PrometheusText text = new PrometheusText(given().header("Accept", "text/plain").get(metrics).asString());
        assertTrue(text.require(Metrics.RUN_FAILURES, Map.of(Metrics.MAPPING, DRIFTING, Metrics.REASON,
                FailureReason.SCHEMA_DRIFT.label())) >= 1, text.toString());
        assertEquals(0, text.require(Metrics.RUN_FAILURES, Map.of(Metrics.MAPPING, DRIFTING, Metrics.REASON,
                FailureReason.FATAL.label())));
        assertEquals(0, text.require(Metrics.RUN_FAILURES, Map.of(Metrics.MAPPING, STEADY, Metrics.REASON,
                FailureReason.SCHEMA_DRIFT.label())));
    }

    private static long targetCount(String table) {
        try (Connection c = TestServers.get().target().connect(TARGET_DB); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                        + TARGET_DB + "' AND TABLE_NAME = '" + table + "'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return -1;
            }
            try (ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM `" + table + "`")) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
