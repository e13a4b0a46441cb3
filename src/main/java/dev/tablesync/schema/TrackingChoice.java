package dev.tablesync.schema;

import java.util.List;
import java.util.Optional;


/**
 * How a mapping finds changed rows, why, and what is weak about it. Logged at start of each
 * mapping's first run and shown by the API.
 *
 * @param mode    {@link Mode#TIMESTAMP}, {@link Mode#ID} or {@link Mode#FULL}, never AUTO
 * @param column  the tracking column (absent for FULL)
 */
public record TrackingChoice(Mode mode, Optional<Column> column, String reason, List<String> warnings) {

    public TrackingChoice {
        if (mode == Mode.AUTO) {
            throw new IllegalArgumentException("a choice is never auto");
        }
        warnings = List.copyOf(warnings);
    }

    public String columnName() {
        return column.map(Column::name).orElseThrow(() -> new IllegalStateException("mode " + mode + " has no column"));
    }

    /** e.g. {@code timestamp(updated_at)} or {@code full}. */
    public String describe() {
        return column.map(c -> mode.label() + "(" + c.name() + ")").orElse(mode.label());
    }
}
