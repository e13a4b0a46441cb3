package dev.tablesync.api;

import static dev.tablesync.api.Api.PROBLEM_JSON;
import static dev.tablesync.api.Api.asOperator;
import static dev.tablesync.api.Api.asViewer;
import static dev.tablesync.api.Api.awaitRun;
import static dev.tablesync.api.Api.history;
import static dev.tablesync.api.Api.trigger;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Triggering runs and reading the run history; 409 while a run is in progress; 400 for bad parameters. */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class RunApiTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void shouldAcceptATriggerWith202AndRecordTheRunUnderItsId() {
        String runId = asOperator().post("/api/mappings/orders/runs").then().statusCode(202)
                .contentType("application/json")
                .header("Location", endsWith("/api/mappings/orders/runs"))
                .body("runId", matchesPattern(UUID)).body("mappingId", equalTo("orders")).body("full", equalTo(false))
                .extract().path("runId");

        Map<String, Object> run = awaitRun("orders", runId);
        assertEquals("success", run.get("status"), run.toString());
        assertTrue(((Number) run.get("id")).longValue() > 0, run.toString());
        asViewer().get("/api/mappings/orders").then().statusCode(200)
                .body("tracking", equalTo("timestamp(updated_at)")).body("trackingReason", notNullValue())
                .body("phase", equalTo("incremental")).body("lastRun.status", equalTo("success"))
                .body("lastRun.kind", notNullValue()).body("lastRun.durationMs", notNullValue())
                .body("lastSuccess", notNullValue()).body("lastError", nullValue())
                .body("consecutiveFailures", equalTo(0)).body("running", equalTo(false))
                .body("lagSeconds", notNullValue()).body("completeUpTo", notNullValue());
    }

    @Test
    void shouldCopyTheWholeTableAgainWhenFullIsRequested() {
        awaitRun("orders", trigger("orders"));
        String runId = asOperator().queryParam("full", "true").post("/api/mappings/orders/runs").then().statusCode(202)
                .body("full", equalTo(true)).extract().path("runId");

        Map<String, Object> run = awaitRun("orders", runId);
        assertEquals("success", run.get("status"), run.toString());
        assertTrue(String.valueOf(run.get("kind")).startsWith("snapshot"), run.toString());
        assertEquals(3, run.get("rowsRead"), run.toString());
    }

    @Test
    void shouldPageTheRunHistoryNewestFirst() {
        awaitRun("orders", trigger("orders"));
        awaitRun("orders", trigger("orders"));
        List<Map<String, Object>> all = history("orders");
        assertTrue(all.size() >= 2, all.toString());
        assertTrue(((Number) all.get(0).get("id")).longValue() > ((Number) all.get(1).get("id")).longValue(),
                "newest first: " + all);

        asViewer().queryParam("limit", 1).get("/api/mappings/orders/runs").then().statusCode(200)
                .body("mappingId", equalTo("orders")).body("limit", equalTo(1)).body("offset", equalTo(0))
                .body("runs", hasSize(1)).body("runs[0].id", equalTo(all.get(0).get("id")))
                .body("next", equalTo("/api/mappings/orders/runs?limit=1&offset=1"));
        asViewer().queryParam("limit", 1).queryParam("offset", 1).get("/api/mappings/orders/runs").then()
                .statusCode(200).body("runs", hasSize(1)).body("runs[0].id", equalTo(all.get(1).get("id")));
        asViewer().queryParam("offset", all.size()).get("/api/mappings/orders/runs").then().statusCode(200)
                .body("runs", hasSize(0)).body("next", nullValue());
        asViewer().get("/api/mappings/orders/runs").then().statusCode(200).body("limit", equalTo(20));
    }

    @Test
    void shouldRejectBadPagingAndFlagValuesWith400() {
        for (String[] bad : List.of(new String[] { "limit", "0" }, new String[] { "limit", "501" },
                new String[] { "limit", "ten" }, new String[] { "offset", "-1" })) {
            asViewer().queryParam(bad[0], bad[1]).get("/api/mappings/orders/runs").then().statusCode(400)
                    .contentType(PROBLEM_JSON).body("type", equalTo("urn:tablesync:problem:invalid-parameter"))
                    .body("status", equalTo(400)).body("instance", equalTo("/api/mappings/orders/runs"))
                    .body("detail", allOf(containsString(bad[0] + " must be a whole number from"),
                            containsString("'" + bad[1] + "'")));
        }
        asOperator().queryParam("full", "yes").post("/api/mappings/orders/runs").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("detail", equalTo("full must be true or false, got 'yes'"));
    }

    /**
     * A run held up by a write lock on its source table (as a long ALTER TABLE would) is deterministically
     * in progress: a second trigger and a reset must be refused with 409 until it has finished.
     */
    @Test
    void shouldRefuseTriggerAndResetWith409WhileARunIsInProgress() throws Exception {
        String runId;
        try (Connection source = Api.source(); Statement s = source.createStatement()) {
            s.execute("LOCK TABLES slow_items WRITE");
            runId = trigger("slow");
            asViewer().get("/api/mappings/slow").then().body("running", equalTo(true))
                    .body("runningSince", notNullValue());

            asOperator().post("/api/mappings/slow/runs").then().statusCode(409).contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:tablesync:problem:mapping-busy")).body("status", equalTo(409))
                    .body("detail", allOf(containsString("mapping slow is already running"),
                            containsString("Retry once GET /api/mappings/slow shows running=false")));
            asOperator().post("/api/mappings/slow/reset").then().statusCode(409).contentType(PROBLEM_JSON)
                    .body("detail", containsString("mapping slow is running"));
            s.execute("UNLOCK TABLES");
        }
        Map<String, Object> run = awaitRun("slow", runId);
        assertEquals("success", run.get("status"), run.toString());
        assertEquals(2, run.get("rowsRead"), run.toString());
        asViewer().get("/api/mappings/slow").then().body("running", equalTo(false));
        asOperator().post("/api/mappings/slow/reset").then().statusCode(200);
    }
}
