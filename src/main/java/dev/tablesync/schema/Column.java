package dev.tablesync.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A column as information_schema describes it.
 *
 * @param dataType   bare type, lower case ({@code datetime})
 * @param columnType full type ({@code datetime(6)}, {@code bigint(20) unsigned}, {@code enum('a','b')})
 * @param precision  fractional-second digits of temporal columns, 0 otherwise
 * @param extra      e.g. {@code auto_increment}, {@code on update current_timestamp(6)}
 * @param defaultValue COLUMN_DEFAULT exactly as information_schema shows it: an SQL expression on
 *                     MariaDB ({@code 'a''b'}, {@code NULL}), the bare value on MySQL; the source's
 *                     dialect turns it into SQL ({@code Dialect#defaultSql})
 */
public record Column(String name, String dataType, String columnType, boolean nullable, Optional<String> charset,
        Optional<String> collation, int precision, String extra, Optional<String> defaultValue) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        dataType = dataType.toLowerCase(Locale.ROOT);
        extra = extra == null ? "" : extra.toLowerCase(Locale.ROOT);
    }

    /** A column without a default. */
    public Column(String name, String dataType, String columnType, boolean nullable, Optional<String> charset,
            Optional<String> collation, int precision, String extra) {
        this(name, dataType, columnType, nullable, charset, collation, precision, extra, Optional.empty());
    }

    public ValueKind kind() {
        return ValueKind.of(dataType);
    }

    public boolean isTemporal() {
        return kind() == ValueKind.TEMPORAL;
    }

    /** DATETIME or TIMESTAMP: the types a tracking timestamp can have. */
    public boolean isDateTime() {
        return dataType.equals("datetime") || dataType.equals("timestamp");
    }

    public boolean isTimestampType() {
        return dataType.equals("timestamp");
    }

    /** FLOAT's text form is rounded to 6 digits by the server, so it is read as DOUBLE. */
    public boolean isFloat() {
        return dataType.equals("float");
    }

    public boolean isAutoIncrement() {
        return extra.contains("auto_increment");
    }

    /** VIRTUAL/STORED/PERSISTENT GENERATED; MySQL's DEFAULT_GENERATED is an ordinary column. */
    public boolean isGenerated() {
        return extra.contains("virtual generated") || extra.contains("stored generated")
                || extra.contains("persistent generated");
    }

    public boolean updatesOnWrite() {
        return extra.contains("on update current_timestamp");
    }

    /** ENUM or SET: the server orders and compares such a column by member number, not by its text. */
    public boolean isEnumOrSet() {
        return dataType.equals("enum") || dataType.equals("set");
    }

    /**
     * The members of an ENUM or SET in declared order, read from {@code columnType}, where
     * information_schema doubles quotes and backslashes ({@code enum('it''s','a\\b')}); empty otherwise.
     */
    public List<String> members() {
        if (!isEnumOrSet()) {
            return List.of();
        }
        List<String> members = new ArrayList<>();
        StringBuilder member = null;
        String t = columnType;
        for (int i = t.indexOf('(') + 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (member == null) {
                if (c == '\'') {
                    member = new StringBuilder();
                }
            } else if ((c == '\'' || c == '\\') && i + 1 < t.length() && t.charAt(i + 1) == c) {
                member.append(c);
                i++;
            } else if (c == '\'') {
                members.add(member.toString());
                member = null;
            } else {
                member.append(c);
            }
        }
        return members;
    }

    public boolean isInteger() {
        return dataType.endsWith("int") || dataType.equals("integer");
    }
}
