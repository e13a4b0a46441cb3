package dev.tablesync.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tablesync.health.Eventually;
import dev.tablesync.health.TwoMappingsProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every metric and label that the PrometheusRule alerts and the Grafana dashboard query exists in
 * the live {@code /q/metrics} of a service whose mappings have run (one healthy, one failing), so
 * no alert or panel can stay silent because of a misspelt or renamed metric.
 */
@QuarkusTest
@TestProfile(TwoMappingsProfile.class)
class MonitoringMetricNamesTest {

    /** Binlog streams' metrics exist only while a stream runs: {@link BinlogMonitoringTest} checks them. */
    static final String BINLOG = "tablesync_binlog_";

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void shouldExportEveryMetricAndLabelTheAlertsUse() {
        Map<String, String> queries = MonitoringQueries.alerts();
        assertEquals(6, queries.size());
        assertAllExported(MonitoringQueries.only(queries, n -> !n.startsWith(BINLOG)));
    }

    @Test
    void shouldExportEveryMetricAndLabelTheDashboardUses() {
        Map<String, String> queries = MonitoringQueries.only(MonitoringQueries.dashboard(),
                n -> !n.startsWith(BINLOG));
        assertTrue(queries.size() >= 15, queries.toString());
        assertAllExported(queries);
    }

    private void assertAllExported(Map<String, String> queries) {
        Eventually.await("the healthy mapping has synced", Duration.ofSeconds(60),
                () -> scrape().contains("tablesync_last_success_timestamp_seconds{mapping=\"" + TwoMappingsProfile.HEALTHY));
        assertEquals(List.of(), MonitoringQueries.missing(queries, scrape()), "not in /q/metrics");
        System.out.println(queries.size() + " queries checked against /q/metrics");
    }

    private String scrape() {
        return given().accept("text/plain").get(metrics).then().statusCode(200).extract().asString();
    }
}
