package dev.tablesync.api;

import static dev.tablesync.api.Api.PROBLEM_JSON;
import static dev.tablesync.api.Api.asOperator;
import static dev.tablesync.api.Api.asViewer;
import static dev.tablesync.api.Api.awaitRun;
import static dev.tablesync.api.Api.trigger;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tablesync.metrics.Metrics;
import dev.tablesync.metrics.PrometheusText;
import dev.tablesync.testsupport.PackagedApp;
import dev.tablesync.testsupport.TestServers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** GET/POST /api/mappings/{id}/conflicts: parked rows as cells, resolution by operators, 403/404/409, history. */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class ConflictApiTest {

    private static boolean synced;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeEach
    void snapshotOnce() {
        metrics = PackagedApp.managementUrl(metrics);
        synchronized (ConflictApiTest.class) {
            if (!synced) {
                awaitRun("parked", trigger("parked"));
                synced = true;
            }
        }
    }

    private static void sql(boolean target, String... statements) throws SQLException {
        try (Connection c = target ? TestServers.get().target().connect(ApiTestProfile.TARGET_DB)
                : Api.source(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static String targetName(int id) throws SQLException {
        try (Connection c = TestServers.get().target().connect(ApiTestProfile.TARGET_DB);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM parked_items WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The listed conflict of a key. */
    private static Map<String, Object> conflict(int id) {
        List<Map<String, Object>> all = asViewer().get("/api/mappings/parked/conflicts").then().statusCode(200)
                .extract().jsonPath().getList("conflicts");
        return all.stream().filter(c -> ("" + id).equals(((Map<?, ?>) c.get("key")).get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no conflict for id " + id + " in " + all));
    }

    /** Source and target change the same row, the target by hand; the next run parks it. */
    private static Map<String, Object> parkedByHand(int id, String source, String target) throws SQLException {
        sql(true, "UPDATE parked_items SET name = '" + target + "' WHERE id = " + id);
        sql(false, "UPDATE parked_items SET name = '" + source + "' WHERE id = " + id);
        Api.sleep(java.time.Duration.ofMillis(200));
        awaitRun("parked", trigger("parked"));
        return conflict(id);
    }

    @Test
    void shouldListAParkedRowWithCellsAsTextHexOrNull() {
        asViewer().get("/api/mappings/parked/conflicts").then().statusCode(200).contentType(ContentType.JSON)
                .body("mapping", equalTo("parked")).body("max", equalTo(10000))
                .body("columns", equalTo(List.of("id", "name", "data", "updated_at")));
        Map<String, Object> c = conflict(1);
        List<?> source = (List<?>) c.get("source");
        List<?> target = (List<?>) c.get("target");
        assertEquals(Map.of("text", "1"), source.get(0));
        assertEquals(Map.of("text", "one"), source.get(1));
        assertEquals(Map.of("hex", "00ff"), source.get(2));
        assertEquals(Map.of("text", "by hand"), target.get(1));
        assertEquals(null, target.get(2), "SQL NULL");
        assertTrue(String.valueOf(c.get("checkpoint")).startsWith("snapshot"), c.toString());
        assertTrue(c.get("parkedAt") instanceof String);
    }

    @Test
    void shouldListNoConflictsForAMappingWhoseTargetTableDoesNotExistYet() {
        asViewer().get("/api/mappings/decoy/conflicts").then().statusCode(200).body("parked", equalTo(0))
                .body("columns", equalTo(List.of())).body("conflicts", equalTo(List.of()));
    }

    @Test
    void shouldRefuseResolutionToAViewerWith403() {
        Object id = conflict(1).get("id");
        asViewer().contentType(ContentType.JSON).body("{\"action\":\"take-source\"}")
                .post("/api/mappings/parked/conflicts/{c}/resolve", id).then().statusCode(403)
                .contentType(PROBLEM_JSON);
        asViewer().contentType(ContentType.JSON).body("{\"action\":\"take-source\"}")
                .post("/api/mappings/parked/conflicts/resolve").then().statusCode(403);
    }

    @Test
    void shouldAnswer404ForAnUnknownMappingOrConflictAnd400ForAnUnknownAction() {
        asViewer().get("/api/mappings/nope/conflicts").then().statusCode(404).contentType(PROBLEM_JSON);
        asOperator().contentType(ContentType.JSON).body("{\"action\":\"take-source\"}")
                .post("/api/mappings/parked/conflicts/999999/resolve").then().statusCode(404)
                .contentType(PROBLEM_JSON).body("type", equalTo("urn:tablesync:problem:unknown-conflict"));
        asOperator().contentType(ContentType.JSON).body("{\"action\":\"delete\"}")
                .post("/api/mappings/parked/conflicts/{c}/resolve", conflict(1).get("id")).then().statusCode(400)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void shouldTakeTheSourceImageAndRecordWhoResolvedIt() throws SQLException {
        Map<String, Object> c = parkedByHand(3, "three-src", "three-hand");
        assertEquals("three-hand", targetName(3));

        asOperator().contentType(ContentType.JSON).body("{\"action\":\"take-source\"}")
                .post("/api/mappings/parked/conflicts/{c}/resolve", c.get("id")).then().statusCode(200)
                .body("resolved", equalTo(1));

        assertEquals("three-src", targetName(3));
        asViewer().get("/api/mappings/parked/conflicts/history").then().statusCode(200)
                .body("[0].action", equalTo("take-source")).body("[0].resolvedBy", equalTo(ApiTestProfile.OPERATOR))
                .body("[0].key.id", equalTo("3")).body("[0].conflictId", equalTo(((Number) c.get("id")).intValue()));
    }

    @Test
    void shouldRefuseWith409AndTheNewImageWhenTheTargetRowChangedSinceItWasParked() throws SQLException {
        Map<String, Object> c = parkedByHand(2, "two-src", "two-hand");
        sql(true, "UPDATE parked_items SET name = 'two-again' WHERE id = 2");

        asOperator().contentType(ContentType.JSON).body("{\"action\":\"keep-target\"}")
                .post("/api/mappings/parked/conflicts/{c}/resolve", c.get("id")).then().statusCode(409)
                .contentType(PROBLEM_JSON).body("type", equalTo("urn:tablesync:problem:target-changed"))
                .body("target[1].text", equalTo("two-again")).body("target[2]", nullValue());

        assertEquals("two-again", targetName(2));
        assertEquals(c.get("id"), conflict(2).get("id"), "still parked");
    }

    @Test
    void shouldExposeTheParkedCountAsAGauge() {
        String text = io.restassured.RestAssured.given().accept("text/plain").get(metrics).then().statusCode(200)
                .extract().asString();
        double parked = new PrometheusText(text).require(Metrics.CONFLICTS_PARKED, Map.of(Metrics.MAPPING, "parked"));
        assertTrue(parked >= 1, "parked " + parked);
    }
}
