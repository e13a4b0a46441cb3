package dev.tablesync.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.tablesync.health.Eventually;
import dev.tablesync.metrics.Metrics;
import dev.tablesync.testsupport.TestServersResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A service with one {@code mode=binlog} mapping publishes its source's stream meters on {@code /q/metrics}, tagged
 * with the source, and every binlog metric the shipped alerts and dashboard query is among them (the binlog
 * queries {@link MonitoringMetricNamesTest} leaves out: no stream runs there).
 */
@QuarkusTest
@TestProfile(BinlogMonitoringTest.Profile.class)
class BinlogMonitoringTest {

    /** One binlog mapping of a small table, applied every second. */
    public static class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tablesync.mappings.events.source", "source",
                    "tablesync.mappings.events.source-table", "events",
                    "tablesync.mappings.events.target", "target",
                    "tablesync.mappings.events.mode", "binlog",
                    "tablesync.mappings.events.schedule", "1s",
                    "tablesync.state-schema", "binlog_monitoring_state",
                    "quarkus.management.test-port", "0");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestServersResource.class, Map.of(
                    "sourceDatabase", "binlog_monitoring_src",
                    "targetDatabase", "binlog_monitoring_tgt",
                    "sourceSql", "CREATE TABLE events (id INT PRIMARY KEY, n INT NOT NULL)"
                            + ";;INSERT INTO events VALUES (1, 0), (2, 0)")));
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void shouldPublishEveryStreamMeterTaggedWithItsSourceWhileTheMappingFollowsTheLog() {
        String text = connectedScrape();
        for (String name : Metrics.PER_SOURCE) {
            assertTrue(Pattern.compile("(?m)^" + name + "\\{[^}]*" + Metrics.SOURCE + "=\"[^\"]+:[0-9]+\"").matcher(text)
                    .find(), name + " tagged with its source in:\n" + text);
        }
    }

    @Test
    void shouldExportEveryBinlogMetricAndLabelTheAlertsAndDashboardUse() {
        Map<String, String> queries = new LinkedHashMap<>(MonitoringQueries.alerts());
        queries.putAll(MonitoringQueries.dashboard());
        Map<String, String> binlog = MonitoringQueries.only(queries,
                n -> n.startsWith(MonitoringMetricNamesTest.BINLOG));
        assertEquals(5, binlog.size(), "one alert and four panel targets: " + binlog);
        assertEquals(List.of(), MonitoringQueries.missing(binlog, connectedScrape()), "not in /q/metrics");
    }

    private String connectedScrape() {
        Pattern connected = Pattern.compile("(?m)^" + Metrics.BINLOG_STREAM_CONNECTED + "\\{[^}]*} 1\\.0$");
        Eventually.await("the binlog stream is connected", Duration.ofSeconds(60),
                () -> connected.matcher(scrape()).find());
        return scrape();
    }

    private String scrape() {
        return given().accept("text/plain").get(metrics).then().statusCode(200).extract().asString();
    }
}
