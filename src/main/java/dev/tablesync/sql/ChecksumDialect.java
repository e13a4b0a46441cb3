package dev.tablesync.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.schema.ValueKind;

/**
 * SQL of verify and repair: per-row hashes and per-chunk aggregates that each server computes
 * itself, the key-ordered drill-down, and the re-read and delete of single keys. Every statement
 * is a plain SELECT (a consistent read, no locks) or a keyed write; {@code ChecksumDialectTest}
 * pins the text for MySQL and MariaDB.
 *
 * <p>A row's hash is {@code CRC32} over {@code CONCAT_WS('#', ...)} of its compared columns, with
 * one {@code ISNULL} marker per nullable column so that NULL and an empty string differ (the
 * construction of pt-table-checksum). A chunk's aggregate is {@code COUNT(*)} and the
 * {@code BIT_XOR} of each row's CRC times {@value #SPREAD}: the multiplication spreads the CRC
 * over 64 bits and breaks its linearity, so the same change in two rows does not cancel out in
 * the XOR as it would with plain CRCs.
 */
public final class ChecksumDialect {

    /** Knuth's multiplicative constant: below 2^32, so CRC times it fits an unsigned BIGINT. */
    static final String SPREAD = "2654435761";

    /** How a column enters the row text so that both servers produce the same bytes. */
    public enum Form {
        /** The server's own text (integers, DECIMAL, temporals, utf8mb4 text, bytes). */
        AS_IS,
        /** FLOAT prints 6 digits only; as DOUBLE its text is exact. */
        DOUBLE,
        /** Text in another character set, converted so the bytes do not depend on the column's charset. */
        UTF8MB4
    }

    /** One hashed column on one server. */
    public record HashColumn(String name, boolean nullable, Form form) {
    }

    /**
     * The hashed columns of a mapping on each side, in the same order, and the columns left out
     * because the two servers print their values differently ({@code name: reason}).
     */
    public record RowHash(List<HashColumn> source, List<HashColumn> target, List<String> notCompared) {
    }

    private final ServerVersion server;

    public ChecksumDialect(ServerVersion server) {
        this.server = server;
    }

    /**
     * Decides which of the copied columns can be compared by their text. FLOAT/DOUBLE text differs
     * between flavors and versions; a MySQL JSON target re-formats text that came from a non-JSON
     * source. Those columns are left out (and reported), never compared wrongly.
     */
    public static RowHash rowHash(List<Column> copied, ServerVersion sourceServer, TableSchema target,
            ServerVersion targetServer) {
        List<HashColumn> src = new ArrayList<>();
        List<HashColumn> tgt = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        boolean sameFloatText = sourceServer.flavor() == targetServer.flavor()
                && sourceServer.major() == targetServer.major() && sourceServer.minor() == targetServer.minor();
        for (Column s : copied) {
            Column t = target.column(s.name()).orElse(s);
            if ((isFloatingPoint(s) || isFloatingPoint(t)) && !sameFloatText) {
                notCompared.add(s.name() + ": FLOAT/DOUBLE text differs between " + sourceServer + " and "
                        + targetServer);
                continue;
            }
            if (isMysqlJson(t, targetServer) && !isMysqlJson(s, sourceServer)) {
                notCompared.add(s.name() + ": the MySQL JSON target re-formats the source's text");
                continue;
            }
            boolean nullable = s.nullable() || t.nullable();
            src.add(new HashColumn(s.name(), nullable, form(s)));
            tgt.add(new HashColumn(s.name(), nullable, form(t)));
        }
        return new RowHash(List.copyOf(src), List.copyOf(tgt), List.copyOf(notCompared));
    }

    private static boolean isFloatingPoint(Column c) {
        return c.isFloat() || c.dataType().equals("double") || c.dataType().equals("real");
    }

    private static boolean isMysqlJson(Column c, ServerVersion server) {
        return !server.isMariaDb() && c.dataType().equals("json");
    }

