package dev.tablesync.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tablesync.health.Eventually;
import dev.tablesync.health.PasswordUserServersResource;
import dev.tablesync.health.TwoMappingsProfile;
import dev.tablesync.sql.FailureReason;
import dev.tablesync.testsupport.PackagedApp;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code /q/metrics} on the management interface, as Prometheus scrapes it: every metric of
 * {@link Metrics} per mapping and per pool, a lag that stays small and flat for an idle healthy
 * mapping, fatal failures counted for the failing one, and no secret anywhere.
 */
@QuarkusTest
@TestProfile(TwoMappingsProfile.class)
class MetricsEndpointTest {

    private static final String HEALTHY = TwoMappingsProfile.HEALTHY;
    private static final String FAILING = TwoMappingsProfile.FAILING;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeEach
    void waitForBothMappingsToHaveRun() {
        metrics = PackagedApp.managementUrl(metrics);
        Eventually.await("the healthy mapping synced and the failing one failed", Duration.ofSeconds(60), () -> {
            PrometheusText text = scrape();
            return text.value(Metrics.LAST_SUCCESS, Map.of(Metrics.MAPPING, HEALTHY)).orElse(Double.NaN) > 0
                    && text.value(Metrics.RUN_FAILURES, failures(FAILING, FailureReason.FATAL.label())).orElse(0) > 0;
        });
    }

    @Test
    void shouldPublishEveryMappingMetricTaggedWithItsMapping() {
        PrometheusText text = scrape();
        for (String name : Metrics.PER_MAPPING) {
            String sample = name.equals(Metrics.RUN_DURATION) ? name + "_bucket" : name;
            for (String mapping : new String[] {HEALTHY, FAILING}) {
                assertTrue(text.value(sample, Map.of(Metrics.MAPPING, mapping)).isPresent(),
                        sample + "{mapping=" + mapping + "} missing:\n" + text);
            }
        }
    }

    @Test
    void shouldPublishRunDurationsAsAHistogram() {
        String text = scrape().toString();
        assertTrue(text.contains("# TYPE " + Metrics.RUN_DURATION + " histogram"), text);
        assertTrue(scrape().require(Metrics.RUN_DURATION + "_count", Map.of(Metrics.MAPPING, HEALTHY)) > 0);
    }

    @Test
    void shouldPublishPoolGaugesPerConnection() {
        PrometheusText text = scrape();
        for (String name : Metrics.PER_CONNECTION) {
            for (String connection : new String[] {"source", "target"}) {
                assertTrue(text.value(name, Map.of(Metrics.CONNECTION, connection)).isPresent(),
                        name + "{connection=" + connection + "} missing:\n" + text);
            }
        }
        Map<String, String> target = Map.of(Metrics.CONNECTION, "target");
        assertEquals(4, text.require(Metrics.POOL_MAX, target));
        // Agroal reports zeros unless its metrics are on: a pool that has served runs has connections
        assertTrue(text.require(Metrics.POOL_ACTIVE, target) + text.require(Metrics.POOL_AVAILABLE, target) > 0, text
                .toString());
    }

    @Test
    void shouldKeepTheLagOfAnIdleHealthyMappingSmallAndFlat() throws InterruptedException {
        Map<String, String> healthy = Map.of(Metrics.MAPPING, HEALTHY);
        Eventually.await("lag below 5s", Duration.ofSeconds(30),
                () -> scrape().value(Metrics.CHECKPOINT_LAG, healthy).orElse(Double.NaN) < 5);
        double first = scrape().require(Metrics.CHECKPOINT_LAG, healthy);
        Thread.sleep(4000);
        double second = scrape().require(Metrics.CHECKPOINT_LAG, healthy);

        // commit-delay 1s + schedule 1s: between 1 and about 2.5 seconds whenever it is scraped
        assertTrue(second < 5, "lag grew to " + second + "s while the source was idle");
        assertTrue(Math.abs(second - first) < 3, "lag moved from " + first + "s to " + second + "s");
    }

    @Test
    void shouldCountFatalFailuresAndShowNoLagForTheFailingMapping() {
        double before = scrape().require(Metrics.RUN_FAILURES, failures(FAILING, FailureReason.FATAL.label()));
        Eventually.await("more fatal failures of " + FAILING, Duration.ofSeconds(20),
                () -> scrape().require(Metrics.RUN_FAILURES, failures(FAILING, FailureReason.FATAL.label())) > before);

        PrometheusText text = scrape();
        assertEquals(0, text.require(Metrics.RUN_FAILURES, failures(FAILING, FailureReason.TRANSIENT.label())));
        assertTrue(Double.isNaN(text.require(Metrics.CHECKPOINT_LAG, Map.of(Metrics.MAPPING, FAILING))));
        assertTrue(Double.isNaN(text.require(Metrics.LAST_SUCCESS, Map.of(Metrics.MAPPING, FAILING))));
        assertEquals(0, text.require(Metrics.PAUSED, Map.of(Metrics.MAPPING, FAILING)));
    }

    @Test
    void shouldTagRunFailuresWithTheReasonSpellingsAlertsAndDashboardsUse() {
        PrometheusText text = scrape();
        // Literal on purpose: these are the published label values, whatever the code calls them.
        for (String reason : new String[] {"transient", "fatal", "schema_drift"}) {
            for (String mapping : new String[] {HEALTHY, FAILING}) {
                assertTrue(text.value(Metrics.RUN_FAILURES, failures(mapping, reason)).isPresent(),
                        Metrics.RUN_FAILURES + "{mapping=" + mapping + ",reason=" + reason + "} missing:\n" + text);
            }
        }
        assertTrue(text.require(Metrics.RUN_FAILURES, failures(FAILING, "fatal")) > 0, text.toString());
    }

    @Test
    void shouldCountTheRowsOfTheHealthyMapping() {
        PrometheusText text = scrape();
        Map<String, String> healthy = Map.of(Metrics.MAPPING, HEALTHY);
        assertTrue(text.require(Metrics.ROWS_READ, healthy) >= 3, text.toString());
        assertTrue(text.require(Metrics.ROWS_WRITTEN, healthy) >= 3, text.toString());
        assertEquals(0, text.require(Metrics.ROWS_SKIPPED, healthy));
        assertEquals(0, text.require(Metrics.ROWS_CONFLICTED, healthy));
    }

    @Test
    void shouldShowNeitherJdbcUrlsNorPasswords() {
        for (String accept : new String[] {"text/plain", "application/openmetrics-text"}) {
            String text = given().accept(accept).get(metrics).asString();
            assertFalse(text.contains("jdbc:"), text);
            assertFalse(text.contains(PasswordUserServersResource.PASSWORD), text);
        }
    }

    /** As Prometheus gets it: its Accept header names text/plain, so Quarkus answers in format 0.0.4. */
    private PrometheusText scrape() {
        return new PrometheusText(given().accept("text/plain").get(metrics).then().statusCode(200).extract().asString());
    }

    private static Map<String, String> failures(String mapping, String reason) {
        return Map.of(Metrics.MAPPING, mapping, Metrics.REASON, reason);
    }
}
