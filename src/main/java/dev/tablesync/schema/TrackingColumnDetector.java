package dev.tablesync.schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;


/**
 * Chooses the column that finds changed rows: an explicit one always wins; otherwise a
 * timestamp by its well-known name, then any DATETIME/TIMESTAMP named like {@code *update*},
 * then a single auto-increment key, else the whole table. Explains the choice and its weaknesses.
 */
public final class TrackingColumnDetector {

    static final List<String> PREFERRED = List.of("updated_at", "modified_at", "last_modified", "update_time",
            "modify_time");

    private TrackingColumnDetector() {
    }

    /** @throws IllegalArgumentException when the configuration cannot work on this table; says what to change */
    public static TrackingChoice choose(Mode mode, Optional<String> explicit, TableSchema table, Duration commitDelay) {
        if (mode == Mode.FULL) {
            return new TrackingChoice(Mode.FULL, Optional.empty(), "mode full is configured", List.of());
        }
        if (mode == Mode.BINLOG) {
            return new TrackingChoice(Mode.BINLOG, Optional.empty(), "mode binlog is configured: changes come from"
                    + " the source's binary log", List.of());
        }
        if (explicit.isPresent()) {
            return explicitColumn(mode, explicit.get(), table, commitDelay);
        }
        if (mode != Mode.ID) {
            Optional<Column> ts = timestampColumn(table);
            if (ts.isPresent()) {
                return timestamp(ts.get(), "detected timestamp column " + ts.get().name(), table, commitDelay);
            }
            if (mode == Mode.TIMESTAMP) {
                throw new IllegalArgumentException("mode timestamp but table " + table.id() + " has no column named "
                        + PREFERRED + " or like *update* of type DATETIME/TIMESTAMP; set tracking-column");
            }
        }
        Optional<Column> id = idColumn(table);
        if (id.isPresent()) {
            return id(id.get(), "no timestamp column; using the auto-increment key " + id.get().name(), table);
        }
        if (mode == Mode.ID) {
            throw new IllegalArgumentException("mode id needs a single-column AUTO_INCREMENT integer key, but the key"
                    + " of " + table.id() + " is " + table.key() + "; set tracking-column to an integer key, or mode"
                    + " timestamp or full");
        }
        return new TrackingChoice(Mode.FULL, Optional.empty(), "no timestamp column and no auto-increment key",
                List.of("table " + table.id() + " is re-copied in full on every run; add `updated_at` TIMESTAMP(6)"
                        + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6) with an index to sync"
                        + " only changes"));
    }

    private static TrackingChoice explicitColumn(Mode mode, String name, TableSchema table, Duration delay) {
        Column c = table.column(name).orElseThrow(() -> new IllegalArgumentException("tracking-column '" + name
                + "' does not exist in " + table.id() + "; its columns are "
                + table.columns().stream().map(Column::name).toList()));
        if ((mode == Mode.TIMESTAMP || mode == Mode.AUTO) && c.isDateTime()) {
            return timestamp(c, "tracking-column " + c.name() + " is configured", table, delay);
        }
        if ((mode == Mode.ID || mode == Mode.AUTO) && c.isInteger() && table.key().equals(List.of(c.name()))) {
            return id(c, "tracking-column " + c.name() + " is configured", table);
        }
        throw new IllegalArgumentException("tracking-column '" + name + "' of " + table.id() + " is "
                + c.columnType() + "; mode timestamp needs DATETIME or TIMESTAMP, mode id needs the table's"
                + " single integer key");
    }

    static Optional<Column> timestampColumn(TableSchema table) {
        List<Column> candidates = table.columns().stream().filter(Column::isDateTime).toList();
        for (String name : PREFERRED) {
            Optional<Column> c = candidates.stream().filter(col -> col.name().equalsIgnoreCase(name)).findFirst();
            if (c.isPresent()) {
                return c;
            }
        }
        return candidates.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).contains("update"))
                .min(Comparator.comparing(c -> !c.updatesOnWrite()));
    }

    private static Optional<Column> idColumn(TableSchema table) {
        if (table.key().size() != 1) {
            return Optional.empty();
        }
        return table.column(table.key().get(0)).filter(c -> c.isInteger() && c.isAutoIncrement());
    }

    private static TrackingChoice timestamp(Column c, String reason, TableSchema table, Duration delay) {
        List<String> warnings = new ArrayList<>();
        if (!table.hasIndexStartingWith(c.name())) {
            warnings.add("no index starts with " + c.name() + ": every incremental run scans " + table.id()
                    + "; add INDEX (" + c.name() + ")");
        }
        if (!c.updatesOnWrite()) {
            warnings.add(c.name() + " has no ON UPDATE CURRENT_TIMESTAMP: writers must set it on every change,"
                    + " or changes are missed");
        }
        if (c.nullable()) {
            warnings.add(c.name() + " is nullable: rows where it is NULL are copied by the snapshot only");
        }
        if (c.precision() < 6 && delay.compareTo(Duration.ofSeconds(1)) < 0) {
            warnings.add(c.name() + " has " + c.precision() + " fractional digits but commit-delay is " + delay
                    + ": rows stamped within the same second may be rounded past the window; use commit-delay"
                    + " of at least 1s or " + c.dataType().toUpperCase(Locale.ROOT) + "(6)");
        }
        return new TrackingChoice(Mode.TIMESTAMP, Optional.of(c), reason, warnings);
    }

    private static TrackingChoice id(Column c, String reason, TableSchema table) {
        return new TrackingChoice(Mode.ID, Optional.of(c), reason, List.of("mode id copies new rows of "
                + table.id() + " only: updates to existing rows are not seen; use a timestamp column if rows change"));
    }
}
