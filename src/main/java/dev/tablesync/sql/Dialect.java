package dev.tablesync.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.schema.ValueKind;

/**
 * The one place that writes SQL for synced tables. Every identifier is quoted (backticks
 * doubled), every value is a placeholder. Where MySQL and MariaDB differ, the server version
 * decides; {@code DialectTest} pins the exact text for both.
 */
public final class Dialect {

    /** Applied to every pooled connection: UTC makes TIMESTAMP text exact; strict mode refuses truncation. */
    public static final String SESSION_SETUP = "SET time_zone = '+00:00', "
            + "sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'";

    /**
     * {@link #SESSION_SETUP} plus how long a statement waits for a metadata lock ({@code LOCK TABLES},
     * {@code ALTER TABLE}) or a row lock before failing with error 1205, instead of the servers'
     * default of a day. Both servers take whole seconds here: MySQL's {@code lock_wait_timeout} has
     * no fraction (MariaDB's has), so the text is the same before the server is known.
     */
    public static String sessionSetup(long lockTimeoutSeconds) {
        if (lockTimeoutSeconds < 1) {
            throw new IllegalArgumentException("lock timeout must be at least 1 second, got " + lockTimeoutSeconds);
        }
        return SESSION_SETUP + ", lock_wait_timeout = " + lockTimeoutSeconds + ", innodb_lock_wait_timeout = "
                + lockTimeoutSeconds;
    }

    public static final String VERSION = "SELECT VERSION()";
    public static final String DEFAULT_SCHEMA = "SELECT DATABASE()";
    public static final String MAX_PACKET = "SELECT @@max_allowed_packet";
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
    /**
     * Tells one server from another (see {@link ServerIdentity}), and whether it compares table names
     * without case. MySQL has a server UUID; MariaDB has none, so its host name, port, data directory
     * and server id together stand in for one: no two servers running at once share all four.
     */
    public String serverIdentity() {
        return server.isMariaDb()
                ? "SELECT CONCAT_WS(' ', 'mariadb', @@hostname, @@port, @@datadir, @@server_id), @@lower_case_table_names"
                : "SELECT CONCAT('mysql ', @@server_uuid), @@lower_case_table_names";
    }

    public static final String GET_LOCK = "SELECT GET_LOCK(?, 0)";
    public static final String RELEASE_LOCK = "SELECT RELEASE_LOCK(?)";
    /** Transactions that already wrote (or wait to write) hold back the incremental upper bound. */
    private static final String OLDEST_WRITER = "(SELECT MIN(trx_started) FROM information_schema.INNODB_TRX"
            + " WHERE trx_rows_modified > 0 OR trx_state = 'LOCK WAIT')";
    /**
     * Leads every read tablesync runs on a source, so that the change window does not wait for a
     * long snapshot read of another mapping (or replica) as it waits for other running statements.
     */
    public static final String READ_TAG = "/* tablesync read */ ";
    static final String NEW_ROW_ALIAS = "_tablesync_new";

    private final ServerVersion server;

    public Dialect(ServerVersion server) {
        this.server = server;
    }

    public ServerVersion server() {
        return server;
    }

    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    public static String table(TableId id) {
        return id.schema().map(s -> quote(s) + ".").orElse("") + quote(id.table());
    }

