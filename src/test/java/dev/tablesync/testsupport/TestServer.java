package dev.tablesync.testsupport;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One real MySQL-compatible server used by tests.
 *
 * <p>Tests talk to real servers rather than mocks because the behaviour under test (binlog positions,
 * upserts, transactions, crash recovery) only exists in a real server. Obtain instances from
 * {@link TestServers#get()}, never construct them directly, so that the whole JVM shares one pair.
 */
public interface TestServer {

    /** {@code "mariadb"} or {@code "mysql"}, as reported by the server itself, so tests can branch on dialect. */
    String flavor();

    /** Host name or address that JDBC clients must use. */
    String host();

    /** TCP port that JDBC clients must use. */
    int port();

    /** User with full privileges (root in every backend). */
    String username();

    /** Password of {@link #username()}; may be empty but never {@code null}. */
    String password();

    /** {@code jdbc:mysql://host:port/database}, without extra parameters, so callers can append their own. */
    String jdbcUrl(String database);

    /** A plain {@link java.sql.DriverManager} connection; the caller closes it. */
    Connection connect(String database) throws SQLException;

    /** Drops and creates {@code name} (utf8mb4, utf8mb4_unicode_ci) so each test starts from an empty database. */
    void recreateDatabase(String name);

    /**
     * Runs the statements in order in auto-commit mode.
     *
     * @throws IllegalStateException naming the failed statement, so test failures are readable without a debugger
     */
    void execute(String database, String... sql);

    /** True only when {@link #stop()}, {@link #kill()} and {@link #start()} are supported (local mariadbd or mysqld). */
    boolean restartable();

    /** Graceful shutdown; throws {@link UnsupportedOperationException} unless {@link #restartable()}. */
    void stop();

    /** Hard kill (SIGKILL) to simulate a crash; throws {@link UnsupportedOperationException} unless restartable. */
    void kill();

    /**
     * Starts the server again on the same port and data directory and waits until it accepts connections.
     * Does nothing when it is already running, so cleanup code may call it unconditionally. Throws
     * {@link UnsupportedOperationException} unless {@link #restartable()}.
     */
    void start();
}
