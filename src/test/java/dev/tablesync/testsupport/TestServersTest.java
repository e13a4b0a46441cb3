package dev.tablesync.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Proves the harness hands out what the other tests rely on: two distinct, real, usable servers. */
class TestServersTest {

    private static final String DATABASE = "testsupport_selftest";

    private final TestServers servers = TestServers.get();

    @Test
    void sourceAndTargetAreDifferentServers() throws SQLException {
        TestServer source = servers.source();
        TestServer target = servers.target();
        boolean sameEndpoint = source.host().equals(target.host()) && source.port() == target.port();
        boolean sameId = query(source, "SELECT @@server_id").equals(query(target, "SELECT @@server_id"));
        assertTrue(!sameEndpoint || !sameId, servers.describe());
        assertTrue(servers.describe().contains(":" + source.port()), servers.describe());
    }

    @Test
    void sourceHasBinlogOn() throws SQLException {
        assertEquals("1", query(servers.source(), "SELECT @@log_bin"), servers.describe());
    }

    /** What binlog capture needs: ROW events carrying every column and the columns' names and members. */
    @Test
    void sourceLogsFullRowImagesWithFullMetadata() throws SQLException {
        TestServer source = servers.source();
        assertEquals("ROW FULL FULL", query(source,
                "SELECT CONCAT_WS(' ', @@binlog_format, @@binlog_row_image, @@binlog_row_metadata)"),
                servers.describe());
    }

    @Test
    void flavorMatchesTheServer() throws SQLException {
        TestServer source = servers.source();
        String expected = query(source, "SELECT VERSION()").contains("MariaDB") ? "mariadb" : "mysql";
        assertEquals(expected, source.flavor());
    }

    @Test
    void recreateDatabaseGivesAnEmptyUtf8mb4Database() throws SQLException {
        TestServer target = servers.target();
        target.recreateDatabase(DATABASE);
        target.execute(DATABASE, "CREATE TABLE leftover (id INT PRIMARY KEY)", "INSERT INTO leftover VALUES (1)");

        target.recreateDatabase(DATABASE);

        assertEquals("0", query(target,
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + DATABASE + "'"));
        assertEquals("utf8mb4_unicode_ci", query(target, "SELECT default_collation_name"
                + " FROM information_schema.schemata WHERE schema_name = '" + DATABASE + "'"));
    }

    @Test
    void executeNamesTheFailedStatement() {
        TestServer target = servers.target();
        target.recreateDatabase(DATABASE);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> target.execute(DATABASE, "SELECT 1", "SELECT * FROM no_such_table"));
        assertTrue(e.getMessage().contains("SELECT * FROM no_such_table"), e.getMessage());
    }

    @Test
    void killThenStartKeepsCommittedData() throws SQLException {
        TestServer source = servers.source();
        assumeTrue(source.restartable(), "only local servers can be killed");
        source.recreateDatabase(DATABASE);
        try (Connection connection = source.connect(DATABASE); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("CREATE TABLE survivor (id INT PRIMARY KEY, name VARCHAR(20))");
            statement.execute("INSERT INTO survivor VALUES (1, 'before crash')");
            statement.execute("COMMIT");
        }
        String urlBefore = source.jdbcUrl(DATABASE);

        source.kill();
        assertThrows(SQLException.class, () -> source.connect(DATABASE).close());
        source.start();

        assertEquals(urlBefore, source.jdbcUrl(DATABASE));
        assertEquals("before crash", query(source, "SELECT name FROM " + DATABASE + ".survivor WHERE id = 1"));
    }

    @Test
    void stopThenStartKeepsTheServerUsable() throws SQLException {
        TestServer target = servers.target();
        assumeTrue(target.restartable(), "only local servers can be stopped");
        target.stop();
        target.start();
        assertEquals("1", query(target, "SELECT 1"));
    }

    @Test
    void externalUrlsAreParsed() {
        JdbcTestServer server = ExternalBackend.parse("X", "jdbc:mysql://db.example:3307/ignored?x=1", "u", null);
        assertEquals("db.example", server.host());
        assertEquals(3307, server.port());
        assertEquals("", server.password());
        assertEquals("jdbc:mysql://db.example:3307/app", server.jdbcUrl("app"));
        assertNotEquals(Map.of(), Map.of("k", server.username()));
    }

    @Test
    void serverSwitchPrefersThePropertyAndIgnoresBlanks() {
        assertEquals(Optional.of("mysql"), SharedServers.requestedServer(" MySQL ", "mariadb"));
        assertEquals(Optional.of("mariadb"), SharedServers.requestedServer("", "mariadb"));
        assertEquals(Optional.empty(), SharedServers.requestedServer(null, " "));
    }

    @Test
    void serverSwitchNamesTheValidValuesWhenItIsMistyped() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SharedServers.startLocal("mysql-5.7"));
        assertTrue(e.getMessage().contains("mariadb|mysql|mysql-8.0.31|mysql-8.0.15"), e.getMessage());
        assertTrue(e.getMessage().contains(SharedServers.SERVER_PROPERTY), e.getMessage());
    }

    @Test
    void serverSwitchNamesTheValidValuesWhenOneSideOfAMixedPairIsMistyped() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SharedServers.startLocal("mysql-5.7-to-mysql"));
        assertTrue(e.getMessage().contains("'mysql-5.7'"), e.getMessage());
        assertTrue(e.getMessage().contains("mariadb-to-mysql"), e.getMessage());
    }

    private static String query(TestServer server, String sql) throws SQLException {
        try (Connection connection = server.connect("");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
