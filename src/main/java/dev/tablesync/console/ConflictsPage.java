package dev.tablesync.console;

import java.util.List;

import dev.tablesync.api.Problem;
import io.quarkus.qute.TemplateData;

/**
 * A mapping's conflicts page.
 *
 * @param parked  rows parked in all (the page may list fewer)
 * @param max     the park bound, 0 when unknown
 * @param notice  what the last action did, or null
 * @param problem why the last action was refused, or null
 */
@TemplateData
public record ConflictsPage(String mapping, long parked, long max, List<ConflictDiff> conflicts, String notice,
        Problem problem) {

    /** The resolve actions, in the order of the page's buttons; the first is the main one. */
    public List<String> actions() {
        return ConsoleConflicts.ACTIONS;
    }

    static ConflictsPage of(String mapping, ParkedConflicts parked, String notice, Problem problem) {
        if (parked == null) {
            return new ConflictsPage(mapping, 0, 0, List.of(), notice, problem);
        }
        return new ConflictsPage(mapping, parked.parked(), parked.max(),
                parked.conflicts().stream().map(c -> ConflictDiff.of(parked.columns(), c)).toList(), notice, problem);
    }
}
