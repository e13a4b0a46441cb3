package dev.tablesync.console;

import java.util.List;
import java.util.Map;

import io.quarkus.qute.TemplateData;

/**
 * A mapping's parked conflicts as {@code GET /api/mappings/{id}/conflicts} answers them (conflict=park):
 * the columns in table order, and for each parked row its key, when and at which checkpoint it was
 * parked, and the source and target images, one cell per column.
 *
 * @param parked how many rows are parked (may exceed the conflicts listed)
 * @param max    the mapping's park bound
 */
@TemplateData
public record ParkedConflicts(String mapping, long parked, long max, List<String> columns,
        List<Conflict> conflicts) {

    /**
     * @param target the target row's image, or null when the target row is gone
     */
    @TemplateData
    public record Conflict(long id, Map<String, String> key, String parkedAt, String checkpoint, List<Cell> source,
            List<Cell> target) {
    }

    /** One value: text, or binary as hex; a null cell (not this record) is SQL NULL. */
    @TemplateData
    public record Cell(String text, String hex) {
    }
}
