package dev.tablesync.api;

import java.util.List;
import java.util.Map;

import dev.tablesync.testsupport.TestServersResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One service with seven mappings for the API tests, each test class using its own so they do not
 * disturb each other in the shared application: {@code orders} (runs, history), {@code slow} (a run
 * the tests hold up), {@code customers} (pause, resume, reset), {@code audited} (verify and repair,
 * with a verify schedule that never fires), {@code decoy} (its source cannot be
 * reached, with a recognisable password that must never show), {@code stranded} (its target, and
 * so its state store, cannot be reached) and {@code parked} (conflict policy park; its target
 * already holds a differing row 1).
 *
 * <p>Schedules fire in 2099 only: the scheduler must not start runs the tests did not ask for (an
 * interval job fires right at start-up, which would make "409 while running" and run counts racy).
 */
public class ApiTestProfile implements QuarkusTestProfile {

    static final String SOURCE_DB = "api_src";
    static final String TARGET_DB = "api_tgt";
    static final String STATE_DB = "api_state";

    static final String OPERATOR = "op";
    static final String OPERATOR_PASSWORD = "op-secret-4711";
    static final String VIEWER = "view";
    static final String VIEWER_PASSWORD = "view-secret-0815";
    /** Where the integration-test launcher also makes the packaged app log; the same file in both modes. */
    static final String LOG_FILE = "target/quarkus.log";
    static final String DECOY_USER = "decoy_reader";
    static final String DECOY_PASSWORD = "decoy-Pa55word-6161";

    /**
     * Fires in 2099 only. Starts with a digit on purpose: a cron like "0 0 0 1 1 ?" once was taken
     * for an interval and stopped start-up.
     */
    static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final String TABLE = " (id INT PRIMARY KEY, name VARCHAR(40), updated_at TIMESTAMP(6) NOT NULL"
            + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))";

    private static final String PARKED_TABLE = " (id INT PRIMARY KEY, name VARCHAR(40), data VARBINARY(8),"
            + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
            + " INDEX (updated_at))";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("tablesync.state-schema", STATE_DB),
                // Other test runs on this machine may hold the default management test port.
                Map.entry("quarkus.management.test-port", "0"),
                // The secrets test reads the log file too: nothing secret may be logged either.
                Map.entry("quarkus.log.file.enabled", "true"),
                Map.entry("quarkus.log.file.path", LOG_FILE),
                Map.entry("tablesync.connections.decoy.url", "jdbc:mysql://127.0.0.1:1/decoy_db"),
                Map.entry("tablesync.connections.decoy.username", DECOY_USER),
                Map.entry("tablesync.connections.decoy.password", DECOY_PASSWORD),
                mapping("orders", "source", "source"), mapping("orders", "source-table", "orders"),
                mapping("orders", "target", "target"),
                mapping("orders", "schedule", NEVER),
                mapping("slow", "source", "source"), mapping("slow", "source-table", "slow_items"),
                mapping("slow", "target", "target"), mapping("slow", "schedule", NEVER),
                mapping("customers", "source", "source"), mapping("customers", "source-table", "customers"),
                mapping("customers", "target", "target"), mapping("customers", "target-table", "customers_copy"),
                mapping("customers", "schedule", NEVER), mapping("customers", "max-lag", "10m"),
                mapping("decoy", "source", "decoy"), mapping("decoy", "source-table", "orders"),
                mapping("decoy", "target", "target"), mapping("decoy", "target-table", "decoy_orders"),
                mapping("decoy", "schedule", NEVER),
                mapping("audited", "source", "source"), mapping("audited", "source-table", "audited_items"),
                mapping("audited", "target", "target"), mapping("audited", "schedule", NEVER),
                mapping("audited", "verify-schedule", NEVER), mapping("audited", "verify-repair", "true"),
                mapping("parked", "source", "source"), mapping("parked", "source-table", "parked_items"),
                mapping("parked", "target", "target"), mapping("parked", "schedule", NEVER),
                mapping("parked", "conflict", "park"), mapping("parked", "commit-delay", "0s"),
                mapping("stranded", "source", "source"), mapping("stranded", "source-table", "orders"),
                mapping("stranded", "target", "decoy"), mapping("stranded", "schedule", NEVER),
                Map.entry("quarkus.security.users.embedded.users." + OPERATOR, OPERATOR_PASSWORD),
                Map.entry("quarkus.security.users.embedded.roles." + OPERATOR, Roles.OPERATOR),
                Map.entry("quarkus.security.users.embedded.users." + VIEWER, VIEWER_PASSWORD),
                Map.entry("quarkus.security.users.embedded.roles." + VIEWER, Roles.VIEWER));
    }

    private static Map.Entry<String, String> mapping(String id, String key, String value) {
        return Map.entry("tablesync.mappings." + id + "." + key, value);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TestServersResource.class, Map.of("sourceDatabase", SOURCE_DB,
                "targetDatabase", TARGET_DB,
                "sourceSql", String.join(";;",
                        "CREATE TABLE orders" + TABLE,
                        "INSERT INTO orders (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three')",
                        "CREATE TABLE slow_items" + TABLE,
                        "INSERT INTO slow_items (id, name) VALUES (1, 'a'), (2, 'b')",
                        "CREATE TABLE customers" + TABLE,
                        "INSERT INTO customers (id, name) VALUES (1, 'Ada'), (2, 'Grace')",
                        "CREATE TABLE audited_items" + TABLE,
                        "INSERT INTO audited_items (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')",
                        "CREATE TABLE parked_items" + PARKED_TABLE,
                        "INSERT INTO parked_items (id, name, data) VALUES (1, 'one', 0x00ff), (2, 'two', NULL),"
                                + " (3, 'three', 0x01)"),
                "targetSql", String.join(";;",
                        "CREATE TABLE parked_items" + PARKED_TABLE,
                        "INSERT INTO parked_items (id, name, data) VALUES (1, 'by hand', NULL)"))));
    }
}
