package dev.tablesync.sql;

import static dev.tablesync.sql.Dialect.orderBy;
import static dev.tablesync.sql.Dialect.quote;
import static dev.tablesync.sql.Dialect.table;
import static dev.tablesync.sql.Dialect.READ_TAG;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;

/**
 * SQL that reads a synced table on the source: rows by keyset (snapshot, id and timestamp
 * changes) and the change window's upper bound, in the session or the server's time zone.
 * Reached through {@link Dialect#reads()}, which knows the server.
 */
public final class ReadSql {

    private final Dialect dialect;

    ReadSql(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Transactions that already wrote (or wait to write) hold back the incremental upper bound. */
    private static final String OLDEST_WRITER = "(SELECT MIN(trx_started) FROM information_schema.INNODB_TRX"
            + " WHERE trx_rows_modified > 0 OR trx_state = 'LOCK WAIT')";

    /** Snapshot and id-mode read: key order, optionally after a key cursor, at most {@code limit} rows. */
    public String selectByKey(TableId table, List<Column> columns, List<String> key, boolean afterCursor,
            long limit) {
        return READ_TAG + "SELECT " + dialect.selectList(columns) + " FROM " + table(table)
                + " WHERE " + dialect.keysetPredicate(key, afterCursor ? key.size() : 0)
                + " ORDER BY " + orderBy(key) + " LIMIT " + limit;
    }

    /** Id-mode read: new rows after a key cursor, not above the change window's safe id. */
    public String selectNewIds(TableId table, List<Column> columns, String id, boolean afterCursor, long limit) {
        return READ_TAG + "SELECT " + dialect.selectList(columns) + " FROM " + table(table)
                + " WHERE " + dialect.keysetPredicate(List.of(id), afterCursor ? 1 : 0) + " AND " + quote(id) + " <= ?"
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
        return READ_TAG + "SELECT " + dialect.selectList(columns) + " FROM " + table(table)
                + " WHERE " + dialect.keysetPredicate(order, cursorLength) + " AND " + quote(tracking) + " <= ?"
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
        String age = dialect.server().isMariaDb() ? "CEILING(MAX(TIME_MS) * 1000) MICROSECOND" : "(MAX(TIME) + 1) SECOND";
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
        return dialect.server().isMariaDb() && dialect.server().atLeast(10, 1, 2)
                ? Optional.of("SET STATEMENT time_zone = @@global.time_zone FOR " + statement)
                : Optional.empty();
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
}
