package dev.tablesync.console;

import java.util.List;
import java.util.Map;

import dev.tablesync.api.Roles;
import dev.tablesync.testsupport.TestServersResource;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One service for the console tests (pages, actions, browser): {@code orders} (runs and lag),
 * {@code customers} (pause, resume), {@code audited} (reset), and {@code decoy}, whose source
 * cannot be reached with a recognisable password that no page may show; {@code disputed} (browser)
 * and {@code escaped} (pages) park conflicts ({@code conflict=park}), made by hand on the target.
 * Schedules fire in 2099 only, {@code customers}' never: the tests start every run themselves.
 */
public class ConsoleTestProfile implements QuarkusTestProfile {

    static final String OPERATOR = "op";
    static final String OPERATOR_PASSWORD = "op-secret-4711";
    static final String VIEWER = "view";
    static final String VIEWER_PASSWORD = "view-secret-0815";
    static final String DECOY_PASSWORD = "decoy-Pa55word-6161";
    static final String NEVER = "0 0 0 1 1 ? 2099";
    static final List<String> MAPPINGS = List.of("orders", "customers", "audited", "decoy", "disputed", "escaped");
    static final String SOURCE_DB = "console_src";
    static final String TARGET_DB = "console_tgt";

    private static final String TABLE = " (id INT PRIMARY KEY, name VARCHAR(40), updated_at TIMESTAMP(6) NOT NULL"
            + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("tablesync.state-schema", "console_state"),
                Map.entry("quarkus.management.test-port", "0"),
                Map.entry("tablesync.connections.decoy.url", "jdbc:mysql://127.0.0.1:1/decoy_db"),
                Map.entry("tablesync.connections.decoy.username", "decoy_reader"),
                Map.entry("tablesync.connections.decoy.password", DECOY_PASSWORD),
                mapping("orders", "source", "source"), mapping("orders", "source-table", "orders"),
                mapping("orders", "target", "target"), mapping("orders", "schedule", NEVER),
                mapping("customers", "source", "source"), mapping("customers", "source-table", "customers"),
                mapping("customers", "target", "target"), mapping("customers", "schedule", "never"),
                mapping("audited", "source", "source"), mapping("audited", "source-table", "audited_items"),
                mapping("audited", "target", "target"), mapping("audited", "schedule", NEVER),
                mapping("audited", "verify-schedule", NEVER),
                mapping("decoy", "source", "decoy"), mapping("decoy", "source-table", "orders"),
                mapping("decoy", "target", "target"), mapping("decoy", "target-table", "decoy_orders"),
                mapping("decoy", "schedule", NEVER),
                mapping("disputed", "source", "source"), mapping("disputed", "source-table", "disputed_items"),
                mapping("disputed", "target", "target"), mapping("disputed", "schedule", NEVER),
                mapping("disputed", "conflict", "park"), mapping("disputed", "commit-delay", "0s"),
                mapping("escaped", "source", "source"), mapping("escaped", "source-table", "escaped_items"),
                mapping("escaped", "target", "target"), mapping("escaped", "schedule", NEVER),
                mapping("escaped", "conflict", "park"), mapping("escaped", "commit-delay", "0s"),
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
                        "CREATE TABLE customers" + TABLE,
                        "INSERT INTO customers (id, name) VALUES (1, 'Ada'), (2, 'Grace')",
                        "CREATE TABLE audited_items" + TABLE,
                        "INSERT INTO audited_items (id, name) VALUES (1, 'a'), (2, 'b')",
                        "CREATE TABLE disputed_items" + TABLE,
                        "INSERT INTO disputed_items (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three')",
                        "CREATE TABLE escaped_items" + TABLE,
                        "INSERT INTO escaped_items (id, name) VALUES (1, 'one'), (2, 'two')"))));
    }
}
