package dev.tablesync.api;

import static dev.tablesync.api.Api.PROBLEM_JSON;
import static dev.tablesync.api.Api.asOperator;
import static dev.tablesync.api.Api.asViewer;
import static dev.tablesync.api.Api.awaitRun;
import static dev.tablesync.api.Api.stateRow;
import static dev.tablesync.api.Api.trigger;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import dev.tablesync.testsupport.PackagedApp;

/** The mapping endpoints: list, one, pause, resume, reset, and their errors; the OpenAPI document. */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class MappingApiTest {

    @Test
    void shouldListEveryMappingWithItsState() {
        asViewer().get("/api/mappings").then().statusCode(200).contentType("application/json")
                .body("id", equalTo(List.of("audited", "customers", "decoy", "orders", "parked", "slow", "stranded")))
                .body("source.connection", equalTo(List.of("source", "source", "decoy", "source", "source", "source", "source")))
                .body("", everyItem(allOf(hasKey("lagSeconds"), hasKey("lastRun"), hasKey("lastError"),
                        hasKey("paused"), hasKey("running"), hasKey("nextRun"), hasKey("phase"), hasKey("checkpoint"))));
    }

    @Test
    void shouldShowOneMappingWithConnectionNamesTablesAndSchedule() {
        asViewer().get("/api/mappings/customers").then().statusCode(200)
                .body("id", equalTo("customers"))
                .body("source.connection", equalTo("source")).body("source.table", equalTo("customers"))
                .body("target.connection", equalTo("target")).body("target.table", equalTo("customers_copy"))
                .body("enabled", equalTo(true)).body("mode", equalTo("auto"))
                .body("schedule", equalTo(ApiTestProfile.NEVER)).body("maxLagSeconds", equalTo(600))
                .body("nextRun", matchesPattern("209[89]-.*"));
    }

    @Test
    void shouldPersistPauseAndResumeInTheTargetStateSchema() {
        asOperator().post("/api/mappings/customers/pause").then().statusCode(200)
                .body("id", equalTo("customers")).body("paused", equalTo(true));
        assertEquals(Map.of("paused", "1", "changed_by", ApiTestProfile.OPERATOR),
                stateRow("mapping_control", "customers", "paused", "changed_by").orElseThrow());
        asViewer().get("/api/mappings/customers").then().body("paused", equalTo(true));

        asOperator().post("/api/mappings/customers/resume").then().statusCode(200).body("paused", equalTo(false));
        assertEquals(Map.of("paused", "0", "changed_by", ApiTestProfile.OPERATOR),
                stateRow("mapping_control", "customers", "paused", "changed_by").orElseThrow());
    }

    @Test
    void shouldResetTheCheckpointSoTheNextRunCopiesTheTableAgain() {
        awaitRun("customers", trigger("customers"));
        asViewer().get("/api/mappings/customers").then().body("phase", equalTo("incremental"))
                .body("checkpoint", startsWith("incremental"));
        assertTrue(stateRow("checkpoint", "customers", "phase").isPresent());

        asOperator().post("/api/mappings/customers/reset").then().statusCode(200)
                .body("phase", nullValue()).body("checkpoint", nullValue());
        assertTrue(stateRow("checkpoint", "customers", "phase").isEmpty(), "checkpoint row deleted");

        Map<String, Object> rerun = awaitRun("customers", trigger("customers"));
        assertEquals("success", rerun.get("status"), rerun.toString());
        assertTrue(String.valueOf(rerun.get("kind")).startsWith("snapshot"), rerun.toString());
        assertEquals(2, rerun.get("rowsRead"), rerun.toString());
    }

    /** Another replica running the mapping holds its named lock on the target; reset must not run beside it. */
    @Test
    void shouldRefuseResetWith409WhileAnotherReplicaRunsTheMapping() throws Exception {
        try (Connection replica = Api.stateStore(); Statement s = replica.createStatement();
                ResultSet rs = s.executeQuery("SELECT GET_LOCK('" + Api.lockName("customers") + "', 0)")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "test holds the mapping's lock");

            asOperator().post("/api/mappings/customers/reset").then().statusCode(409).contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:tablesync:problem:mapping-busy")).body("status", equalTo(409))
                    .body("title", notNullValue()).body("instance", equalTo("/api/mappings/customers/reset"))
                    .body("detail", allOf(containsString("already running"), containsString("Retry once"),
                            containsString("GET /api/mappings/customers")));
        }
    }

    @Test
    void shouldAnswerUnknownMappingWith404NamingTheKnownOnes() {
        asViewer().get("/api/mappings/ordrs").then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("urn:tablesync:problem:unknown-mapping")).body("status", equalTo(404))
                .body("title", equalTo("Unknown mapping")).body("instance", equalTo("/api/mappings/ordrs"))
                .body("detail", allOf(containsString("'ordrs'"), containsString("[audited, customers, decoy, orders, parked, slow, stranded]")));
        for (String action : List.of("pause", "resume", "reset", "runs")) {
            asOperator().post("/api/mappings/ordrs/" + action).then().statusCode(404).contentType(PROBLEM_JSON)
                    .body("detail", containsString("known mappings"));
        }
        asViewer().get("/api/mappings/ordrs/runs").then().statusCode(404).contentType(PROBLEM_JSON);
    }

    /** Pause and history live in the target's state schema: when it is unreachable nothing can change. */
    @Test
    void shouldAnswer503WhenTheTargetStateStoreIsUnreachable() {
        for (String body : List.of(
                asOperator().post("/api/mappings/stranded/pause").then().statusCode(503).contentType(PROBLEM_JSON)
                        .body("type", equalTo("urn:tablesync:problem:state-store-unavailable"))
                        .body("detail", allOf(containsString("cannot pause"), containsString("target decoy"),
                                containsString("Nothing was changed"), containsString("retry")))
                        .extract().asString(),
                asViewer().get("/api/mappings/stranded/runs").then().statusCode(503).contentType(PROBLEM_JSON)
                        .extract().asString())) {
            assertFalse(body.contains("jdbc:") || body.contains(ApiTestProfile.DECOY_PASSWORD), body);
        }
        asViewer().get("/api/mappings/stranded").then().statusCode(200).body("paused", equalTo(false));
    }

    @Test
    void shouldAnswerUnknownPathsAndMethodsWithProblemJson() {
        asViewer().get("/api/nothing-here").then().statusCode(404).contentType(PROBLEM_JSON)
                .body("type", equalTo("about:blank")).body("title", equalTo("Not Found"))
                .body("instance", equalTo("/api/nothing-here"));
        asOperator().delete("/api/mappings/orders").then().statusCode(405).contentType(PROBLEM_JSON)
                .body("status", equalTo(405));
    }

    /** On the management interface, like health and metrics: no credentials needed, nothing secret in it. */
    @TestHTTPResource(value = "openapi", management = true)
    URL openApi;

    @BeforeEach
    void onTheManagementPortTheApplicationListensOn() {
        openApi = PackagedApp.managementUrl(openApi);
    }

    @Test
    void shouldDocumentEveryEndpointInOpenApi() {
        String document = given().queryParam("format", "json").get(openApi).then().statusCode(200)
                .extract().asString();
        for (String path : List.of("\"/api/mappings\"", "\"/api/mappings/{id}\"", "\"/api/mappings/{id}/pause\"",
                "\"/api/mappings/{id}/resume\"", "\"/api/mappings/{id}/reset\"", "\"/api/mappings/{id}/runs\"",
                "\"/api/mappings/{id}/conflicts\"", "\"/api/mappings/{id}/conflicts/{conflictId}/resolve\"",
                "\"/api/mappings/{id}/conflicts/resolve\"", "\"/api/mappings/{id}/conflicts/history\"",
                "application/problem+json", "\"scheme\" : \"basic\"", "tablesync operations API")) {
            assertTrue(document.contains(path), path + " documented in " + document);
        }
    }
}
