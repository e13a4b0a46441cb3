package dev.tablesync.health;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A service with two mappings synced every second: {@value #HEALTHY} copies a small table,
 * {@value #FAILING} reads a table that does not exist and fails fatally on every run.
 * Shared by the health and metrics tests (one application start for both).
 */
public class TwoMappingsProfile implements QuarkusTestProfile {

    public static final String HEALTHY = "orders";
    public static final String FAILING = "ghost";
    static final String SOURCE_DB = "monitoring_src";
    static final String TARGET_DB = "monitoring_tgt";
    static final String STATE_DB = "monitoring_state";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("tablesync.mappings." + HEALTHY + ".source", "source"),
                Map.entry("tablesync.mappings." + HEALTHY + ".source-table", "orders"),
                Map.entry("tablesync.mappings." + HEALTHY + ".target", "target"),
                Map.entry("tablesync.mappings." + HEALTHY + ".schedule", "1s"),
                Map.entry("tablesync.mappings." + HEALTHY + ".commit-delay", "1s"),
                Map.entry("tablesync.mappings." + FAILING + ".source", "source"),
                Map.entry("tablesync.mappings." + FAILING + ".source-table", "missing_table"),
                Map.entry("tablesync.mappings." + FAILING + ".target", "target"),
                Map.entry("tablesync.mappings." + FAILING + ".schedule", "1s"),
                Map.entry("tablesync.retry.initial-backoff", "100ms"),
                Map.entry("tablesync.retry.max-backoff", "500ms"),
                Map.entry("tablesync.state-schema", STATE_DB),
                Map.entry("quarkus.management.test-port", "0"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PasswordUserServersResource.class, Map.of(
                "sourceDatabase", SOURCE_DB,
                "targetDatabase", TARGET_DB,
                "sourceSql", "CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2), updated_at TIMESTAMP(6)"
                        + " NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))"
                        + ";;INSERT INTO orders (id, total) VALUES (1, 9.99), (2, 100.00), (3, 0.01)")));
    }
}
