package dev.tablesync.conflict;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A row as exact bytes with its column names, as a parked row keeps its source and target images:
 * a SQL NULL stays null, every other value the server's own text or bytes. Also the digests that
 * tell keys apart and tell whether the target still holds what the sync wrote.
 */
public record RowImage(List<String> columns, List<byte[]> values) {

    /** Key digests take 16 bytes; a row digest 4 more, naming the column list it covers. */
    static final int KEY_DIGEST_BYTES = 16;
    static final int COLUMNS_TAG_BYTES = 4;

    public RowImage {
        columns = List.copyOf(columns);
        values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.size() + " values");
        }
    }

    public static RowImage of(List<String> columns, byte[][] row) {
        return new RowImage(columns, Arrays.asList(row));
    }

    /** The value of a column by name; empty when the image has no such column, a null inside for SQL NULL. */
    public Optional<Optional<byte[]>> value(String column) {
        int i = columns.indexOf(column);
        return i < 0 ? Optional.empty() : Optional.of(Optional.ofNullable(values.get(i)));
    }

    /** Same columns, same bytes. */
    public boolean sameAs(RowImage other) {
        if (other == null || !columns.equals(other.columns)) {
            return false;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!Arrays.equals(values.get(i), other.values.get(i))) {
                return false;
            }
        }
        return true;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                out.writeUTF(columns.get(i));
                byte[] v = values.get(i);
                out.writeInt(v == null ? -1 : v.length);
                if (v != null) {
                    out.write(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static RowImage decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int n = in.readInt();
            List<String> names = new ArrayList<>(n);
            List<byte[]> cells = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
                int length = in.readInt();
                cells.add(length < 0 ? null : in.readNBytes(length));
            }
            return new RowImage(names, cells);
        } catch (IOException e) {
            throw new UncheckedIOException("a parked row image is damaged", e);
        }
    }

    /** 16 bytes naming a key: its cells, length-prefixed, hashed. */
    public static byte[] keyDigest(byte[][] keyCells) {
        return Arrays.copyOf(hash(keyCells), KEY_DIGEST_BYTES);
    }

    /**
     * What a row held: 4 bytes naming the column list (a column added later gives another tag,
     * so a digest taken before it is recognised as such), then 16 bytes of the cells' hash.
     */
    public static byte[] rowDigest(List<String> columns, byte[][] row) {
        byte[] digest = new byte[COLUMNS_TAG_BYTES + KEY_DIGEST_BYTES];
        System.arraycopy(columnsTag(columns), 0, digest, 0, COLUMNS_TAG_BYTES);
        System.arraycopy(hash(row), 0, digest, COLUMNS_TAG_BYTES, KEY_DIGEST_BYTES);
        return digest;
    }

    /** Whether a stored row digest was taken over the same column list. */
    public static boolean sameColumns(byte[] digest, List<String> columns) {
        return digest.length == COLUMNS_TAG_BYTES + KEY_DIGEST_BYTES
                && Arrays.equals(Arrays.copyOf(digest, COLUMNS_TAG_BYTES), columnsTag(columns));
    }

    private static byte[] columnsTag(List<String> columns) {
        byte[][] names = columns.stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        return Arrays.copyOf(hash(names), COLUMNS_TAG_BYTES);
    }

    private static byte[] hash(byte[][] cells) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] length = new byte[4];
            for (byte[] cell : cells) {
                int n = cell == null ? -1 : cell.length;
                length[0] = (byte) (n >>> 24);
                length[1] = (byte) (n >>> 16);
                length[2] = (byte) (n >>> 8);
                length[3] = (byte) n;
                sha.update(length);
                if (cell != null) {
                    sha.update(cell);
                }
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
