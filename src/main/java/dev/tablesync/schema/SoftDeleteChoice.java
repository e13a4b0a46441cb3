package dev.tablesync.schema;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The column that marks rows deleted on the source, and why it was chosen. A temporal column
 * marks a row deleted when it is not NULL ({@code deleted_at}); an integer or BIT column when it
 * is not 0 ({@code is_deleted}).
 *
 * @param column empty when the table has no such column
 */
public record SoftDeleteChoice(Optional<Column> column, String reason, List<String> warnings) {

    public SoftDeleteChoice {
        warnings = List.copyOf(warnings);
    }

    public static SoftDeleteChoice none(String reason, List<String> warnings) {
        return new SoftDeleteChoice(Optional.empty(), reason, warnings);
    }

    /** Whether a column of this type can say "deleted". */
    static boolean usable(Column c) {
        return c.isTemporal() && !c.dataType().equals("time") || c.isInteger() || c.dataType().equals("bit");
    }

    /** @param value the column's value as the source server sent it (text, or raw bytes for BIT) */
    public boolean marksDeleted(byte[] value) {
        Column c = column.orElseThrow(() -> new IllegalStateException("no soft-delete column"));
        if (value == null) {
            return false;
        }
        if (c.isTemporal()) {
            return true;
        }
        if (c.isInteger()) {
            return new BigInteger(new String(value, StandardCharsets.US_ASCII).trim()).signum() != 0;
        }
        for (byte b : value) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    /** e.g. {@code deleted_at (deleted when not NULL)}, or {@code none}. */
    public String describe() {
        return column.map(c -> c.name() + (c.isTemporal() ? " (deleted when not NULL)" : " (deleted when not 0)"))
                .orElse("none");
    }
}
