package dev.tablesync.console;

import dev.tablesync.api.MappingView;
import io.quarkus.qute.TemplateData;

/** One line of the mappings list: the API's view of the mapping, its lag sparkline and parked conflicts. */
@TemplateData
public record MappingRow(MappingView m, Sparkline lag, long parked) {

    /** One word for the state column: paused, running, failing, lagging, ok, or new (no run yet). */
    public String state() {
        if (m.paused()) {
            return "paused";
        }
        if (m.running()) {
            return "running";
        }
        if (m.consecutiveFailures() > 0) {
            return "failing";
        }
        if (m.lagging()) {
            return "lagging";
        }
        return m.lastRun() == null ? "new" : "ok";
    }
}