    private static Form form(Column c) {
        if (c.isFloat()) {
            return Form.DOUBLE;
        }
        boolean otherCharset = c.charset().map(cs -> !cs.equalsIgnoreCase("utf8mb4")).orElse(false);
        return c.kind() == ValueKind.TEXT && otherCharset ? Form.UTF8MB4 : Form.AS_IS;
    }

    /** The per-row hash expression, e.g. {@code CRC32(CONCAT_WS('#', `id`, `name`, CONCAT(ISNULL(`name`))))}. */
    public static String rowHashExpression(List<HashColumn> columns) {
        List<String> parts = columns.stream().map(ChecksumDialect::value).collect(Collectors.toCollection(ArrayList::new));
        List<String> nulls = columns.stream().filter(HashColumn::nullable)
                .map(c -> "ISNULL(" + Dialect.quote(c.name()) + ")").toList();
        if (!nulls.isEmpty()) {
            parts.add("CONCAT(" + String.join(", ", nulls) + ")");
        }
        return "CRC32(CONCAT_WS('#', " + String.join(", ", parts) + "))";
    }

    private static String value(HashColumn c) {
        String q = Dialect.quote(c.name());
        return switch (c.form()) {
            case DOUBLE -> "(" + q + " + 0E0)";
            case UTF8MB4 -> "CONVERT(" + q + " USING utf8mb4)";
            case AS_IS -> q;
        };
    }

    /**
     * Row count and aggregate hash of the key range ({@code lower}, {@code upper}]; a missing bound
     * is open. Binds the lower bound's placeholders, then the upper's (see {@link #boundBindOrder}).
     */
    public String chunkChecksum(TableId table, List<HashColumn> columns, List<String> key, boolean lower,
            boolean upper) {
        return chunkChecksum(table, columns, key, lower, upper, Optional.empty());
    }

    /** @param softDelete when present, rows it marks deleted are left out (see {@link #liveRows}) */
    public String chunkChecksum(TableId table, List<HashColumn> columns, List<String> key, boolean lower,
            boolean upper, Optional<Column> softDelete) {
        return Dialect.READ_TAG + "SELECT COUNT(*), BIT_XOR(" + rowHashExpression(columns) + " * " + SPREAD
                + ") FROM " + Dialect.table(table) + where(key, lower, upper, softDelete);
    }

    /**
     * The drill-down: each row's key and hash, in an order that Java can follow exactly (see
     * {@link #ordersNatively}); text-like keys are ordered by their bytes, not their collation.
     */
    public String keyHashes(TableId table, List<HashColumn> columns, List<Column> key, boolean lower,
            boolean upper) {
        return keyHashes(table, columns, key, lower, upper, Optional.empty());
    }

    /** @param softDelete when present, rows it marks deleted are left out (see {@link #liveRows}) */
    public String keyHashes(TableId table, List<HashColumn> columns, List<Column> key, boolean lower,
            boolean upper, Optional<Column> softDelete) {
        List<String> names = key.stream().map(Column::name).toList();
        String order = key.stream().map(c -> ordersNatively(c) ? Dialect.quote(c.name())
                : "CAST(" + value(new HashColumn(c.name(), false, form(c))) + " AS BINARY)")
                .collect(Collectors.joining(", "));
        return Dialect.READ_TAG + "SELECT " + Dialect.orderBy(names) + ", " + rowHashExpression(columns) + " FROM "
                + Dialect.table(table) + where(names, lower, upper, softDelete) + " ORDER BY " + order;
    }

    /**
     * Numbers sort by value, and DATE/DATETIME/TIMESTAMP and binary strings by their bytes, in the
     * server as in Java; other keys (text with a collation, ENUM, TIME) are sorted as bytes.
     */
    public static boolean ordersNatively(Column c) {
        return c.kind() == ValueKind.NUMBER || c.kind() == ValueKind.BYTES
                || c.isDateTime() || c.dataType().equals("date");
    }

    /** The key that ends a chunk of {@code rows} rows after {@code lower} (or from the start): the source decides. */
    public String chunkEnd(TableId table, List<String> key, boolean lower, long rows) {
        return chunkEnd(table, key, lower, rows, Optional.empty());
    }

