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
    void shouldRefuseAUrlTheDriverDoesNotTakeNamingTheKeyButNotTheUrl() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DataSources.pool("dst", "jdbc:mariadb://copy:s3cret-Pw@db:3306/copy", null, null, 1));

        assertTrue(e.getMessage().contains("tablesync.connections.dst.url"), e.getMessage());
        assertTrue(e.getMessage().contains("'jdbc:mariadb:'"), e.getMessage());
        assertTrue(e.getMessage().contains("jdbc:mysql://host:port/database"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-Pw"), e.getMessage());
    }
}
