package dev.tablesync.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.tablesync.api.ChangedTargetProblem;
import dev.tablesync.api.ConflictListView;
import dev.tablesync.api.Problem;
import io.quarkus.qute.TemplateData;

/**
 * A mapping's conflicts page.
 *
 * @param parked    rows parked in all (the page may list fewer)
 * @param max       the park bound, 0 when unknown
 * @param notice    what the last action did, or null
 * @param problem   why the last action was refused, or null
 * @param targetNow when a resolution was refused because the target row changed (409): that row as it
 *                  is now, column by column (a single "gone" cell when it was deleted); else empty
 */
@TemplateData
public record ConflictsPage(String mapping, long parked, long max, List<ConflictDiff> conflicts, String notice,
        Problem problem, List<Cell> targetNow) {

    /** One column of the target row as it is now. */
    @TemplateData
    public record Cell(String column, ConflictDiff.Shown value) {
    }

    /** The resolve actions, in the order of the page's buttons; the first is the main one. */
    public List<String> actions() {
        return ConsoleConflicts.ACTIONS;
    }

    /**
     * @param refused ids the last resolve-all left parked
     * @param changed the 409 of a refused resolution, or null
     */
    static ConflictsPage of(ConflictListView parked, Set<Long> refused, String notice, Problem problem,
            ChangedTargetProblem changed) {
        return new ConflictsPage(parked.mapping(), parked.parked(), parked.max(), parked.conflicts().stream()
                .map(c -> ConflictDiff.of(parked.columns(), c, refused.contains(c.id()))).toList(), notice, problem,
                targetNow(changed));
    }

    private static List<Cell> targetNow(ChangedTargetProblem changed) {
        if (changed == null) {
            return List.of();
        }
        if (changed.target() == null) {
            return List.of(new Cell("", new ConflictDiff.Shown("gone", "(no row: deleted on the target)")));
        }
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < changed.columns().size(); i++) {
            cells.add(new Cell(changed.columns().get(i), ConflictDiff.Shown.of(changed.target().get(i))));
        }
        return cells;
    }
}
