package dev.tablesync.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the column that marks rows deleted: an explicit {@code soft-delete-column} always wins
 * and must exist with a usable type; otherwise {@code deleted_at}, {@code is_deleted}, then
 * {@code deleted}, skipping (with a warning) a candidate whose type cannot say "deleted".
 */
public final class SoftDeleteColumnDetector {

    static final List<String> PREFERRED = List.of("deleted_at", "is_deleted", "deleted");
    private static final String TYPES = "DATETIME, TIMESTAMP or DATE (deleted when not NULL), or an integer or BIT"
            + " (deleted when not 0)";

    private SoftDeleteColumnDetector() {
    }

    /**
     * @param key the configuration key of the explicit column, named in errors
     * @throws IllegalArgumentException when the explicit column does not exist or has an unusable type
     */
    public static SoftDeleteChoice choose(Optional<String> explicit, TableSchema table, String key) {
        if (explicit.isPresent()) {
            String name = explicit.get();
            Column c = table.column(name).orElseThrow(() -> new IllegalArgumentException(key + ": column '" + name
                    + "' does not exist in " + table.id() + "; its columns are "
                    + table.columns().stream().map(Column::name).toList() + ". Fix or remove the key"));
            if (!SoftDeleteChoice.usable(c)) {
                throw new IllegalArgumentException(key + ": column '" + name + "' of " + table.id() + " is "
                        + c.columnType() + ", which cannot mark a row deleted; use a column of type " + TYPES);
            }
            return new SoftDeleteChoice(Optional.of(c), key + " is configured", List.of());
        }
        List<String> warnings = new ArrayList<>();
        for (String name : PREFERRED) {
            Optional<Column> c = table.column(name);
            if (c.isPresent() && SoftDeleteChoice.usable(c.get())) {
                return new SoftDeleteChoice(c, "detected soft-delete column " + c.get().name(), warnings);
            }
            c.ifPresent(col -> warnings.add("column " + col.name() + " of " + table.id() + " is " + col.columnType()
                    + " and cannot mark rows deleted (needs " + TYPES + "); set " + key + " to choose another"));
        }
        return SoftDeleteChoice.none("no column named " + PREFERRED + " with a usable type", warnings);
    }
}
