package dev.tablesync.binlog;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
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
 * <p>The columns are the table's definition from information_schema (as the JDBC path reads it); with
 * {@code binlog_row_metadata=FULL} the image's column names are checked against it, so an image written under
 * another definition is refused instead of decoded into the wrong columns. Without full metadata only the column
 * count is checked, and following DDL in the stream must keep the definition current.
 */
public final class RowImages {

    private static final Pattern LENGTH = Pattern.compile("\\((\\d+)\\)");

    private final List<Column> columns;
    private final boolean mariadb;

    public RowImages(List<Column> columns, boolean mariadb) {
        this.columns = List.copyOf(columns);
        this.mariadb = mariadb;
    }

    /**
     * @throws IllegalStateException when the image's columns are not the definition's (a DDL between them)
     */
    public void requireSameColumns(RowChange change) {
        Serializable[] image = change.after() != null ? change.after() : change.before();
        List<String> names = columns.stream().map(Column::name).toList();
        boolean same = image.length == columns.size() && change.columnNames()
                .map(n -> n.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()
                        .equals(names.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()))
                .orElse(true);
        if (!same) {
            throw new IllegalStateException("A binlog row of " + change.table() + " has columns "
                    + change.columnNames().map(Object::toString).orElse(image.length + " columns") + ", the definition"
                    + " being applied has " + names + ": the table changed between them");
        }
    }

    /** The row's values in column order, null for SQL NULL. */
    public byte[][] values(Serializable[] image) {
        byte[][] out = new byte[columns.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = image[i] == null ? null : value(columns.get(i), image[i]);
        }
        return out;
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
