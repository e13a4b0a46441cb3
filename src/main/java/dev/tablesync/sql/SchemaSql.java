package dev.tablesync.sql;

import static dev.tablesync.sql.Dialect.quote;
import static dev.tablesync.sql.Dialect.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.schema.ValueKind;

/**
 * SQL that reads and shapes table definitions: information_schema queries, CREATE TABLE and
 * ADD COLUMN for the target, column defaults and collations that both servers accept.
 * Reached through {@link Dialect#schema()}, which knows the server.
 */
public final class SchemaSql {

    private final Dialect dialect;

    SchemaSql(Dialect dialect) {
        this.dialect = dialect;
    }

    public static final String TABLE_ENGINE = "SELECT ENGINE FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
    public static final String COLUMNS = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE,"
            + " CHARACTER_SET_NAME, COLLATION_NAME, DATETIME_PRECISION, EXTRA, COLUMN_DEFAULT"
            + " FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
    /** SUB_PART is an index's prefix length; FULLTEXT, SPATIAL and functional parts are not re-created. */
    public static final String INDEXES = "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE"
            + " FROM information_schema.STATISTICS"
            + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX";
    /**
     * What of a table's definition must not change unseen under a definition read by an earlier run:
     * its engine and unique keys (an upsert on another key would add rows instead of updating them)
     * and a digest of its column definitions (a column narrowed by hand would truncate values).
     * A sum of CRC32s, not GROUP_CONCAT, which group_concat_max_len would cut short on a wide table;
     * the texts as bytes, because MySQL 8's information_schema mixes collations that CONCAT refuses.
     * NULL when the table does not exist. Compared with {@code TableSchema#engineAndUniqueKeys()}.
     * Bound: schema and table three times.
     */
    public static final String ENGINE_AND_UNIQUE_KEYS = "SELECT CONCAT(t.ENGINE, '|', COALESCE((SELECT"
            + " GROUP_CONCAT(s.INDEX_NAME, ':', s.COLUMN_NAME ORDER BY s.INDEX_NAME, s.SEQ_IN_INDEX SEPARATOR ',')"
            + " FROM information_schema.STATISTICS s WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0),"
            + " ''), '|', COALESCE((SELECT SUM(CRC32(CONCAT_WS('|', c.ORDINAL_POSITION, CAST(c.COLUMN_NAME AS BINARY),"
            + " CAST(c.COLUMN_TYPE AS BINARY), c.IS_NULLABLE, CAST(COALESCE(c.CHARACTER_SET_NAME, '') AS BINARY),"
            + " CAST(COALESCE(c.COLLATION_NAME, '') AS BINARY), CAST(LOWER(c.EXTRA) AS BINARY))))"
            + " FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ?), 0))"
            + " FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?";

    /** Session setting that keeps a NOT NULL TIMESTAMP from getting implicit defaults on old settings. */
    public static final String EXPLICIT_TIMESTAMP_DEFAULTS = "SET SESSION explicit_defaults_for_timestamp = 1";

    /** The session's result charset, to restore after {@link #SET_RESULTS_CHARSET}. */
    public static final String RESULTS_CHARSET = "SELECT @@SESSION.character_set_results";
    /** Bound to NULL, results come as the bytes the server keeps, unconverted (a binary default's 0xFF stays 0xFF). */
    public static final String SET_RESULTS_CHARSET = "SET SESSION character_set_results = ?";

    /**
     * The target table for a source definition: same columns and types, the row key as primary key,
     * and the source's other indexes so that reads and repairs on the target are not full scans.
     * Those are all created NON-unique: while a batch is half applied, a second unique key could make
     * an upsert collide with another row's value and overwrite that row instead of inserting.
     */
    public String createTable(TableId target, TableSchema source) {
        List<String> parts = new ArrayList<>(source.columns().stream().map(this::columnDefinition).toList());
        parts.add("PRIMARY KEY (" + source.key().stream().map(Dialect::quote).collect(Collectors.joining(", ")) + ")");
        source.indexes().stream().filter(i -> !i.isPrimary() && !i.columns().equals(source.key()) && i.isPlain())
                .map(i -> "KEY " + quote(i.name()) + " (" + indexParts(i) + ")").forEach(parts::add);
        return "CREATE TABLE " + table(target) + " (\n  " + String.join(",\n  ", parts) + "\n)"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    }

