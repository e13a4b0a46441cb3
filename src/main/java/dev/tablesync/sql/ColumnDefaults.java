package dev.tablesync.sql;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
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
 * MySQL shows the bare value ({@code it's}) and marks expressions with {@code DEFAULT_GENERATED}, whose text
 * {@link MySqlExpressionDefault} turns into SQL.
 *
 * <p>Neither keeps a binary literal's bytes there: MySQL 8.0.31 shows {@code 0x00FF} as {@code 0x}
 * (hex cut at the first 0x00), MariaDB turns bytes that are not UTF-8 into {@code ?}. Those come from
 * {@code SHOW CREATE TABLE} read as raw bytes, and become a hex literal.
 */
final class ColumnDefaults {

    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern BIT_OR_HEX = Pattern.compile("b'[01]*'|0x[0-9a-fA-F]*|x'[0-9a-fA-F]*'");
    private static final Pattern NOW = Pattern.compile("(?i)current_timestamp(?:\\(\\)|\\((\\d)\\))?");
    private static final Set<String> BINARY_STRINGS = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob");

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

    /** Whether the default is a literal of a binary string type, which only {@code SHOW CREATE TABLE} keeps whole. */
    static boolean isBinaryLiteral(ServerVersion source, Column column) {
        if (!BINARY_STRINGS.contains(column.dataType()) || column.defaultValue().isEmpty()) {
            return false;
        }
        return source.isMariaDb() ? column.defaultValue().get().startsWith("'")
                : !column.extra().contains("default_generated");
    }

    /**
     * The column's literal default as a hex literal, from the bytes of {@code SHOW CREATE TABLE} read
     * with {@code character_set_results} NULL: {@code `c` varbinary(4) DEFAULT '\0<FF>'} on both servers.
     */
    static String binaryLiteral(Column column, byte[] createTable) {
        byte[] line = ("\n  " + Dialect.quote(column.name()) + " ").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(createTable, line, 0);
        int start = at < 0 ? -1 : indexOf(createTable, " DEFAULT '".getBytes(StandardCharsets.US_ASCII), at);
        int lineEnd = at < 0 ? -1 : indexOf(createTable, new byte[] {'\n'}, at + 1);
        if (start < 0 || lineEnd >= 0 && lineEnd < start) {
            throw new IllegalArgumentException("SHOW CREATE TABLE shows no literal default for column "
                    + Dialect.quote(column.name()));
        }
        return "x'" + HexFormat.of().withUpperCase().formatHex(unquote(createTable, start + " DEFAULT '".length()))
                + "'";
    }

    /** The bytes of the quoted literal that starts at {@code from}, undoing the escapes the server wrote. */
    private static byte[] unquote(byte[] text, int from) {
        var bytes = new java.io.ByteArrayOutputStream();
        for (int i = from; i < text.length; i++) {
            byte b = text[i];
            if (b == '\\' && i + 1 < text.length) {
                bytes.write(unescaped(text[++i]));
            } else if (b == '\'' && i + 1 < text.length && text[i + 1] == '\'') {
                bytes.write('\'');
                i++;
            } else if (b == '\'') {
                return bytes.toByteArray();
            } else {
                bytes.write(b);
            }
        }
        throw new IllegalArgumentException("unterminated default in SHOW CREATE TABLE");
    }

    private static int unescaped(byte escaped) {
        return switch (escaped) {
            case '0' -> 0;
            case 'b' -> '\b';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'Z' -> 26;
            default -> escaped;
        };
    }

    private static int indexOf(byte[] text, byte[] part, int from) {
        for (int i = Math.max(from, 0); i <= text.length - part.length; i++) {
            int j = 0;
            while (j < part.length && text[i + j] == part[j]) {
                j++;
            }
            if (j == part.length) {
                return i;
            }
        }
        return -1;
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
            return expression(MySqlExpressionDefault.sql(value));
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
