package dev.tablesync.sql;

import java.util.Optional;
import java.util.regex.Pattern;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.ValueKind;

/**
 * Turns a column's default, as the source's information_schema shows it, into SQL that both
 * MySQL 8 and MariaDB accept after {@code DEFAULT}. DDL cannot bind values, so literals are
 * quoted here (quotes doubled, backslashes escaped: sessions run without NO_BACKSLASH_ESCAPES).
 *
 * <p>MariaDB (10.2.7+) shows defaults as SQL: {@code 'it''s'}, {@code 5}, {@code b'101'},
 * {@code current_timestamp(6)}, {@code uuid()}, {@code NULL} for DEFAULT NULL and SQL NULL for none.
 * MySQL shows the bare value ({@code it's}) and marks expressions with {@code DEFAULT_GENERATED}.
 */
final class ColumnDefaults {

    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern BIT_OR_HEX = Pattern.compile("b'[01]*'|0x[0-9a-fA-F]*|x'[0-9a-fA-F]*'");
    private static final Pattern NOW = Pattern.compile("(?i)current_timestamp(?:\\(\\)|\\((\\d)\\))?");

    private ColumnDefaults() {
    }

    static Optional<String> toSql(ServerVersion source, Column column) {
        Optional<String> raw = column.defaultValue();
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String value = raw.get();
        return Optional.ofNullable(source.isMariaDb() ? fromMariaDb(value) : fromMySql(value, column));
    }

    private static String fromMariaDb(String value) {
        if (value.equals("NULL")) {
            return null;
        }
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'") || NUMBER.matcher(value).matches()
                || BIT_OR_HEX.matcher(value).matches()) {
            return value;
        }
        return expression(value);
    }

    private static String fromMySql(String value, Column column) {
        if (column.extra().contains("default_generated")) {
            return expression(value);
        }
        if (column.kind() == ValueKind.BYTES && BIT_OR_HEX.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** CURRENT_TIMESTAMP needs no parentheses; any other expression does on MySQL (extra ones are harmless). */
    private static String expression(String value) {
        var now = NOW.matcher(value);
        if (now.matches()) {
            return now.group(1) == null ? "CURRENT_TIMESTAMP" : "CURRENT_TIMESTAMP(" + now.group(1) + ")";
        }
        return "(" + value + ")";
    }
}
