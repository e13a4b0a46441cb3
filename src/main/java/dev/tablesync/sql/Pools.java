package dev.tablesync.sql;

import java.sql.SQLException;
import java.time.Duration;

import com.mysql.cj.jdbc.Driver;

import dev.tablesync.config.JdbcUrl;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalConnectionFactoryConfigurationSupplier;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

/** How {@link DataSources} builds the Agroal pool of one connection. */
final class Pools {

    /** The only directory a server could make the driver read from; it cannot exist. */
    static final String NO_CLIENT_FILES = "/dev/null/tablesync-reads-no-client-files";

    private Pools() {
    }

    /**
     * A pool for one connection whose sessions wait at most {@code lockTimeout} (rounded up to whole
     * seconds) for a lock; {@code user} and {@code password} may be null.
     */
    static AgroalDataSource create(String name, String url, String user, String password, int maxSize,
            Duration lockTimeout) {
        requireDriverAccepts(name, url);
        String sessionSetup = Dialect.sessionSetup(Math.max(1, (lockTimeout.toMillis() + 999) / 1000));
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(maxSize).minSize(0).initialSize(0)
                        // A server restart leaves dead connections in the pool: check each before
                        // use (a ping) and drop any that failed with a connection error.
                        .validateOnBorrow(true)
                        .connectionValidator(ConnectionValidator.defaultValidatorWithTimeout(5))
                        .exceptionSorter(ExceptionSorter.defaultExceptionSorter())
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        .validationTimeout(Duration.ofSeconds(60))
                        .reapTimeout(Duration.ofMinutes(5))
                        .connectionFactoryConfiguration(factory -> connection(factory, url, sessionSetup, user,
                                password)));
        try {
            return AgroalDataSource.from(config);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the pool for connection '" + name + "': " + e.getMessage(),
                    e);
        }
    }

    /** How each connection of a pool is opened: driver, URL, session set-up, driver properties, credentials. */
    private static AgroalConnectionFactoryConfigurationSupplier connection(
            AgroalConnectionFactoryConfigurationSupplier factory, String url, String sessionSetup, String user,
            String password) {
        // Named, not looked up through DriverManager: in a native image DriverManager's
        // driver list is fixed at build time, while quarkus-jdbc-mysql registers this
        // class for reflection (how Agroal instantiates it) in every mode.
        factory.connectionProviderClass(Driver.class)
                .jdbcUrl(url).initialSql(sessionSetup)
                .jdbcProperty("useAffectedRows", "true")
                .jdbcProperty("characterEncoding", "UTF-8")
                // Without it results come in each column's own charset, and raw
                // bytes of a latin1 column would be read as UTF-8.
                .jdbcProperty("characterSetResults", "UTF-8")
                .jdbcProperty("connectTimeout", "10000")
                .jdbcProperty("tcpKeepAlive", "true")
                .jdbcProperty("allowLoadLocalInfile", "false")
                // Announces LOAD DATA LOCAL to the server for snapshot bulk loads,
                // which send an in-memory stream; a file the server names must lie
                // under this path, and no file can (/dev/null is not a directory).
                .jdbcProperty("allowLoadLocalInfileInPath", NO_CLIENT_FILES)
                .jdbcProperty("cachePrepStmts", "true")
                .jdbcProperty("prepStmtCacheSize", "50")
                // Multi-row upserts are long: without this the driver parses the
                // statement text again for every batch (a quarter of the CPU).
                .jdbcProperty("prepStmtCacheSqlLimit", "1048576");
        if (user != null) {
            factory.principal(new NamePrincipal(user));
        }
        if (password != null) {
            factory.credential(new SimplePassword(password));
        }
        return factory;
    }

    /**
     * With the driver named explicitly Agroal only warns about a URL it does not take and fails on
     * every connection later; refuse it at start-up instead. The URL itself may hold a password, so
     * only its scheme is quoted.
     */
    private static void requireDriverAccepts(String name, String url) {
        boolean accepted;
        try {
            accepted = new Driver().acceptsURL(url);
        } catch (SQLException e) {
            accepted = false;
        }
        if (!accepted) {
            throw new IllegalStateException("cannot create the pool for connection '" + name
                    + "': the MySQL driver (Connector/J) does not accept " + JdbcUrl.describe(url)
                    + "; write tablesync.connections." + name + ".url as jdbc:mysql://host:port/database"
                    + " (it serves MariaDB servers too)");
        }
    }
}