    /** The select list; FLOAT is widened to DOUBLE because its text form is rounded to 6 digits. */
    public String selectList(List<Column> columns) {
        return columns.stream()
                .map(c -> c.isFloat() ? "(" + quote(c.name()) + " + 0E0) AS " + quote(c.name()) : quote(c.name()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Rows after a cursor in {@code order}: {@code cursorLength} leading order columns are bound;
     * a full-length cursor is exclusive ({@code >}), a shorter one inclusive ({@code >=}).
     * The leading {@code c1 >= ?} lets every server plan a range scan on the index.
     */
    public String keysetPredicate(List<String> order, int cursorLength) {
        if (cursorLength == 0) {
            return "1 = 1";
        }
        boolean inclusive = cursorLength < order.size();
        List<String> cols = order.subList(0, cursorLength);
        String first = quote(cols.get(0)) + " >= ?";
        return cursorLength == 1 && inclusive ? first : first + " AND " + lexicographic(cols, 0, inclusive);
    }

    private static String lexicographic(List<String> cols, int i, boolean inclusive) {
        String c = quote(cols.get(i));
        if (i == cols.size() - 1) {
            return c + (inclusive ? " >= ?" : " > ?");
        }
        return "(" + c + " > ? OR (" + c + " = ? AND " + lexicographic(cols, i + 1, inclusive) + "))";
    }

    /** How many placeholders {@link #keysetPredicate} binds, and in which cursor positions. */
    public static List<Integer> keysetBindOrder(int orderSize, int cursorLength) {
        if (cursorLength == 0) {
            return List.of();
        }
        List<Integer> order = new ArrayList<>();
        order.add(0);
        if (cursorLength == 1 && cursorLength < orderSize) {
            return order;
        }
        for (int i = 0; i < cursorLength - 1; i++) {
            order.add(i);
            order.add(i);
        }
        order.add(cursorLength - 1);
        return order;
    }

    /** Snapshot and id-mode read: key order, optionally after a key cursor, at most {@code limit} rows. */
    public String selectByKey(TableId table, List<Column> columns, List<String> key, boolean afterCursor,
            long limit) {
        return READ_TAG + "SELECT " + selectList(columns) + " FROM " + table(table)
                + " WHERE " + keysetPredicate(key, afterCursor ? key.size() : 0)
                + " ORDER BY " + orderBy(key) + " LIMIT " + limit;
    }

    /** Id-mode read: new rows after a key cursor, not above the change window's safe id. */
    public String selectNewIds(TableId table, List<Column> columns, String id, boolean afterCursor, long limit) {
        return READ_TAG + "SELECT " + selectList(columns) + " FROM " + table(table)
                + " WHERE " + keysetPredicate(List.of(id), afterCursor ? 1 : 0) + " AND " + quote(id) + " <= ?"
                + " ORDER BY " + quote(id) + " LIMIT " + limit;
    }

    /**
     * Timestamp-mode read: rows after the {@code (ts, key...)} cursor and not later than the change
     * window's upper bound, in {@code (ts, key)} order.
     */
    public String selectChanged(TableId table, List<Column> columns, String tracking, List<String> key,
            int cursorLength, long limit) {
        List<String> order = new ArrayList<>();
        order.add(tracking);
        order.addAll(key);
        return READ_TAG + "SELECT " + selectList(columns) + " FROM " + table(table)
                + " WHERE " + keysetPredicate(order, cursorLength) + " AND " + quote(tracking) + " <= ?"
                + " ORDER BY " + orderBy(order) + " LIMIT " + limit;
    }

    /**
     * The change window's upper bound in the session's time zone, and as epoch seconds. The
     * caller picks the session time zone that the tracking column's values live in.
     */
    public String watermark(boolean withOpenTransactions) {
        String bound = "NOW(6) - INTERVAL ? MICROSECOND";
        String w = withOpenTransactions ? heldBack(bound) : bound;
        return "SELECT CAST(w AS DATETIME(6)), UNIX_TIMESTAMP(w) FROM (SELECT " + w + " AS w) AS window_bound";
    }

    /**
     * {@code bound} lowered to the start of the oldest transaction that wrote rows and of the
     * oldest statement other sessions are running: {@code DEFAULT/ON UPDATE CURRENT_TIMESTAMP}
     * stamps rows with their statement's start, which may precede the transaction's first write.
     */
    private String heldBack(String bound) {
        return "LEAST(" + bound + ", COALESCE(" + OLDEST_WRITER + ", NOW(6)), COALESCE(" + oldestStatement()
                + ", NOW(6)))";
    }

    /**
     * The start of the oldest statement of another session, tablesync's reads aside. MariaDB
     * gives its age in milliseconds (TIME_MS); MySQL only in whole seconds, truncated, so one
     * more second keeps the result at or before the true start. A replica's applier threads
     * ('system user') are left out: an idle MySQL applier shows a 'Query' that never ends.
     */
    private String oldestStatement() {
        String age = server.isMariaDb() ? "CEILING(MAX(TIME_MS) * 1000) MICROSECOND" : "(MAX(TIME) + 1) SECOND";
        return "(SELECT NOW(6) - INTERVAL " + age + " FROM information_schema.PROCESSLIST"
                + " WHERE COMMAND IN ('Query', 'Execute') AND ID <> CONNECTION_ID() AND USER <> 'system user'"
                + " AND COALESCE(INFO, '') NOT LIKE '" + READ_TAG.trim() + "%')";
    }

    /**
     * Id mode's window: the highest committed id, the source time right after it was read, and
     * (with {@code withOpenTransactions}) the {@link #heldBack} time as of now minus {@code ?}
     * microseconds, as epoch seconds. SYSDATE, unlike NOW, is read when evaluated: after the
     * derived table's MAX.
     */
    public String idWindow(TableId table, String id, boolean withOpenTransactions) {
        String held = withOpenTransactions ? ", UNIX_TIMESTAMP(" + heldBack("NOW(6) - INTERVAL ? MICROSECOND") + ")"
                : "";
        return "SELECT m, UNIX_TIMESTAMP(SYSDATE(6))" + held + " FROM (SELECT MAX(" + quote(id) + ") AS m FROM "
                + table(table) + ") AS id_window";
    }

    /** Two instants, as epoch seconds, in the session time zone's wall-clock time. */
    public static final String LOCAL_TIMES = "SELECT CAST(FROM_UNIXTIME(?) AS DATETIME(6)),"
            + " CAST(FROM_UNIXTIME(?) AS DATETIME(6))";
    /** Makes NOW() of the session return the given epoch seconds; tests cross a DST change with it. */
    public static final String SET_SESSION_TIME = "SET timestamp = ?";
    public static final String RESET_SESSION_TIME = "SET timestamp = DEFAULT";

    public static String setTimeZone(boolean serverZone) {
        return serverZone ? "SET time_zone = @@global.time_zone" : "SET time_zone = '+00:00'";
    }

    /**
     * MariaDB (10.1.2+) runs one statement in the server's time zone and then restores the session's:
     * one round trip instead of three {@link #setTimeZone} ones. MySQL has no equivalent
     * ({@code SET_VAR} takes no {@code @@global} value).
     */
    public Optional<String> inServerZone(String statement) {
        return server.isMariaDb() && server.atLeast(10, 1, 2)
                ? Optional.of("SET STATEMENT time_zone = @@global.time_zone FOR " + statement)
                : Optional.empty();
    }

    /** Multi-row upsert of {@code rows} rows with the conflict policy's update clause. */
    public String upsert(TableId table, List<Column> columns, List<String> key, ConflictPolicy policy,
            Optional<String> tracking, int rows) {
        String names = columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String one = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        StringBuilder sql = new StringBuilder(64 + rows * (one.length() + 2))
                .append("INSERT INTO ").append(table(table)).append(" (").append(names).append(") VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(one);
        }
        // With the row alias, MySQL also knows each column under the alias: a bare name is ambiguous there.
        Function<String, String> existing = Dialect::quote;
        if (usesRowAlias()) {
            sql.append(" AS ").append(NEW_ROW_ALIAS);
            existing = c -> table(table) + "." + quote(c);
        }
        return sql.append(" ON DUPLICATE KEY UPDATE ")
                .append(updateClause(columns, key, policy, tracking, this::inserted, existing)).toString();
    }

    /**
     * The conflict policy's assignments; {@code inserted} and {@code existing} name a column's
     * incoming and current value.
     */
    private static String updateClause(List<Column> columns, List<String> key, ConflictPolicy policy,
            Optional<String> tracking, Function<String, String> inserted, Function<String, String> existing) {
        String keep = quote(key.get(0)) + " = " + existing.apply(key.get(0));
        List<String> values = columns.stream().map(Column::name).filter(c -> !key.contains(c)).toList();
        if (policy == ConflictPolicy.SKIP || policy == ConflictPolicy.ERROR || values.isEmpty()) {
            return keep;
        }
        if (policy == ConflictPolicy.OVERWRITE) {
            return values.stream().map(c -> quote(c) + " = " + inserted.apply(c)).collect(Collectors.joining(", "));
        }
        String ts = tracking.orElseThrow(() -> new IllegalArgumentException("newer-wins needs a tracking column"));
        String newer = "(" + inserted.apply(ts) + " > " + existing.apply(ts) + " OR (" + existing.apply(ts)
                + " IS NULL AND " + inserted.apply(ts) + " IS NOT NULL))";
        // Assignments run left to right and see earlier ones, so the tracking column goes last.
        List<String> ordered = new ArrayList<>(values.stream().filter(c -> !c.equals(ts)).toList());
        ordered.add(ts);
        return ordered.stream()
                .map(c -> quote(c) + " = IF(" + newer + ", " + inserted.apply(c) + ", " + existing.apply(c) + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * A session's private staging table for one batch, replacing the previous batch's: the target's
     * columns with their types and character sets, all nullable and without keys, so it holds
     * exactly what a load puts in. MariaDB replaces it in one statement; MySQL lacks CREATE OR REPLACE.
     */
    public List<String> freshStaging(TableId staging, List<Column> targetColumns) {
        String cols = targetColumns.stream()
                .map(c -> quote(c.name()) + " " + c.columnType() + c.charset().map(cs -> " CHARACTER SET " + cs)
                        .orElse("") + " NULL")
                .collect(Collectors.joining(", "));
        if (server.isMariaDb()) {
            return List.of("CREATE OR REPLACE TEMPORARY TABLE " + table(staging) + " (" + cols + ")");
        }
        return List.of(dropStaging(staging), "CREATE TEMPORARY TABLE " + table(staging) + " (" + cols + ")");
    }

    /** Neither this nor creating a TEMPORARY table commits (TRUNCATE would): the batch's transaction goes on. */
    public String dropStaging(TableId staging) {
        return "DROP TEMPORARY TABLE IF EXISTS " + table(staging);
    }

    /**
     * The staged rows into the target with the same conflict clause as {@link #upsert}. Current
     * values are named with the target table, since the staging table has the same column names.
     * MySQL 8.0.19+ reads incoming values through a derived table's alias, as VALUES() is deprecated there.
     */
    public String upsertFromStaging(TableId target, TableId staging, List<Column> columns, List<String> key,
            ConflictPolicy policy, Optional<String> tracking) {
        String names = columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String select = "SELECT " + names + " FROM " + table(staging);
        String rows = usesRowAlias() ? "SELECT * FROM (" + select + ") AS " + NEW_ROW_ALIAS : select;
        return "INSERT INTO " + table(target) + " (" + names + ") " + rows + " ON DUPLICATE KEY UPDATE "
                + updateClause(columns, key, policy, tracking, this::inserted, c -> table(target) + "." + quote(c));
    }

    /** MySQL 8.0.20 deprecated VALUES() in ON DUPLICATE KEY UPDATE; 8.0.19 added the row alias. */
    boolean usesRowAlias() {
        return !server.isMariaDb() && server.atLeast(8, 0, 19);
    }

    String inserted(String column) {
        return usesRowAlias() ? NEW_ROW_ALIAS + "." + quote(column) : "VALUES(" + quote(column) + ")";
    }

    /** Whether the server accepts {@code LOAD DATA LOCAL}: MySQL 8 ships with it off. */
    public static final String LOCAL_INFILE = "SELECT @@local_infile";

    /** One row of the table after a key cursor, if any: is the rest of the key range still empty? */
    public String anyRowAfter(TableId table, List<String> key, boolean afterCursor) {
        return "SELECT 1 FROM " + table(table) + " WHERE " + keysetPredicate(key, afterCursor ? key.size() : 0)
                + " LIMIT 1";
    }

    /**
     * Bulk insert of rows streamed by the client in the server's own tab-separated text format
     * (the one {@code SELECT ... INTO OUTFILE} writes). The file name is never opened: the
     * driver sends the stream set on the statement instead. Text is UTF-8 like every value we
     * read, so the server converts it to each column's character set exactly as for an INSERT;
     * binary columns travel as hex through a variable, because MySQL reads every byte of the
     * stream as a utf8mb4 character and refuses or drops bytes that are not one.
     */
    public String loadData(TableId table, List<Column> columns) {
        List<String> fields = new ArrayList<>();
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.kind() == ValueKind.BYTES) {
                fields.add("@b" + i);
                assignments.add(quote(c.name()) + " = UNHEX(@b" + i + ")");
            } else {
                fields.add(quote(c.name()));
            }
        }
        return "LOAD DATA LOCAL INFILE 'tablesync-stream' INTO TABLE " + table(table) + " CHARACTER SET utf8mb4"
                + " FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\'"
                + " LINES TERMINATED BY '\\n' STARTING BY '' (" + String.join(", ", fields) + ")"
                + (assignments.isEmpty() ? "" : " SET " + String.join(", ", assignments));
    }

    /** Target rows with the given keys, locked, for the {@code error} policy's comparison. */
    public String selectExisting(TableId table, List<Column> columns, List<String> key, int rows) {
        return "SELECT " + selectList(columns) + " FROM " + table(table) + " WHERE " + keyEquals(key, rows)
                + " FOR UPDATE";
    }

    /** Deletes the target rows with the given keys (soft-deleted on the source, delete-mode hard). */
    public String deleteByKey(TableId table, List<String> key, int rows) {
        return "DELETE FROM " + table(table) + " WHERE " + keyEquals(key, rows);
    }

    /**
     * {@code rows} keys as {@code k IN (?, …)}, a composite key as {@code (a = ? AND b = ?) OR …}:
     * MariaDB 10.11 and MySQL 8.0.15 miss rows with {@code (a, b) IN ((?, ?), …)} when a key
     * column's charset differs from the connection's (a latin1 key holding 'é'; MySQL 8.0.31 does
     * not). The OR of ANDs both answer right, still by ranges of the primary key.
     */
    static String keyEquals(List<String> key, int rows) {
        if (key.size() == 1) {
            return quote(key.get(0)) + " IN (" + String.join(", ", Collections.nCopies(rows, "?")) + ")";
        }
        String one = "(" + key.stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND ")) + ")";
        return String.join(" OR ", Collections.nCopies(rows, one));
    }

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
     * One source row at or before a checkpoint's cursor value in {@code column} that the target
     * should hold (under delete-mode hard, one not marked deleted): does the checkpoint vouch for rows?
     */
    public String anyRowUpTo(TableId table, String column, Optional<Column> softDelete) {
        String live = softDelete.map(f -> " AND (" + quote(f.name()) + " IS NULL"
                + (f.isTemporal() ? ")" : " OR " + quote(f.name()) + " = 0)")).orElse("");
        return "SELECT 1 FROM " + table(table) + " WHERE " + quote(column) + " <= ?" + live + " LIMIT 1";
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
        return !server.isMariaDb()
                && (type.endsWith("text") || type.endsWith("blob") || type.equals("json") || spatial);
    }

    /** The column's default, read from this dialect's server, as SQL that MySQL and MariaDB both accept. */
    public Optional<String> defaultSql(Column column) {
        return ColumnDefaults.toSql(server, column);
    }

    /**
     * Whether the column's default must be taken from {@link #showCreateTable} (read as bytes,
     * see {@link #RESULTS_CHARSET}) because information_schema loses its bytes: binary literals.
     */
    public boolean defaultNeedsTableDefinition(Column column) {
        return ColumnDefaults.isBinaryLiteral(server, column);
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
        if (server.isMariaDb() && source.contains("_0900_")) {
            if (source.endsWith("_0900_bin")) {
                return Optional.of(source.replace("_0900_bin", "_nopad_bin"));
            }
            return server.atLeast(10, 10, 0) ? Optional.of(source.replace("_0900_", "_uca1400_nopad_"))
                    : Optional.empty();
        }
        if (!server.isMariaDb() && (source.contains("_uca1400_") || source.contains("nopad"))) {
            return Optional.empty();
        }
        return Optional.of(source);
    }

    public static String orderBy(List<String> columns) {
        return columns.stream().map(Dialect::quote).collect(Collectors.joining(", "));
    }

    public String explain(String query) {
        return "EXPLAIN " + query;
    }
}
