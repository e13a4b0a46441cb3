package dev.tablesync.api;

import static dev.tablesync.api.Api.PROBLEM_JSON;
import static dev.tablesync.api.Api.asOperator;
import static dev.tablesync.api.Api.asViewer;
import static dev.tablesync.api.Api.awaitRun;
import static dev.tablesync.api.Api.history;
import static dev.tablesync.api.Api.trigger;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Who may do what (401, 403, viewer reads), and that no response ever carries a secret. */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class ApiSecurityTest {

    private static final List<String> READS = List.of("/api/mappings", "/api/mappings/orders",
            "/api/mappings/orders/runs");
    private static final List<String> MUTATIONS = List.of("/api/mappings/orders/runs", "/api/mappings/orders/pause",
            "/api/mappings/orders/resume", "/api/mappings/orders/reset");

    @Test
    void shouldAskForCredentialsWith401OnEveryEndpoint() {
        for (String path : READS) {
            expect401(given().when().get(path), path);
        }
        for (String path : MUTATIONS) {
            expect401(given().when().post(path), path);
        }
    }

    @Test
    void shouldRefuseAWrongPasswordWith401ProblemAndChallenge() {
        expectBadCredentials(given().auth().preemptive().basic(ApiTestProfile.OPERATOR, "not-the-password")
                .post("/api/mappings/orders/pause"), "/api/mappings/orders/pause");
        expectBadCredentials(given().auth().preemptive().basic("nobody", ApiTestProfile.OPERATOR_PASSWORD)
                .get("/api/mappings"), "/api/mappings");
        assertTrue(Api.stateRow("mapping_control", "orders", "paused").isEmpty(), "nothing paused");
    }

    private static void expectBadCredentials(io.restassured.response.Response response, String path) {
        response.then().statusCode(401).header("WWW-Authenticate", containsString("Basic")).contentType(PROBLEM_JSON)
                .body("status", equalTo(401)).body("type", equalTo("urn:tablesync:problem:unauthenticated"))
                .body("title", equalTo("Authentication failed")).body("instance", equalTo(path))
                .body("detail", containsString("user name or password was not accepted"));
    }

    @Test
    void shouldRefuseEveryMutationForViewerWith403() {
        for (String path : MUTATIONS) {
            asViewer().post(path).then().statusCode(403).contentType(PROBLEM_JSON)
                    .body("type", equalTo("urn:tablesync:problem:forbidden")).body("status", equalTo(403))
                    .body("instance", equalTo(path)).body("detail", containsString("needs role operator"));
        }
        assertTrue(Api.stateRow("mapping_control", "orders", "paused").isEmpty(), "viewer paused nothing");
    }

    @Test
    void shouldLetViewerAndOperatorReadEverything() {
        for (String path : READS) {
            asViewer().get(path).then().statusCode(200).contentType("application/json");
            asOperator().get(path).then().statusCode(200).contentType("application/json");
        }
    }

    /**
     * The decoy mapping's source has a recognisable password and cannot be reached, so its error travels
     * through the view and the history; the test servers' root password is empty, so the other secrets
     * checked are the API users' passwords, JDBC URLs and the word password itself.
     */
    @Test
    void shouldNeverRevealConnectionSecretsInAnyBody() {
        Map<String, Object> failed = awaitRun("decoy", trigger("decoy"));
        assertEquals("failed", failed.get("status"), failed.toString());
        assertNotNull(failed.get("error"), failed.toString());

        List<String> bodies = new ArrayList<>();
        bodies.add(asViewer().get("/api/mappings").then().statusCode(200).extract().asString());
        for (String id : List.of("orders", "slow", "customers", "decoy", "stranded")) {
            bodies.add(asViewer().get("/api/mappings/{id}", id).then().statusCode(200).extract().asString());
            bodies.add(asViewer().queryParam("limit", 500).get("/api/mappings/{id}/runs", id).then().extract().asString());
        }
        bodies.add(asViewer().get("/api/mappings/nope").then().statusCode(404).extract().asString());
        bodies.add(asViewer().post("/api/mappings/decoy/pause").then().statusCode(403).extract().asString());
        bodies.add(given().get("/api/mappings").then().statusCode(401).extract().asString());
        asViewer().get("/api/mappings/decoy").then().body("lastError", notNullValue())
                .body("consecutiveFailures", greaterThanOrEqualTo(1));

        bodies.add(logWritten());
        for (String body : bodies) {
            String lower = body.toLowerCase(Locale.ROOT);
            for (String secret : List.of("jdbc:", "password", ApiTestProfile.DECOY_PASSWORD.toLowerCase(Locale.ROOT),
                    ApiTestProfile.OPERATOR_PASSWORD, ApiTestProfile.VIEWER_PASSWORD)) {
                assertFalse(lower.contains(secret), "'" + secret + "' in " + body);
            }
        }
        assertTrue(history("decoy").size() >= 1);
    }

    /** Everything the application logged so far; it must hold the decoy run's failure too. */
    private static String logWritten() {
        try {
            String log = java.nio.file.Files.readString(java.nio.file.Path.of(ApiTestProfile.LOG_FILE));
            assertTrue(log.contains("mapping=decoy status=failed"), "the log file holds the decoy's failed run");
            return log;
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + ApiTestProfile.LOG_FILE, e);
        }
    }

    private static void expect401(io.restassured.response.Response response, String path) {
        response.then().statusCode(401).header("WWW-Authenticate", containsString("Basic")).contentType(PROBLEM_JSON)
                .body("status", equalTo(401)).body("type", equalTo("urn:tablesync:problem:unauthenticated"))
                .body("instance", equalTo(path));
    }
}
