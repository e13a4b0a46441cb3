package dev.tablesync.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tablesync.config.Settings;
import io.agroal.api.AgroalDataSource;

/**
 * One Agroal pool per configured connection, created at start-up from runtime configuration so
 * one binary serves any topology. Pools connect lazily: an unreachable server fails only the
 * mappings that use it, never the start-up. What servers tell about themselves is remembered.
 */
@Singleton
public final class DataSources implements AutoCloseable {

    /** The default of {@code tablesync.lock-timeout}, for pools made without configuration (tests, tools). */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(DataSources.class);

    private final Map<String, AgroalDataSource> pools;
    private final Map<String, Dialect> dialects = new ConcurrentHashMap<>();
    private final Map<String, Long> statementLimits = new ConcurrentHashMap<>();
    private final Map<String, String> defaultSchemas = new ConcurrentHashMap<>();
    private final Map<String, ServerIdentity> identities = new ConcurrentHashMap<>();
    private final Map<String, Object> setUpLocks = new ConcurrentHashMap<>();
    private final java.util.Set<String> prepared = ConcurrentHashMap.newKeySet();
    /** Handed out and maybe not closed yet, so shutdown can abort the connections of stuck runs. */
    private final java.util.Set<Connection> handedOut = ConcurrentHashMap.newKeySet();

    public DataSources(Map<String, AgroalDataSource> pools) {
        this.pools = new TreeMap<>(pools);
    }

    /** One pool per {@code tablesync.connections.<name>}. */
    @Inject
    public DataSources(Settings settings) {
        this(pools(settings.connections(), settings.lockTimeout()));
    }

    private static Map<String, AgroalDataSource> pools(Map<String, Settings.Connection> connections, Duration lock) {
        Map<String, AgroalDataSource> pools = new TreeMap<>();
        connections.forEach((name, c) -> pools.put(name, pool(name, c.url(), c.username().orElse(null),
                c.password().orElse(null), c.maxPoolSize(), lock)));
        return pools;
    }

    /** A pool for one connection with the default lock timeout; {@code user} and {@code password} may be null. */
    public static AgroalDataSource pool(String name, String url, String user, String password, int maxSize) {
        return pool(name, url, user, password, maxSize, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * A pool for one connection whose sessions wait at most {@code lockTimeout} (rounded up to whole
     * seconds) for a lock; {@code user} and {@code password} may be null.
     */
    public static AgroalDataSource pool(String name, String url, String user, String password, int maxSize,
            Duration lockTimeout) {
        return Pools.create(name, url, user, password, maxSize, lockTimeout);
    }

    public Connection connect(String name) throws SQLException {
        AgroalDataSource pool = pools.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("no connection named '" + name + "'");
        }
        try {
            Connection c = pool.getConnection();
            handedOut.removeIf(DataSources::closed);
            handedOut.add(c);
            return c;
        } catch (SQLException e) {
            // Keep SQLState and code: they decide whether the failure is transient.
            throw new SQLException("cannot connect to connection '" + name + "': " + e.getMessage(), e.getSQLState(),
                    e.getErrorCode(), e);
        }
    }

    /** The dialect of a connection's server, asked once on first use. */
    public Dialect dialect(String name, Connection connection) throws SQLException {
        return remembered(dialects, name, () -> {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(Dialect.VERSION)) {
                rs.next();
                Dialect dialect = new Dialect(ServerVersion.parse(rs.getString(1)));
                LOG.infof("Connection %s: %s", name, dialect.server());
                return dialect;
            }
        });
    }

    private interface Question<T> {
        T ask() throws SQLException;
    }

    /** Remembered, else asked now (by two runs at once, maybe: the answers are equal) and remembered unless null. */
    private static <T> T remembered(Map<String, T> answers, String name, Question<T> question) throws SQLException {
        T known = answers.get(name);
        if (known != null) {
            return known;
        }
        T answer = question.ask();
        if (answer != null) {
            answers.put(name, answer);
        }
        return answer;
    }