    /** @param softDelete when present, rows it marks deleted are left out (see {@link #liveRows}) */
    public String chunkEnd(TableId table, List<String> key, boolean lower, long rows, Optional<Column> softDelete) {
        return Dialect.READ_TAG + "SELECT " + Dialect.orderBy(key) + " FROM " + Dialect.table(table)
                + where(key, lower, false, softDelete) + " ORDER BY " + Dialect.orderBy(key) + " LIMIT 1 OFFSET "
                + (rows - 1);
    }

    /**
     * The rows a soft-delete column does not mark deleted, exactly as
     * {@link dev.tablesync.schema.SoftDeleteChoice#marksDeleted} decides: a temporal column when
     * NULL, an integer or BIT column when NULL or 0. Under delete-mode hard the target never holds
     * the others, so the source's side of a verify leaves them out.
     */
    public static String liveRows(Column softDelete) {
        String q = Dialect.quote(softDelete.name());
        if (softDelete.isTemporal()) {
            // On a NOT NULL DATE/DATETIME column, IS NULL also matches the zero date, which is not NULL
            // to the sync (so marks the row deleted); such a column marks every row deleted anyway.
            return softDelete.nullable() ? q + " IS NULL" : "FALSE";
        }
        return "(" + q + " IS NULL OR " + q + " = 0)";
    }

    /**
     * A whole-table checksum computed by the server, when it is both cheap and safe. MariaDB's
     * {@code CHECKSUM TABLE} reads InnoDB rows as a consistent read and waits for no writer (see
     * {@code VerifyTest}); MySQL documents a read lock on InnoDB tables, so it gets none.
     */
    public Optional<String> wholeTableChecksum(TableId table) {
        return server.isMariaDb() ? Optional.of(Dialect.READ_TAG + "CHECKSUM TABLE "
                + Dialect.table(table) + " EXTENDED")
                : Optional.empty();
    }

    /** Rows with the given keys, read again at repair time (plain consistent read, no lock). */
    public String rowsByKeys(TableId table, String selectList, List<String> key, int rows) {
        return Dialect.READ_TAG + "SELECT " + selectList + " FROM " + Dialect.table(table) + " WHERE "
                + Dialect.keyEquals(key, rows);
    }

    /** Deletes target rows whose keys the source no longer has. */
    public String deleteByKeys(TableId table, List<String> key, int rows) {
        return "DELETE FROM " + Dialect.table(table) + " WHERE " + Dialect.keyEquals(key, rows);
    }

    private static String where(List<String> key, boolean lower, boolean upper, Optional<Column> softDelete) {
        List<String> parts = new ArrayList<>();
        if (lower) {
            parts.add(bound(key, false));
        }
        if (upper) {
            parts.add(bound(key, true));
        }
        softDelete.map(ChecksumDialect::liveRows).ifPresent(parts::add);
        return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
    }

    /**
     * {@code key > lower} or {@code key <= upper}, lexicographic over the key columns; a composite
     * key starts with a plain comparison on its first column so every server plans a range scan.
     */
    static String bound(List<String> key, boolean upper) {
        String first = Dialect.quote(key.get(0));
        if (key.size() == 1) {
            return first + (upper ? " <= ?" : " > ?");
        }
        return first + (upper ? " <= ?" : " >= ?") + " AND " + lexicographic(key, 0, upper);
    }

    private static String lexicographic(List<String> key, int i, boolean upper) {
        String c = Dialect.quote(key.get(i));
        if (i == key.size() - 1) {
            return c + (upper ? " <= ?" : " > ?");
        }
        return "(" + c + (upper ? " < ?" : " > ?") + " OR (" + c + " = ? AND " + lexicographic(key, i + 1, upper)
                + "))";
    }

    /** Which key position each placeholder of one {@link #bound} takes. */
    public static List<Integer> boundBindOrder(int keySize) {
        return keySize == 1 ? List.of(0) : Dialect.keysetBindOrder(keySize, keySize);
    }
}
