package dev.tablesync.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import dev.tablesync.testsupport.PackagedApp;

/**
 * Health on the management interface: liveness and readiness stay UP while one mapping fails
 * (a failing mapping must neither restart the pod nor take the API out of the Service); the
 * per-mapping checks, in their own group and in the overall report, say which mapping is behind
 * and why.
 */
@QuarkusTest
@TestProfile(TwoMappingsProfile.class)
class HealthEndpointsTest {

    private static final String HEALTHY_CHECK = MappingHealthCheck.name(TwoMappingsProfile.HEALTHY);
    private static final String FAILING_CHECK = MappingHealthCheck.name(TwoMappingsProfile.FAILING);

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @BeforeEach
    void waitForBothMappingsToHaveRun() {
        health = PackagedApp.managementUrl(health);
        Eventually.await("the healthy mapping synced and the failing one failed", Duration.ofSeconds(60), () -> {
            JsonPath group = get("/group/" + MappingHealthChecks.GROUP);
            Integer failures = group.get(dataOf(FAILING_CHECK) + ".consecutiveFailures");
            return group.get(lagOf(HEALTHY_CHECK)) != null && failures != null && failures > 0;
        });
    }

    @Test
    void shouldBeLiveWithTheSchedulerRunningAndNoWedgedRun() {
        given().get(health + "/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(check(SchedulerLivenessCheck.NAME) + ".status", equalTo("UP"))
                .body(dataOf(SchedulerLivenessCheck.NAME) + ".schedulerRunning", equalTo(true))
                .body(dataOf(SchedulerLivenessCheck.NAME) + ".longestRunSeconds", lessThan(60))
                .body("checks.name", not(hasItem(FAILING_CHECK)));
    }

    @Test
    void shouldBeReadyWithReachableStateStoresDespiteAFailingMapping() {
        given().get(health + "/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(check(StateStoreReadinessCheck.NAME) + ".status", equalTo("UP"))
                .body(dataOf(StateStoreReadinessCheck.NAME) + ".stateStores", equalTo("target"))
                .body(dataOf(StateStoreReadinessCheck.NAME) + ".unreachable", equalTo(""))
                .body("checks.name", not(hasItems(HEALTHY_CHECK)))
                .body("checks.name", not(hasItem(FAILING_CHECK)));
    }

    @Test
    void shouldShowEveryMappingInItsGroupWithLagAndError() {
        given().get(health + "/group/" + MappingHealthChecks.GROUP).then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.name", hasItems(HEALTHY_CHECK, FAILING_CHECK))
                .body("checks", org.hamcrest.Matchers.hasSize(2))
                .body(check(HEALTHY_CHECK) + ".status", equalTo("UP"))
                .body(lagOf(HEALTHY_CHECK), lessThan(10))
                .body(dataOf(HEALTHY_CHECK) + ".consecutiveFailures", equalTo(0))
                .body(dataOf(HEALTHY_CHECK) + ".paused", equalTo(false))
                .body(dataOf(HEALTHY_CHECK) + ".lastSuccess", not(emptyOrNullString()))
                .body(check(FAILING_CHECK) + ".status", equalTo("DOWN"))
                .body(dataOf(FAILING_CHECK) + ".consecutiveFailures", greaterThan(0))
                .body(dataOf(FAILING_CHECK) + ".lastError", containsString("missing_table does not exist"))
                .body(dataOf(FAILING_CHECK) + ".lastErrorCategory", equalTo("fatal"))
                .body(dataOf(FAILING_CHECK) + ".reason", containsString("no successful one"));
    }

    @Test
    void shouldIncludeTheMappingChecksInTheOverallReport() {
        given().get(health.toString()).then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.name", hasItems(SchedulerLivenessCheck.NAME, StateStoreReadinessCheck.NAME,
                        HEALTHY_CHECK, FAILING_CHECK));
    }

    @Test
    void shouldShowNeitherJdbcUrlsNorPasswords() {
        for (String path : List.of("", "/live", "/ready", "/group/" + MappingHealthChecks.GROUP)) {
            String body = given().get(health + path).asString();
            assertFalse(body.contains("jdbc:"), path + ": " + body);
            assertFalse(body.contains(PasswordUserServersResource.PASSWORD), path + ": " + body);
        }
    }

    private JsonPath get(String path) {
        return given().get(health + path).jsonPath();
    }

    private static String check(String name) {
        return "checks.find { it.name == '" + name + "' }";
    }

    private static String dataOf(String name) {
        return check(name) + ".data";
    }

    private static String lagOf(String name) {
        return dataOf(name) + ".lagSeconds";
    }
}
