package dev.tablesync.api;

import static dev.tablesync.api.Api.PROBLEM_JSON;
import static dev.tablesync.api.Api.asOperator;
import static dev.tablesync.api.Api.asViewer;
import static dev.tablesync.api.Api.awaitRun;
import static dev.tablesync.api.Api.trigger;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.sql.Connection;
import java.sql.Statement;
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

/** POST /api/mappings/{id}/verify: 202 with a run id, the report in the run history, roles, metrics. */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class VerifyApiTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeEach
    void onTheManagementPortTheApplicationListensOn() {
        metrics = PackagedApp.managementUrl(metrics);
    }

    private static String verify(boolean repair) {
        return asOperator().queryParam("repair", repair).post("/api/mappings/audited/verify").then().statusCode(202)
                .contentType("application/json").header("Location", endsWith("/api/mappings/audited/runs"))
                .body("runId", matchesPattern(UUID)).body("mappingId", equalTo("audited"))
                .body("repair", equalTo(repair)).extract().path("runId");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> report(Map<String, Object> run) {
        return (Map<String, Object>) run.get("verify");
    }

    @Test
    void shouldAcceptAVerifyWith202AndPutItsReportInTheRunHistory() throws Exception {
        awaitRun("audited", trigger("audited"));
        try (Connection source = Api.source(); Statement s = source.createStatement()) {
            s.execute("DELETE FROM audited_items WHERE id = 4");
        }

        Map<String, Object> found = awaitRun("audited", verify(false));
        assertEquals("verify", found.get("kind"), found.toString());
        assertEquals("success", found.get("status"), found.toString());
        Map<String, Object> report = report(found);
        assertEquals(1, report.get("extra"), found.toString());
        assertEquals(0, report.get("missing"), found.toString());
        assertEquals(0, report.get("different"), found.toString());
        assertEquals(1, report.get("mismatches"), found.toString());
        assertEquals(1, report.get("unrepaired"), found.toString());
        assertTrue(((Number) report.get("chunksCompared")).longValue() >= 1, found.toString());

        Map<String, Object> repaired = awaitRun("audited", verify(true));
        assertEquals("verify+repair", repaired.get("kind"), repaired.toString());
        assertEquals(1, report(repaired).get("deleted"), repaired.toString());
        assertEquals(1, report(repaired).get("rowsRepaired"), repaired.toString());
        assertEquals(0, report(repaired).get("unrepaired"), repaired.toString());

        Map<String, Object> clean = awaitRun("audited", verify(false));
        assertEquals(0, report(clean).get("mismatches"), clean.toString());
        asViewer().get("/api/mappings/audited/runs").then().statusCode(200).body("runs[0].runId",
                equalTo(clean.get("runId"))).body("runs[0].verify.method",
                        equalTo(TestServers.get().wholeTableVerifyMethod()));
    }

    @Test
    void shouldRefuseAVerifyToAViewerWith403AndABadRepairFlagWith400() {
        asViewer().post("/api/mappings/audited/verify").then().statusCode(403);
        asOperator().queryParam("repair", "yes").post("/api/mappings/audited/verify").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("detail", equalTo("repair must be true or false, got 'yes'"));
        asOperator().post("/api/mappings/nope/verify").then().statusCode(404).contentType(PROBLEM_JSON);
    }

    @Test
    void shouldPublishTheLastVerifyInTheMetrics() {
        Map<String, Object> run = awaitRun("audited", verify(false));
        Map<String, String> audited = Map.of(Metrics.MAPPING, "audited");

        PrometheusText text = new PrometheusText(given().accept("text/plain").get(metrics).then().statusCode(200)
                .extract().asString());

        assertEquals(((Number) report(run).get("mismatches")).doubleValue(),
                text.require(Metrics.VERIFY_MISMATCHED_ROWS, audited), text.toString());
        assertEquals(((Number) report(run).get("unrepaired")).doubleValue(),
                text.require(Metrics.VERIFY_UNREPAIRED_ROWS, audited));
        assertTrue(text.require(Metrics.LAST_VERIFY, audited) > 1.7e9, text.toString());
        // a mapping never verified has the series, without a value yet
        assertTrue(Double.isNaN(text.require(Metrics.VERIFY_MISMATCHED_ROWS, Map.of(Metrics.MAPPING, "customers"))));
    }
}
