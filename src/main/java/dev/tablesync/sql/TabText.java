package dev.tablesync.sql;

/**
 * Rows in the text format that {@code LOAD DATA} reads by default: fields separated by tab, rows
 * ended by newline, {@code \N} for NULL, and backslash escapes for the bytes that would otherwise
 * end a field or a row. Text passes through as the source server's UTF-8 bytes; only those few
 * bytes change, and the server undoes that. Binary fields are written as hex digits. One buffer
 * is reused for every batch.
 */
public final class TabText {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final boolean[] hex;
    private byte[] buffer = new byte[1 << 16];
    private int length;

    /** @param hex per field: written as hex digits (binary columns, see {@link Dialect#loadData}) */
    public TabText(boolean[] hex) {
        this.hex = hex.clone();
    }

    /** The field layout {@link Dialect#loadData} expects for these columns. */
    public static TabText forColumns(java.util.List<dev.tablesync.schema.Column> columns) {
        boolean[] hex = new boolean[columns.size()];
        for (int i = 0; i < hex.length; i++) {
            hex[i] = columns.get(i).kind() == dev.tablesync.schema.ValueKind.BYTES;
        }
        return new TabText(hex);
    }

    public void reset() {
        length = 0;
    }

    public void append(byte[][] row) {
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
        for (byte b : value) {
            switch (b) {
                case '\\' -> escaped((byte) '\\');
                case '\t' -> escaped((byte) 't');
                case '\n' -> escaped((byte) 'n');
                case '\r' -> escaped((byte) 'r');
                case 0 -> escaped((byte) '0');
                default -> buffer[length++] = b;
            }
        }
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
            buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    public byte[] bytes() {
        return buffer;
    }

    public int length() {
        return length;
    }
}
