package dev.tablesync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tablesync.health.MappingHealthChecks;
import dev.tablesync.sync.MappingStatus;
import dev.tablesync.sync.SyncEngine;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;
import dev.tablesync.testsupport.TestServersResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Guarantee 4 under a real outage: the scheduled service keeps running while one source server
 * is down. The mapping on it backs off with its error visible and its lag growing; a mapping on
 * another server keeps syncing; when the server returns the mapping catches up, losing nothing.
 */
@QuarkusTest
@TestProfile(SourceOutageTest.Profile.class)
class SourceOutageTest {

    static final String TABLE = "CREATE TABLE items (id INT PRIMARY KEY, v INT, updated_at DATETIME(6) NOT NULL"
            + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), INDEX (updated_at))";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("tablesync.mappings.far.source", "source"),
                    Map.entry("tablesync.mappings.far.source-table", "items"),
                    Map.entry("tablesync.mappings.far.target", "target"),
                    Map.entry("tablesync.mappings.far.target-table", "far_items"),
                    Map.entry("tablesync.mappings.far.schedule", "1s"),
                    Map.entry("tablesync.mappings.far.commit-delay", "0s"),
                    Map.entry("tablesync.mappings.far.max-lag", "3s"),
                    Map.entry("quarkus.http.test-port", "0"),
                    Map.entry("quarkus.management.test-port", "0"),
                    Map.entry("tablesync.mappings.near.source", "local"),
                    Map.entry("tablesync.mappings.near.source-table", "items"),
                    Map.entry("tablesync.mappings.near.target", "target"),
                    Map.entry("tablesync.mappings.near.target-table", "near_items"),
                    Map.entry("tablesync.mappings.near.schedule", "1s"),
                    Map.entry("tablesync.mappings.near.commit-delay", "0s"),
                    Map.entry("tablesync.retry.initial-backoff", "200ms"),
                    Map.entry("tablesync.retry.max-backoff", "1s"),
                    Map.entry("tablesync.state-schema", "outage_state"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestServersResource.class, Map.of("sourceDatabase", "outage_src",
                    "targetDatabase", "outage_tgt", "localDatabase", "outage_local", "sourceSql", TABLE,
                    "localSql", TABLE, "targetSql", "DROP DATABASE IF EXISTS outage_state")));
        }
    }

    @Inject
    SyncEngine engine;

    @TestHTTPResource(value = "/health/group/" + MappingHealthChecks.GROUP, management = true)
    URL mappingsHealth;

    /** The mapping's check in the health group: its status and its data. */
    private io.restassured.path.json.JsonPath farHealth() {
        String body = io.restassured.RestAssured.given().get(mappingsHealth).then().extract().asString();
        io.restassured.path.json.JsonPath json = new io.restassured.path.json.JsonPath(body);
        return json.setRootPath("checks.find { it.name == '" + MappingHealthChecks.checkName("far") + "' }");
    }

    @Test
    void shouldBackOffWhileSourceIsDownKeepOthersSyncingAndCatchUpAfter() throws Exception {
        TestServer source = TestServers.get().source();
        TestServer target = TestServers.get().target();
        assumeTrue(source.restartable(), "needs a local server that the test can stop");
        source.execute("outage_src", "INSERT INTO items (id, v) VALUES (1, 1), (2, 2)");
        await("far synced before the outage", () -> count(target, "far_items") == 2);

        source.kill();
        try {
            target.execute("outage_local", "INSERT INTO items (id, v) VALUES (1, 1), (2, 2), (3, 3)");
            await("near keeps syncing during the outage", () -> count(target, "near_items") == 3);
            await("far fails and backs off", () -> engine.status("far").consecutiveFailures() >= 2);
            MappingStatus down = engine.status("far");
            assertEquals("transient", down.lastErrorCategory().orElseThrow().label(), down.toString());
            Duration lagDuringOutage = down.lag().orElseThrow();
            Thread.sleep(1500);
            assertTrue(engine.status("far").lag().orElseThrow().compareTo(lagDuringOutage) > 0, "lag grows");
            await("health shows far DOWN past its max-lag", () -> "DOWN".equals(farHealth().getString("status")));
            assertTrue(farHealth().getString("data.lastError").contains("cannot connect to connection 'source'"),
                    farHealth().prettify());
        } finally {
            source.start();
        }
        source.execute("outage_src", "INSERT INTO items (id, v) VALUES (3, 3)", "UPDATE items SET v = 20 WHERE id = 2");

        // A run may start between the INSERT and the UPDATE (two commits): wait for both, not for the first.
        await("far catches up", () -> count(target, "far_items") == 3 && value(target, "far_items", 2) == 20
                && engine.status("far").consecutiveFailures() == 0
                && engine.status("far").lag().orElseThrow().compareTo(Duration.ofSeconds(3)) < 0);
        assertEquals(20, value(target, "far_items", 2));
        await("health shows far UP again", () -> "UP".equals(farHealth().getString("status")));
        Duration idle = engine.status("near").lag().orElseThrow();
        Thread.sleep(2000);
        Duration later = engine.status("near").lag().orElseThrow();
        assertTrue(later.minus(idle).abs().compareTo(Duration.ofMillis(1500)) < 0,
                "an idle healthy mapping's lag stays flat: " + idle + " then " + later);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static long count(TestServer server, String table) {
        return query(server, "SELECT COUNT(*) FROM " + table);
    }

    private static long value(TestServer server, String table, int id) {
        return query(server, "SELECT v FROM " + table + " WHERE id = " + id);
    }

    private static long query(TestServer server, String sql) {
        try (Connection c = server.connect("outage_tgt"); ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }
}
