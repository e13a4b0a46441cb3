package dev.tablesync.binlog;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

import dev.tablesync.schema.TableId;

/**
 * One row changed by a source transaction, as the binlog carries it: full row images in column order, values as
 * the library decoded them (see {@link RowImages} for the values tablesync writes).
 *
 * @param table       schema-qualified source table
 * @param kind        what happened to the row
 * @param before      the row before an update or delete; null for an insert
 * @param after       the row after an insert or update; null for a delete
 * @param columnNames the columns' names where the server logs them ({@code binlog_row_metadata=FULL}), to check
 *                    that the images match the definition they are decoded with
 */
public record RowChange(TableId table, Kind kind, Serializable[] before, Serializable[] after,
        Optional<List<String>> columnNames) {

    public enum Kind { INSERT, UPDATE, DELETE }

    public RowChange {
        if ((before == null) != (kind == Kind.INSERT) || (after == null) != (kind == Kind.DELETE)) {
            throw new IllegalArgumentException(kind + " of " + table + " with before " + (before != null)
                    + " and after " + (after != null));
        }
    }
}
