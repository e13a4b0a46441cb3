package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.sql.ServerVersion;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;

/** Each precondition's message, produced by a real server that misses exactly that precondition. */
class BinlogPreconditionsTest {

    static final String DB = "binlog_pre";
    static final String PASSWORD = "s3cret-Pre";
    static TestServer source;
    static BinlogDialect dialect;
    static boolean mariadb;
    static BinlogPreconditions preconditions;

    @BeforeAll
    static void setUp() {
        source = TestServers.get().source();
        source.recreateDatabase(DB);
        mariadb = source.flavor().equals("mariadb");
        dialect = new BinlogDialect(ServerVersion.parse(Queries.one(source, "SELECT VERSION()")));
        preconditions = new BinlogPreconditions(dialect, "shop");
        String monitor = mariadb ? "BINLOG MONITOR" : "REPLICATION CLIENT";
        createUser("pre_full", "REPLICATION SLAVE, " + monitor);
        createUser("pre_slave_only", "REPLICATION SLAVE");
        createUser("pre_none", "SELECT");
    }

    @AfterAll
    static void tearDown() {
        for (String user : List.of("pre_full", "pre_slave_only", "pre_none")) {
            source.execute(DB, "DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    private static void createUser(String user, String privileges) {
        source.execute(DB, "DROP USER IF EXISTS '" + user + "'@'%'",
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT " + privileges + " ON *.* TO '" + user + "'@'%'");
    }

    private static List<String> problemsAs(TestServer server, String user, Duration maxLag) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(""), user, PASSWORD)) {
            return preconditions.problems(c, "orders", maxLag);
        }
    }

    private static List<String> problemsAsRoot(TestServer server, Duration maxLag) throws SQLException {
        try (Connection c = server.connect("")) {
            return preconditions.problems(c, "orders", maxLag);
        }
    }

    @Test
    void shouldAcceptTheTestSourceForAUserWithTheReplicationPrivileges() throws SQLException {
        assertEquals(List.of(), problemsAs(source, "pre_full", Duration.ofMinutes(15)));
    }

    @Test
    void shouldNameTheMissingPrivilegeAndTheGrantThatAddsIt() throws SQLException {
        String monitor = mariadb ? "BINLOG MONITOR" : "REPLICATION CLIENT";
        assertEquals(List.of("User 'pre_slave_only'@'%' lacks " + monitor + " on source connection 'shop' of mapping"
                + " 'orders'; binlog capture needs REPLICATION SLAVE and " + monitor + " (granted directly, not through"
                + " a role): GRANT " + monitor + " ON *.* TO 'pre_slave_only'@'%'."),
                problemsAs(source, "pre_slave_only", Duration.ofMinutes(15)));
        List<String> none = problemsAs(source, "pre_none", Duration.ofMinutes(15));
        assertEquals(1, none.size(), none.toString());
        assertTrue(none.get(0).contains("lacks REPLICATION SLAVE and " + monitor)
                && none.get(0).endsWith("GRANT REPLICATION SLAVE, " + monitor + " ON *.* TO 'pre_none'@'%'."), none.get(0));
    }

    @Test
    void shouldAskForRowFormatNamingTheStatementThatSetsIt() throws SQLException {
        source.execute(DB, "SET GLOBAL binlog_format = 'STATEMENT'");
        try {
            List<String> problems = problemsAsRoot(source, Duration.ofMinutes(15));
            String fix = mariadb ? "SET GLOBAL binlog_format = 'ROW' and binlog_format=ROW in the server's configuration file"
                    : "SET PERSIST binlog_format = 'ROW'";
            assertEquals(List.of("binlog_format is STATEMENT on source connection 'shop' of mapping 'orders'; binlog"
                    + " capture needs ROW: " + fix + ". Sessions already connected keep writing their old format until"
                    + " they reconnect."), problems);
        } finally {
            source.execute(DB, "SET GLOBAL binlog_format = 'ROW'");
        }
    }

