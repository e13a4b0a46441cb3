package dev.tablesync.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Rows in the text format that {@code LOAD DATA} reads by default: fields separated by tab, rows
 * ended by newline, {@code \N} for NULL, and backslash escapes for the bytes that would otherwise
 * end a field or a row. Text passes through as the source server's UTF-8 bytes; only those few
 * bytes change, and the server undoes that. Binary fields are written as hex digits. A buffer is
 * meant to be reused from batch to batch.
 */
public final class TabText {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private final boolean[] hex;
    private byte[] buffer;
    private int length;
    private int rows;

    /** @param hex per field: written as hex digits (binary columns, see {@link Dialect#loadData}) */
    public TabText(boolean[] hex) {
        this(hex, 1 << 16);
    }

    /** @param capacity bytes to allocate now, so that a buffer meant for that much never grows */
    public TabText(boolean[] hex, int capacity) {
        this.hex = hex.clone();
        this.buffer = new byte[Math.max(capacity, 16)];
    }

    /** The field layout {@link Dialect#loadData} expects for these columns. */
    public static TabText forColumns(List<dev.tablesync.schema.Column> columns, int capacity) {
        boolean[] hex = new boolean[columns.size()];
        for (int i = 0; i < hex.length; i++) {
            hex[i] = columns.get(i).kind() == dev.tablesync.schema.ValueKind.BYTES;
        }
        return new TabText(hex, capacity);
    }

    /** The most bytes {@link #append} can write for this row: every byte escaped or hex, plus separators. */
    public static long maxLength(byte[][] row) {
        long bytes = row.length;
        for (byte[] value : row) {
            bytes += value == null ? 2 : value.length * 2L;
        }
        return bytes;
    }

    public void reset() {
        length = 0;
        rows = 0;
    }

    /** Bytes this buffer holds without growing. */
    public int capacity() {
        return buffer.length;
    }

    /** Rows appended since the last reset. */
    public int rows() {
        return rows;
    }

    public void append(byte[][] row) {
        rows++;
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                put((byte) '\t');
            }
            if (hex[i] && row[i] != null) {
                hexField(row[i]);
            } else {
                field(row[i]);
            }
        }
        put((byte) '\n');
    }

    private void field(byte[] value) {
        if (value == null) {
            put((byte) '\\');
            put((byte) 'N');
            return;
        }
        ensure(value.length * 2);
        // Runs of ordinary bytes are copied in one go: escapes are rare in real data.
        int run = 0;
        for (int i = 0; i < value.length; i++) {
            byte b = value[i];
            // One cheap test passes almost every byte (UTF-8 continuation bytes are negative, so & 0xFF).
            if ((b & 0xFF) > '\r' && b != '\\') {
                continue;
            }
            byte escape = escapeOf(b);
            if (escape != 0) {
                System.arraycopy(value, run, buffer, length, i - run);
                length += i - run;
                escaped(escape);
                run = i + 1;
            }
        }
        System.arraycopy(value, run, buffer, length, value.length - run);
        length += value.length - run;
    }

    /** The letter after the backslash for a byte that must be escaped, or 0 for an ordinary byte. */
    private static byte escapeOf(byte b) {
        return switch (b) {
            case '\\' -> (byte) '\\';
            case '\t' -> (byte) 't';
            case '\n' -> (byte) 'n';
            case '\r' -> (byte) 'r';
            case 0 -> (byte) '0';
            default -> 0;
        };
    }

    private void hexField(byte[] value) {
        ensure(value.length * 2);
        for (byte b : value) {
            buffer[length++] = HEX[(b >> 4) & 0xF];
            buffer[length++] = HEX[b & 0xF];
        }
    }

    private void escaped(byte b) {
        buffer[length++] = '\\';
        buffer[length++] = b;
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    /**
     * The rows back as they were appended (the inverse of {@link #append}), for a batch that must be
     * written another way after all.
     */
    public List<byte[][]> decode() {
        List<byte[][]> out = new ArrayList<>(rows);
        byte[][] row = new byte[hex.length][];
        int field = 0;
        int start = 0;
        for (int i = 0; i < length; i++) {
            byte b = buffer[i];
            if (b == '\\') {
                i++;
            } else if (b == '\t' || b == '\n') {
                row[field] = value(start, i, hex[field]);
                field++;
                start = i + 1;
                if (b == '\n') {
                    out.add(row);
                    row = new byte[hex.length][];
                    field = 0;
                }
            }
        }
        return out;
    }

    private byte[] value(int from, int to, boolean hexField) {
        if (to - from == 2 && buffer[from] == '\\' && buffer[from + 1] == 'N') {
            return null;
        }
        if (hexField) {
            return HexFormat.of().parseHex(new String(buffer, from, to - from,
                    StandardCharsets.US_ASCII));
        }
        byte[] value = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = buffer[i];
            value[n++] = b == '\\' ? unescape(buffer[++i]) : b;
        }
        return Arrays.copyOf(value, n);
    }

    private static byte unescape(byte letter) {
        return switch (letter) {
            case 't' -> (byte) '\t';
            case 'n' -> (byte) '\n';
            case 'r' -> (byte) '\r';
            case '0' -> 0;
            default -> letter;
        };
    }

    public byte[] bytes() {
        return buffer;
    }

    public int length() {
        return length;
    }
}
