package dev.tablesync.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;

/**
 * One server's SQL for synced tables. Every identifier is quoted (backticks doubled), every value
 * is a placeholder. Where MySQL and MariaDB differ, the server version decides; {@code DialectTest}
 * pins the exact text for both. By concern: {@link #reads()} (source rows and the change window),
 * {@link #writes()} (upserts, staged and bulk loads, deletes), {@link #schema()} (definitions);
 * here the session and server statements and what they share: quoting, the select list, keyset
 * and key predicates, the upsert's row alias.
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
    /**
     * Leads every read tablesync runs on a source, so that the change window does not wait for a
     * long snapshot read of another mapping (or replica) as it waits for other running statements.
     */
    public static final String READ_TAG = "/* tablesync read */ ";
    static final String NEW_ROW_ALIAS = "_tablesync_new";

    private final ServerVersion server;
    private final ReadSql reads;
    private final WriteSql writes;
    private final SchemaSql schema;

    public Dialect(ServerVersion server) {
        this.server = server;
        this.reads = new ReadSql(this);
        this.writes = new WriteSql(this);
        this.schema = new SchemaSql(this);
    }

    /** Reads of a synced table on the source, and the change window. */
    public ReadSql reads() {
        return reads;
    }

    /** Writes into a synced table on the target. */
    public WriteSql writes() {
        return writes;
    }

    /** Table definitions: information_schema, CREATE TABLE, ADD COLUMN. */
    public SchemaSql schema() {
        return schema;
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

    /** MySQL 8.0.20 deprecated VALUES() in ON DUPLICATE KEY UPDATE; 8.0.19 added the row alias. */
    boolean usesRowAlias() {
        return !server.isMariaDb() && server.atLeast(8, 0, 19);
    }

    String inserted(String column) {
        return usesRowAlias() ? NEW_ROW_ALIAS + "." + quote(column) : "VALUES(" + quote(column) + ")";
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

    public static String orderBy(List<String> columns) {
        return columns.stream().map(Dialect::quote).collect(Collectors.joining(", "));
    }

    public String explain(String query) {
        return "EXPLAIN " + query;
    }
}