    @Test
    void shouldAskForFullRowImages() throws SQLException {
        source.execute(DB, "SET GLOBAL binlog_row_image = 'MINIMAL'");
        try {
            List<String> problems = problemsAsRoot(source, Duration.ofMinutes(15));
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("binlog_row_image is MINIMAL on source connection 'shop' of mapping"
                    + " 'orders'; binlog capture needs FULL: " + (mariadb ? "SET GLOBAL" : "SET PERSIST")
                    + " binlog_row_image = 'FULL'"), problems.get(0));
        } finally {
            source.execute(DB, "SET GLOBAL binlog_row_image = 'FULL'");
        }
    }

    @Test
    void shouldRefuseARetentionShorterThanMaxLag() throws SQLException {
        String before = Queries.one(source, "SELECT @@GLOBAL.binlog_expire_logs_seconds");
        source.execute(DB, "SET GLOBAL binlog_expire_logs_seconds = 3600");
        try {
            assertEquals(List.of(), problemsAsRoot(source, Duration.ofMinutes(30)));
            List<String> problems = problemsAsRoot(source, Duration.ofHours(2));
            assertEquals(List.of("The binary log on source connection 'shop' of mapping 'orders' is kept 1h"
                    + " (binlog_expire_logs_seconds), less than the mapping's max-lag 2h: a mapping that falls that far"
                    + " behind finds its position purged and must copy the table again. Keep it longer ("
                    + (mariadb ? "SET GLOBAL binlog_expire_logs_seconds = 7200 and binlog_expire_logs_seconds=7200 in"
                            + " the server's configuration file" : "SET PERSIST binlog_expire_logs_seconds = 7200")
                    + ") or lower tablesync.mappings.orders.max-lag."), problems);
        } finally {
            source.execute(DB, "SET GLOBAL binlog_expire_logs_seconds = " + before);
        }
    }

    /** MySQL 8.0.20+ compresses transactions on request; MariaDB has no such variable and passes. */
    @Test
    void shouldRefuseTransactionCompressionNamingTheMappingAndTheStatementThatTurnsItOff() throws SQLException {
        if (mariadb) {
            assertThrows(IllegalStateException.class, () -> Queries.one(source,
                    "SELECT @@GLOBAL.binlog_transaction_compression"), "MariaDB has no such variable");
            assertEquals(List.of(), problemsAsRoot(source, Duration.ofMinutes(15)));
            return;
        }
        source.execute(DB, "SET GLOBAL binlog_transaction_compression = ON");
        try {
            assertEquals(List.of("binlog_transaction_compression is ON on source connection 'shop' of mapping"
                    + " 'orders': the source writes each transaction as one compressed payload, which"
                    + " tablesync.mappings.orders.mode=binlog cannot read. Turn it off: SET PERSIST"
                    + " binlog_transaction_compression = OFF (or SET GLOBAL binlog_transaction_compression = OFF and"
                    + " binlog_transaction_compression=OFF in my.cnf). Sessions already connected keep compressing"
                    + " until they reconnect."), problemsAsRoot(source, Duration.ofMinutes(15)));
        } finally {
            source.execute(DB, "SET GLOBAL binlog_transaction_compression = OFF");
        }
    }

    @Test
    void shouldSayTheBinaryLogIsOffOnAServerWithoutOne() throws SQLException {
        TestServer target = TestServers.get().target(); // the tests' targets run without a binary log
        BinlogPreconditions onTarget = new BinlogPreconditions(
                new BinlogDialect(ServerVersion.parse(Queries.one(target, "SELECT VERSION()"))), "warehouse");
        try (Connection c = target.connect("")) {
            assertEquals(List.of("The binary log is off on source connection 'warehouse' of mapping 'orders'"
                    + " (log_bin=OFF), and mode=binlog reads it: start the server with log_bin (--log-bin, and a"
                    + " --server-id) and binlog_format=ROW (a restart), or use mode=timestamp for this mapping."),
                    onTarget.problems(c, "orders", Duration.ofMinutes(15)));
        }
    }
}