    /**
     * A connection's default schema ({@code SELECT DATABASE()}), asked once per connection name: the
     * pool's JDBC URL fixes it, and nothing here ever switches a pooled session to another schema
     * (no {@code USE}, no {@code setCatalog}). A connection without one is asked again each time,
     * so its error stays the same.
     */
    public String defaultSchema(String name, Connection connection) throws SQLException {
        return remembered(defaultSchemas, name, () -> SchemaReader.defaultSchema(connection));
    }

    /**
     * Which server a connection reaches, asked once per connection name: a pool's URL fixes its
     * server, and a server's identity does not change while it runs.
     */
    public ServerIdentity serverIdentity(String name, Connection connection) throws SQLException {
        return remembered(identities, name, () -> {
            String sql = dialect(name, connection).serverIdentity();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return new ServerIdentity(rs.getString(1), rs.getInt(2) != 0);
            }
        });
    }

    /**
     * How a replication client reaches the server of connection {@code name} as its pool does: the host and port
     * the open {@code connection} is connected to, and the pool's user and password (never logged).
     */
    public record Login(String host, int port, String user, String password) {
        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    public Login login(String name, Connection connection) throws SQLException {
        String hostPort = connection.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).getHostPortPair();
        int colon = hostPort.lastIndexOf(':');
        var factory = pools.get(name).getConfiguration().connectionPoolConfiguration()
                .connectionFactoryConfiguration();
        String user = factory.principal() == null ? "" : factory.principal().getName();
        String password = factory.credentials().stream().filter(c -> c instanceof io.agroal.api.security.SimplePassword)
                .map(c -> ((io.agroal.api.security.SimplePassword) c).getWord()).findFirst().orElse("");
        return new Login(colon < 0 ? hostPort : hostPort.substring(0, colon),
                colon < 0 ? 3306 : Integer.parseInt(hostPort.substring(colon + 1)), user, password);
    }

    /**
     * The largest statement to send to a connection's server: half its max_allowed_packet (escaping
     * may double a value), at most 8 MiB. Asked once per connection, not on every run.
     */
    public long maxStatementBytes(String name, Connection connection) throws SQLException {
        return remembered(statementLimits, name, () -> {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(Dialect.MAX_PACKET)) {
                long packet = rs.next() ? rs.getLong(1) : 4L << 20;
                return Math.max(64 * 1024, Math.min(8L << 20, packet / 2));
            }
        });
    }

    /** A one-time set-up step, such as creating state tables. */
    public interface SetUp {
        void run() throws SQLException;
    }

    /**
     * Runs {@code setUp} once per process for {@code key}. Concurrent callers wait for the first
     * to finish, so nobody proceeds before the set-up is done; a failed set-up is tried again.
     */
    public void once(String key, SetUp setUp) throws SQLException {
        if (prepared.contains(key)) {
            return;
        }
        synchronized (setUpLocks.computeIfAbsent(key, k -> new Object())) {
            if (!prepared.contains(key)) {
                setUp.run();
                prepared.add(key);
            }
        }
    }

    private static boolean closed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Aborts every connection handed out and not closed yet: closes its socket without waiting for
     * the statement it runs (closing would wait for it), so a run stuck on a lock fails at once and
     * the server rolls back its open transaction. For shutdown only.
     *
     * @return how many connections were aborted
     */
    public int abortInUse() {
        int aborted = 0;
        for (Connection c : handedOut) {
            handedOut.remove(c);
            if (closed(c)) {
                continue;
            }
            try {
                // The pool's wrapper does not pass abort() on to the driver's connection.
                c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class).abort(Runnable::run);
                aborted++;
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("A connection was not aborted: %s", e.getMessage());
            }
        }
        return aborted;
    }

    public Map<String, AgroalDataSource> pools() {
        return pools;
    }

    @Override
    @PreDestroy
    public void close() {
        pools.values().forEach(AgroalDataSource::close);
    }
}
