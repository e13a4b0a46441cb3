package dev.tablesync.sql;

import java.util.List;

/**
 * The SQL of binlog capture, for one source server: what capture needs of the server (settings, privileges,
 * retention), where its log stands, and who else reads it. Global values are read ({@code @@GLOBAL.}): a
 * session's own {@code binlog_format} says nothing about what other sessions write. {@code BinlogDialectTest}
 * pins the text for both flavours and runs it on the test server.
 */
public final class BinlogDialect {

    /** The privileges the current user holds directly, as information_schema names them. */
    public static final String GRANTED_PRIVILEGES = "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES"
            + " WHERE GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',"
            + " SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";
    /** {@code 'user'@'host'} of the current user, as a GRANT names it. */
    public static final String CURRENT_USER = "SELECT CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',"
            + " SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";
    /** Replication clients connected to this server; {@code Binlog Dump GTID} on MySQL with GTIDs. */
    public static final String DUMP_THREADS = "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
            + " WHERE COMMAND LIKE 'Binlog Dump%'";
    public static final String BINARY_LOGS = "SHOW BINARY LOGS";

    private final ServerVersion server;

    public BinlogDialect(ServerVersion server) {
        this.server = server;
    }

    public boolean isMariaDb() {
        return server.isMariaDb();
    }

    /**
     * One row: {@code log_bin}, {@code binlog_format}, {@code binlog_row_image}, {@code binlog_row_metadata} (NULL
     * where the server has none), retention in seconds (0: kept until purged by hand), GTID mode ({@code ON} on
     * MariaDB, which always writes GTIDs), {@code binlog_transaction_compression} (MySQL 8.0.20+; NULL where the
     * server cannot compress its log).
     */
    public String settings() {
        String metadata = server.isMariaDb() ? (server.atLeast(10, 5, 0) ? "@@GLOBAL.binlog_row_metadata" : "NULL")
                : (server.atLeast(8, 0, 1) ? "@@GLOBAL.binlog_row_metadata" : "NULL");
        String retention = server.isMariaDb() && !server.atLeast(10, 6, 1) || !server.isMariaDb() && !server.atLeast(8, 0, 1)
                ? "@@GLOBAL.expire_logs_days * 86400" : "@@GLOBAL.binlog_expire_logs_seconds";
        String gtidMode = server.isMariaDb() ? "'ON'" : "@@GLOBAL.gtid_mode";
        String compression = !server.isMariaDb() && server.atLeast(8, 0, 20)
                ? "@@GLOBAL.binlog_transaction_compression" : "NULL";
        return "SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image, " + metadata + ", "
                + retention + ", " + gtidMode + ", " + compression;
    }

    /** The variable that holds the retention {@link #settings()} reads. */
    public String retentionVariable() {
        return server.isMariaDb() && !server.atLeast(10, 6, 1) || !server.isMariaDb() && !server.atLeast(8, 0, 1)
                ? "expire_logs_days" : "binlog_expire_logs_seconds";
    }

    /** Beside {@code REPLICATION SLAVE} (read the log), the privilege to see where it stands. */
    public List<String> requiredPrivileges() {
        return List.of("REPLICATION SLAVE", server.isMariaDb() && server.atLeast(10, 5, 2) ? "BINLOG MONITOR"
                : "REPLICATION CLIENT");
    }

    /** For messages: the statement an administrator runs to grant what is missing. */
    public String grant(List<String> privileges, String user) {
        return "GRANT " + String.join(", ", privileges) + " ON *.* TO " + user;
    }

    /**
     * For messages: how to set a global variable for good. MySQL persists it; MariaDB has no SET PERSIST, so the
     * server's configuration file must say it too.
     */
    public String setGlobal(String variable, String value) {
        return server.isMariaDb()
                ? "SET GLOBAL " + variable + " = " + value + " and " + variable + "=" + value.replace("'", "")
                        + " in the server's configuration file"
                : "SET PERSIST " + variable + " = " + value;
    }

    /**
     * Which server wrote the log, in {@code BinlogPosition}'s form. MariaDB has no server UUID: its server id and
     * a hash of host name, port and data directory stand in (see {@link Dialect#serverIdentity()}).
     */
    public String serverIdentity() {
        return server.isMariaDb()
                ? "SELECT CONCAT('mariadb:', @@server_id, ':', LEFT(SHA2(CONCAT_WS(' ', @@hostname, @@port, @@datadir),"
                        + " 256), 12))"
                : "SELECT CONCAT('mysql:', @@server_uuid)";
    }

    /** The source's clock now, as epoch seconds with microseconds (the time of a position read just before). */
    public String sourceTime() {
        return "SELECT UNIX_TIMESTAMP(NOW(6))";
    }

    /** The transactions the log holds so far: where a new position starts. */
    public String currentGtids() {
        return server.isMariaDb() ? "SELECT @@GLOBAL.gtid_binlog_pos" : "SELECT @@GLOBAL.gtid_executed";
    }

    /** The current file and offset (first two columns). MySQL 8.2 renamed it; 8.4 removed the old name. */
    public String logStatus() {
        return !server.isMariaDb() && server.atLeast(8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    /** Real replicas registered with this server; column {@code Server_id}. MySQL 8.0.22 renamed it. */
    public String replicaHosts() {
        return !server.isMariaDb() && server.atLeast(8, 0, 22) ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS";
    }

    /** The server's own id: a client with the same id would be taken for the server itself. */
    public static final String SERVER_ID = "SELECT @@GLOBAL.server_id";

    /**
     * The server's clock as microseconds since the epoch, whatever the session's time zone: the source time up to
     * which an idle stream is complete.
     */
    public static final String SERVER_TIME_MICROS =
            "SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6))";

    /**
     * MariaDB: the GTID position at the start of the binlog file bound as the parameter, i.e. every transaction
     * of files purged before it; for the oldest file listed, where the log the server still has begins.
     */
    public static final String MARIADB_GTIDS_AT_FILE_START = "SELECT BINLOG_GTID_POS(?, 4)";

    /** MySQL: the transactions no longer in any binlog file the server has ({@code gtid_purged}). */
    public static final String MYSQL_PURGED_GTIDS = "SELECT @@GLOBAL.gtid_purged";
}
