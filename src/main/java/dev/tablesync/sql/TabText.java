package dev.tablesync.sql;

/**
 * Rows in the text format that {@code LOAD DATA} reads by default: fields separated by tab, rows
 * ended by newline, {@code \N} for NULL, and backslash escapes for the bytes that would otherwise
 * end a field or a row. Values pass through as the source server's bytes; only those few bytes
 * change, and the server undoes that. One buffer is reused for every batch.
 */
public final class TabText {

    private byte[] buffer = new byte[1 << 16];
    private int length;

    public void reset() {
        length = 0;
    }

    public void append(byte[][] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                put((byte) '\t');
            }
            field(row[i]);
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
