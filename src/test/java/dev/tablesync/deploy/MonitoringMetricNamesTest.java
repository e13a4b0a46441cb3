package dev.tablesync.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    /** Labels Prometheus adds to every target scraped through the ServiceMonitor (prometheus-operator). */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "service", "endpoint", "container",
            "job", "instance");

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void shouldExportEveryMetricAndLabelTheAlertsUse() {
        Map<String, String> queries = new LinkedHashMap<>();
        JsonNode rule = Manifests.only(Kustomize.render(Manifests.BASE), "PrometheusRule");
        for (JsonNode r : rule.at("/spec/groups/0/rules")) {
            queries.put("alert " + r.path("alert").asText(), r.path("expr").asText());
        }
        assertEquals(5, queries.size());
        assertAllExported(queries);
    }

    @Test
    void shouldExportEveryMetricAndLabelTheDashboardUses() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Manifests.DASHBOARD.toFile());
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.path("type").asText().equals("query")) {
                queries.put("variable " + variable.path("name").asText(), variable.at("/query/query").asText());
            }
        }
        assertTrue(queries.size() >= 15, queries.toString());
        assertAllExported(queries);
    }

    private void assertAllExported(Map<String, String> queries) {
        Eventually.await("the healthy mapping has synced", Duration.ofSeconds(60),
                () -> scrape().contains("tablesync_last_success_timestamp_seconds{mapping=\"" + TwoMappingsProfile.HEALTHY));
        String text = scrape();
        Set<String> exported = new TreeSet<>();
        Set<String> labels = new TreeSet<>(TARGET_LABELS);
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                exported.add(m.group(1));
                Matcher label = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        List<String> missing = new ArrayList<>();
        queries.forEach((where, query) -> {
            PromQlNames names = PromQlNames.of(query);
            assertFalse(names.metrics().isEmpty(), where + " queries no metric: " + query);
            names.metrics().stream().filter(n -> !exported.contains(n)).forEach(n -> missing.add(where + ": metric " + n));
            names.labels().stream().filter(n -> !labels.contains(n)).forEach(n -> missing.add(where + ": label " + n));
        });
        assertEquals(List.of(), missing, "not in /q/metrics (labels seen: " + labels + ")");
        System.out.println(queries.size() + " queries checked against " + exported.size() + " exported metrics");
    }

    private String scrape() {
        return given().accept("text/plain").get(metrics).then().statusCode(200).extract().asString();
    }
}
