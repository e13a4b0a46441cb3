package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

class BinlogDialectTest {

    static final BinlogDialect MYSQL_8_0 = new BinlogDialect(ServerVersion.mysql(8, 0, 31));
    static final BinlogDialect MYSQL_8_4 = new BinlogDialect(ServerVersion.mysql(8, 4, 0));
    static final BinlogDialect MARIADB = new BinlogDialect(ServerVersion.mariadb(10, 11, 9));

    @Test
    void shouldReadGlobalSettingsWithEachFlavoursNames() {
        assertEquals("SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image,"
                + " @@GLOBAL.binlog_row_metadata, @@GLOBAL.binlog_expire_logs_seconds, @@GLOBAL.gtid_mode,"
                + " @@GLOBAL.binlog_transaction_compression", MYSQL_8_0.settings());
        assertEquals("SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image,"
                + " @@GLOBAL.binlog_row_metadata, @@GLOBAL.binlog_expire_logs_seconds, @@GLOBAL.gtid_mode, NULL",
                new BinlogDialect(ServerVersion.mysql(8, 0, 19)).settings());
        assertEquals("SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image,"
                + " @@GLOBAL.binlog_row_metadata, @@GLOBAL.binlog_expire_logs_seconds, 'ON', NULL", MARIADB.settings());
        assertEquals("SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image, NULL,"
                + " @@GLOBAL.expire_logs_days * 86400, 'ON', NULL", new BinlogDialect(ServerVersion.mariadb(10, 4, 0)).settings());
        assertEquals(List.of("REPLICATION SLAVE", "REPLICATION CLIENT"), MYSQL_8_0.requiredPrivileges());
        assertEquals(List.of("REPLICATION SLAVE", "BINLOG MONITOR"), MARIADB.requiredPrivileges());
    }

    @Test
    void shouldNameTheLogStatementsOfEachVersion() {
        assertEquals("SHOW MASTER STATUS", MYSQL_8_0.logStatus());
        assertEquals("SHOW BINARY LOG STATUS", MYSQL_8_4.logStatus());
        assertEquals("SHOW MASTER STATUS", MARIADB.logStatus());
        assertEquals("SHOW REPLICAS", MYSQL_8_0.replicaHosts());
        assertEquals("SHOW SLAVE HOSTS", MARIADB.replicaHosts());
        assertEquals("SELECT @@GLOBAL.gtid_executed", MYSQL_8_0.currentGtids());
        assertEquals("SELECT @@GLOBAL.gtid_binlog_pos", MARIADB.currentGtids());
        assertEquals("SELECT CONCAT('mysql:', @@server_uuid)", MYSQL_8_0.serverIdentity());
        assertEquals("SELECT CONCAT('mariadb:', @@server_id, ':', LEFT(SHA2(CONCAT_WS(' ', @@hostname, @@port,"
                + " @@datadir), 256), 12))", MARIADB.serverIdentity());
    }

    /** Every statement runs on the test source, whose flavour picks the dialect. */
    @Test
    void shouldRunEveryStatementOnTheTestSource() throws SQLException {
        TestServer source = TestServers.get().source();
        try (Connection c = source.connect(""); Statement s = c.createStatement()) {
            BinlogDialect dialect = new BinlogDialect(ServerVersion.parse(one(s, Dialect.VERSION)));
            for (String sql : List.of(dialect.settings(), dialect.currentGtids(), dialect.logStatus(),
                    dialect.replicaHosts(), dialect.serverIdentity(), BinlogDialect.BINARY_LOGS,
                    BinlogDialect.DUMP_THREADS, BinlogDialect.GRANTED_PRIVILEGES, BinlogDialect.CURRENT_USER,
                    BinlogDialect.SERVER_ID)) {
                s.execute(sql);
            }
            assertEquals("ROW", oneColumn(s, dialect.settings(), 2));
            long serverMicros = Long.parseLong(one(s, BinlogDialect.SERVER_TIME_MICROS));
            long micros = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now());
            assertEquals(micros, serverMicros, 5_000_000, "the server's clock as epoch microseconds, any time zone");
            if (dialect.isMariaDb()) {
                try (var ps = c.prepareStatement(BinlogDialect.MARIADB_GTIDS_AT_FILE_START)) {
                    ps.setString(1, oneColumn(s, BinlogDialect.BINARY_LOGS, 1));
                    ps.executeQuery().close();
                }
            } else {
                s.execute(BinlogDialect.MYSQL_PURGED_GTIDS);
            }
            String identity = one(s, dialect.serverIdentity());
            new dev.tablesync.binlog.BinlogPosition(identity, java.util.Optional.empty(), "binlog.000001", 4);
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        return oneColumn(s, sql, 1);
    }

    private static String oneColumn(Statement s, String sql, int column) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(column);
        }
    }
}
