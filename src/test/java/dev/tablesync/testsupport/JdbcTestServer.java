package dev.tablesync.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A server reached over JDBC. It implements everything that needs nothing but a connection; process control,
 * when there is any, is delegated to {@link Controls}, so the same class serves external servers, containers
 * and local mariadbd processes, whichever class loader the test runs in.
 */
class JdbcTestServer implements TestServer {

    /**
     * Stop, kill and start actions of a restartable server, as plain {@link Runnable}s so that they can be called
     * from any class loader (see {@link SharedServers}).
     */
    record Controls(Runnable stop, Runnable kill, Runnable start) {
    }

    static {
        try {
            // Registers this class loader's copy of the driver; DriverManager only hands a connection to callers
            // whose class loader can see the driver, and Quarkus tests load their own copy.
            Class.forName("com.mysql.cj.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            // DriverManager will then report "No suitable driver", which says it all.
        }
    }

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final Controls controls;
    private volatile String version;

    /** A server whose lifecycle the tests do not control. */
    JdbcTestServer(String host, int port, String username, String password) {
        this(host, port, username, password, null);
    }

    /** @param controls null when the server is not restartable */
    JdbcTestServer(String host, int port, String username, String password, Controls controls) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password == null ? "" : password;
        this.controls = controls;
    }

    @Override
    public String flavor() {
        return version().contains("MariaDB") ? "mariadb" : "mysql";
    }

    /** Full {@code SELECT VERSION()} string, cached because it cannot change while the JVM runs. */
    String version() {
        String known = version;
        if (known == null) {
            known = queryString("SELECT VERSION()");
            version = known;
        }
        return known;
    }

    /** First column of the first row of {@code sql}, for diagnostics such as {@code @@log_bin}. */
    String queryString(String sql) {
        try (Connection connection = connect("");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Query failed on " + address() + ": " + sql, e);
        }
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + (database == null ? "" : database);
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), username, password);
    }

    @Override
    public void recreateDatabase(String name) {
        String quoted = "`" + name.replace("`", "``") + "`";
        execute("",
                "DROP DATABASE IF EXISTS " + quoted,
                "CREATE DATABASE " + quoted + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    @Override
    public void execute(String database, String... sql) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                runOne(statement, each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + jdbcUrl(database) + " as " + username, e);
        }
    }

    private void runOne(Statement statement, String sql) {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed on " + address() + ": " + sql, e);
        }
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }

    @Override
    public boolean restartable() {
        return controls != null;
    }

    @Override
    public void stop() {
        controls().stop().run();
    }

    @Override
    public void kill() {
        controls().kill().run();
    }

    @Override
    public void start() {
        controls().start().run();
    }

    private Controls controls() {
        if (controls == null) {
            throw new UnsupportedOperationException(
                    "Server " + address() + " is not controlled by the tests; check restartable() first");
        }
        return controls;
    }
}
