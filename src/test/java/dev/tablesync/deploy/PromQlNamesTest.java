package dev.tablesync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** {@link PromQlNames} finds metric and label names, and nothing else, in the PromQL the k8s files use. */
class PromQlNamesTest {

    @Test
    void shouldFindMetricsAndLabelsButNotFunctionsKeywordsOrVariables() {
        PromQlNames names = PromQlNames.of("histogram_quantile(0.95, sum by (mapping, le) (rate("
                + "tablesync_run_duration_seconds_bucket{namespace=\"$namespace\", mapping=~\"$mapping\"}[$__rate_interval])))"
                + " / on (mapping) time() - max(x_total offset 5m) unless y > bool 3");

        assertEquals(Set.of("tablesync_run_duration_seconds_bucket", "x_total", "y"), names.metrics());
        assertEquals(Set.of("mapping", "le", "namespace"), names.labels());
    }

    @Test
    void shouldReadGrafanaLabelValuesQueries() {
        PromQlNames names = PromQlNames.of("label_values(tablesync_checkpoint_lag_seconds{namespace=\"$namespace\"}, mapping)");

        assertEquals(Set.of("tablesync_checkpoint_lag_seconds"), names.metrics());
        assertEquals(Set.of("namespace", "mapping"), names.labels());
    }
}