    private static String indexParts(dev.tablesync.schema.Index index) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < index.columns().size(); i++) {
            int prefix = index.prefixes().get(i);
            parts.add(quote(index.columns().get(i)) + (prefix > 0 ? "(" + prefix + ")" : ""));
        }
        return String.join(", ", parts);
    }

    /**
     * A column's definition as the target gets it (type, charset, collation, nullability), for
     * CREATE TABLE, ADD COLUMN and the fix a refusal of a narrowed target column suggests.
     */
    public String columnDefinition(Column c) {
        StringBuilder d = new StringBuilder(quote(c.name())).append(' ').append(c.columnType());
        c.charset().ifPresent(cs -> d.append(" CHARACTER SET ").append(cs));
        c.collation().flatMap(this::collation).ifPresent(co -> d.append(" COLLATE ").append(co));
        return d.append(c.nullable() ? " NULL" : " NOT NULL").toString();
    }

    /**
     * Adds a column that appeared on the source: same type, charset, collation, nullability and
     * default, so the rows already in the target get the value the source's rows got.
     *
     * @param defaultSql the source's default as SQL, from the source's {@link #defaultSql}
     * @param after      the column it follows; empty puts it first
     */
    public String addColumn(TableId table, Column column, Optional<String> defaultSql, Optional<String> after) {
        return "ALTER TABLE " + table(table) + " ADD COLUMN " + columnDefinition(column)
                + defaultSql.map(d -> " DEFAULT " + (literalDefaultRefused(column) && !d.startsWith("(")
                        ? "(" + d + ")" : d)).orElse("")
                + after.map(a -> " AFTER " + quote(a)).orElse(" FIRST");
    }

    /** MySQL refuses a literal default on TEXT, BLOB, JSON and spatial columns; an expression (8.0.13+) is fine. */
    private boolean literalDefaultRefused(Column column) {
        String type = column.dataType();
        boolean spatial = column.kind() == ValueKind.BYTES && !type.endsWith("binary") && !type.endsWith("blob")
                && !type.equals("bit");
        return !dialect.server().isMariaDb()
                && (type.endsWith("text") || type.endsWith("blob") || type.equals("json") || spatial);
    }

    /** The column's default, read from this dialect's server, as SQL that MySQL and MariaDB both accept. */
    public Optional<String> defaultSql(Column column) {
        return ColumnDefaults.toSql(dialect.server(), column);
    }

    /**
     * Whether the column's default must be taken from {@link #showCreateTable} (read as bytes,
     * see {@link #RESULTS_CHARSET}) because information_schema loses its bytes: binary literals.
     */
    public boolean defaultNeedsTableDefinition(Column column) {
        return ColumnDefaults.isBinaryLiteral(dialect.server(), column);
    }

    /** The column's binary literal default as a hex literal, from the raw bytes of {@link #showCreateTable}. */
    public Optional<String> defaultSql(Column column, byte[] createTable) {
        return Optional.of(ColumnDefaults.binaryLiteral(column, createTable));
    }

    public String showCreateTable(TableId table) {
        return "SHOW CREATE TABLE " + table(table);
    }

    /**
     * MySQL 8's {@code _0900_} collations exist on MariaDB from 10.10 as the UCA 14 no-pad ones;
     * MariaDB's UCA 14 and no-pad collations do not exist on MySQL, which then uses the charset's default.
     */
    Optional<String> collation(String source) {
        if (dialect.server().isMariaDb() && source.contains("_0900_")) {
            if (source.endsWith("_0900_bin")) {
                return Optional.of(source.replace("_0900_bin", "_nopad_bin"));
            }
            return dialect.server().atLeast(10, 10, 0) ? Optional.of(source.replace("_0900_", "_uca1400_nopad_"))
                    : Optional.empty();
        }
        if (!dialect.server().isMariaDb() && (source.contains("_uca1400_") || source.contains("nopad"))) {
            return Optional.empty();
        }
        return Optional.of(source);
    }
}
