package dev.tablesync.console;

import java.util.List;

import dev.tablesync.api.Problem;
import dev.tablesync.api.RunView;
import io.quarkus.qute.TemplateData;

/**
 * Everything a mapping's page shows.
 *
 * @param runs     the newest runs, newest first
 * @param verifies the newest verify runs among the recent history, with their reports
 * @param notice   what the last action did, or null
 * @param problem  why the last action was refused, or null
 */
@TemplateData
public record MappingPage(MappingRow row, List<RunView> runs, List<RunView> verifies, String notice,
        Problem problem) {
}
