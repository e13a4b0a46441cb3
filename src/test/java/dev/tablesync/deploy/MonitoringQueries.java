package dev.tablesync.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The PromQL queries of the shipped alerts and dashboard, and what of them a {@code /q/metrics} text lacks. */
final class MonitoringQueries {

    /** Labels Prometheus adds to every target scraped through the ServiceMonitor (prometheus-operator). */
    private static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "service", "endpoint", "container",
            "job", "instance");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    private MonitoringQueries() {
    }

    /** Each alert's expression, keyed {@code alert <name>}. */
    static Map<String, String> alerts() {
        Map<String, String> queries = new LinkedHashMap<>();
        JsonNode rule = Manifests.only(Kustomize.render(Manifests.BASE), "PrometheusRule");
        for (JsonNode r : rule.at("/spec/groups/0/rules")) {
            queries.put("alert " + r.path("alert").asText(), r.path("expr").asText());
        }
        return queries;
    }

    /** Each panel target's and query variable's expression, keyed by panel title and refId or variable name. */
    static Map<String, String> dashboard() {
        JsonNode dashboard;
        try {
            dashboard = new ObjectMapper().readTree(Manifests.DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return queries;
    }

    /** The queries among {@code queries} whose metrics all satisfy {@code metric}. */
    static Map<String, String> only(Map<String, String> queries, Predicate<String> metric) {
        Map<String, String> kept = new LinkedHashMap<>();
        queries.forEach((where, query) -> {
            if (PromQlNames.of(query).metrics().stream().allMatch(metric)) {
                kept.put(where, query);
            }
        });
        return kept;
    }

    /** Every metric or label of {@code queries} that {@code scraped} (a {@code /q/metrics} text) does not have. */
    static List<String> missing(Map<String, String> queries, String scraped) {
        Set<String> exported = new TreeSet<>();
        Set<String> labels = new TreeSet<>(TARGET_LABELS);
        for (String line : scraped.split("\n")) {
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
        return missing;
    }
}
