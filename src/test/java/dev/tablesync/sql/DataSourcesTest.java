package dev.tablesync.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;
import io.agroal.api.AgroalDataSource;

/** The pools behind every connection: how they find the JDBC driver and which URLs they refuse. */
class DataSourcesTest {

    /**
     * In a native image DriverManager's driver list is whatever it held at build time, possibly
     * nothing: pools must not depend on it. Emptying the list here is the JVM's closest equivalent.
     */
    @Test
    void shouldConnectWhenDriverManagerKnowsNoDriver() throws SQLException {
        TestServer server = TestServers.get().source();
        server.recreateDatabase("datasources_src");
        List<Driver> registered = DriverManager.drivers().toList();
        for (Driver driver : registered) {
            DriverManager.deregisterDriver(driver);
        }
        try (AgroalDataSource pool = DataSources.pool("source", server.jdbcUrl("datasources_src"), server.username(),
                server.password(), 1); Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
        } finally {
            for (Driver driver : registered) {
                DriverManager.registerDriver(driver);
            }
        }
    }

    @Test
    void shouldSetTheLockTimeoutRoundedUpToWholeSecondsOnEveryPooledSession() throws SQLException {
        TestServer server = TestServers.get().source();
        server.recreateDatabase("datasources_locks");
        try (AgroalDataSource pool = DataSources.pool("source", server.jdbcUrl("datasources_locks"),
                server.username(), server.password(), 1, java.time.Duration.ofMillis(1500));
                Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@SESSION.lock_wait_timeout, @@SESSION.innodb_lock_wait_timeout")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1));
            assertEquals(2, rs.getInt(2));
        }
    }

    @Test
    void shouldRefuseAUrlTheDriverDoesNotTakeNamingTheKeyButNotTheUrl() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DataSources.pool("dst", "jdbc:mariadb://copy:s3cret-Pw@db:3306/copy", null, null, 1));

        assertTrue(e.getMessage().contains("tablesync.connections.dst.url"), e.getMessage());
        assertTrue(e.getMessage().contains("'jdbc:mariadb:'"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc:mysql://host:port/database"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-Pw"), e.getMessage());
    }

    @Test
    void shouldAskEachConnectionsDefaultSchemaOnceAndAskAgainWhileItHasNone() throws SQLException {
        TestServer server = TestServers.get().source();
        server.recreateDatabase("datasources_db");
        try (DataSources ds = new DataSources(java.util.Map.of(
                "named", DataSources.pool("named", server.jdbcUrl("datasources_db"), server.username(),
                        server.password(), 1),
                "none", DataSources.pool("none", server.jdbcUrl(""), server.username(), server.password(), 1)))) {
            try (Connection c = ds.connect("named")) {
                assertEquals("datasources_db", ds.defaultSchema("named", c));
                try (Statement s = c.createStatement()) {
                    s.execute("USE mysql");
                }
                assertEquals("datasources_db", ds.defaultSchema("named", c), "asked once, from the pool's URL");
                try (Statement s = c.createStatement()) {
                    s.execute("USE datasources_db");
                }
            }
            for (int i = 0; i < 2; i++) {
                try (Connection c = ds.connect("none")) {
                    SQLException e = assertThrows(SQLException.class, () -> ds.defaultSchema("none", c));
                    assertTrue(e.getMessage().contains("no default database"), e.getMessage());
                }
            }
        }
    }
}
