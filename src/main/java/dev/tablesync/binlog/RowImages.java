package dev.tablesync.binlog;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;

import dev.tablesync.schema.Column;

/**
 * Turns a binlog row image into exactly the bytes tablesync's JDBC reads produce for the same row
 * ({@code ResultSet#getBytes} of {@code Dialect#selectList}, session time zone UTC, results in UTF-8): the server's
 * text for numbers, temporals, character data, ENUM, SET and JSON, raw bytes for binary types. The write path then
 * treats rows from the log and rows from a query alike.
 *
 * <p>The columns are the table's definition from information_schema (as the JDBC path reads it) when the apply
 * session started; a session ends at a DDL of its table, so it never sees images newer than its definition, but
 * one that started before a DDL (it was stopped meanwhile) sees older ones. With {@code binlog_row_metadata=FULL}
 * the image's column names are matched against the definition, so an image written under another definition is
 * refused instead of decoded into the wrong columns; without it only the column count is known, and an image with
 * fewer columns is taken as the definition's first columns.
 */
public final class RowImages {

    private static final Pattern LENGTH = Pattern.compile("\\((\\d+)\\)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    /** Marks a defaulted SQL NULL; {@link #values} writes null for it. */
    private static final byte[] NULL = new byte[0];

    private final List<Column> columns;
    private final boolean mariadb;

    public RowImages(List<Column> columns, boolean mariadb) {
        this.columns = List.copyOf(columns);
        this.mariadb = mariadb;
    }

    /**
     * The row's values in the definition's column order, null for SQL NULL. An image written before columns were
     * added (fewer columns: with {@code binlog_row_metadata=FULL} matched by name, else the definition's first
     * columns by position, as {@code ADD COLUMN} without FIRST/AFTER puts them) gets each added column's literal
     * default, which is what {@code ADD COLUMN} gave the rows that existed then.
     *
     * @throws IllegalStateException when the image's columns are not the definition's, or an older image lacks a
     *                               column whose default is not a literal (a DDL between them)
     */
    public byte[][] values(RowChange change, Serializable[] image) {
        int[] at = positions(change, image.length);
        byte[][] out = new byte[columns.size()][];
        for (int i = 0; i < out.length; i++) {
            Column c = columns.get(i);
            if (at[i] < 0) {
                byte[] d = literalDefault(c).orElseThrow(() -> mismatch(change, image.length,
                        " (added column `" + c.name() + "` has no literal default)"));
                out[i] = d == NULL ? null : d;
            } else {
                out[i] = image[at[i]] == null ? null : value(c, image[at[i]]);
            }
        }
        return out;
    }

    /** For each definition column, its index in the image, -1 for a column the image predates. */
    private int[] positions(RowChange change, int length) {
        int[] at = new int[columns.size()];
        List<String> names = change.columnNames().map(n -> n.stream().map(RowImages::lower).toList())
                .orElse(null);
        int found = 0;
        for (int i = 0; i < at.length; i++) {
            at[i] = names == null ? (i < length ? i : -1) : names.indexOf(lower(columns.get(i).name()));
            found += at[i] >= 0 ? 1 : 0;
        }
        if (found != length || (names != null && names.size() != length)) {
            throw mismatch(change, length, "");
        }
        return at;
    }

    private IllegalStateException mismatch(RowChange change, int length, String why) {
        return new IllegalStateException("A binlog row of " + change.table() + " has columns "
                + change.columnNames().map(Object::toString).orElse(length + " columns") + ", the definition"
                + " being applied has " + columns.stream().map(Column::name).toList() + why
                + ": the table changed between them");
    }

    /**
     * A column's default as JDBC reads a value equal to it, when it is a literal (information_schema shows it as
     * SQL on MariaDB, bare on MySQL, which marks expressions DEFAULT_GENERATED); NULL where it has none.
     */
    private Optional<byte[]> literalDefault(Column c) {
        Optional<String> raw = c.defaultValue();
        if (raw.isEmpty() || mariadb && raw.get().equalsIgnoreCase("NULL")) {
            return c.nullable() ? Optional.of(NULL) : Optional.empty();
        }
        String v = raw.get();
        if (!mariadb) {
            return c.extra().contains("default_generated") ? Optional.empty() : Optional.of(utf8(v));
        }
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return Optional.of(utf8(v.substring(1, v.length() - 1).replace("''", "'").replace("\\\\", "\\")));
        }
        return NUMBER.matcher(v).matches() ? Optional.of(ascii(v)) : Optional.empty();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private byte[] value(Column c, Serializable v) {
        switch (c.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
                return ascii(zerofill(c, integer(c, (Number) v)));
            case "decimal", "numeric":
                return ascii(zerofill(c, ((BigDecimal) v).toPlainString()));
            case "float":
                return ascii(DoubleText.of(((Float) v).doubleValue()));
            case "double", "real":
                return ascii(DoubleText.of((Double) v));
            case "bit":
                return bits((BitSet) v, length(c));
            case "binary":
                return java.util.Arrays.copyOf((byte[]) v, length(c)); // the log drops trailing zero bytes
            case "enum":
                int index = ((Number) v).intValue();
                return utf8(index == 0 ? "" : c.members().get(index - 1));
            case "set":
                return utf8(setText(c.members(), ((Number) v).longValue()));
            case "json":
                return mariadb ? (byte[]) v : json((byte[]) v);
            default:
                if (v instanceof String text) {
                    return utf8(text); // temporals, see TemporalCells
                }
                byte[] bytes = (byte[]) v;
                return c.charset().isPresent() ? utf8(Charsets.decode(bytes, c.charset().get())) : bytes;
        }
    }

    private static String integer(Column c, Number n) {
        if (!c.columnType().contains("unsigned")) {
            return n.toString();
        }
        return switch (c.dataType()) {
            case "tinyint" -> String.valueOf(n.longValue() & 0xFFL);
            case "smallint" -> String.valueOf(n.longValue() & 0xFFFFL);
            case "mediumint" -> String.valueOf(n.longValue() & 0xFF_FFFFL);
            case "int", "integer" -> String.valueOf(n.longValue() & 0xFFFF_FFFFL);
            default -> Long.toUnsignedString(n.longValue());
        };
    }

    private static String zerofill(Column c, String text) {
        if (!c.columnType().contains("zerofill")) {
            return text;
        }
        Matcher m = Pattern.compile("\\((\\d+)").matcher(c.columnType());
        int width = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return "0".repeat(Math.max(0, width - text.length())) + text;
    }

    /** BIT(M) arrives as a BitSet (bit 0 the lowest); JDBC reads (M + 7) / 8 big-endian bytes. */
    private static byte[] bits(BitSet set, int m) {
        byte[] out = new byte[(m + 7) / 8];
        for (int bit = set.nextSetBit(0); bit >= 0; bit = set.nextSetBit(bit + 1)) {
            out[out.length - 1 - bit / 8] |= (byte) (1 << (bit % 8));
        }
        return out;
    }

    private static String setText(List<String> members, long mask) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < members.size(); i++) {
            if ((mask & (1L << i)) != 0) {
                b.append(b.length() == 0 ? "" : ",").append(members.get(i));
            }
        }
        return b.toString();
    }

    /** MySQL logs JSON in its binary form; MariaDB's JSON is LONGTEXT and arrives as text. */
    private static byte[] json(byte[] binary) {
        try {
            MysqlJsonText text = new MysqlJsonText();
            JsonBinary.parse(binary, text);
            return utf8(text.toString());
        } catch (IOException e) {
            throw new IllegalStateException("unreadable binary JSON in a binlog row: " + e.getMessage(), e);
        }
    }

    private static int length(Column c) {
        Matcher m = LENGTH.matcher(c.columnType());
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
