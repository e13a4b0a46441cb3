package dev.tablesync.binlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.LockName;

/**
 * A binlog client's {@code server_id}, checked against the source and held for as long as the stream runs: not the
 * source's own id, not a registered replica's ({@code SHOW REPLICAS}), and not another tablesync process's, which
 * holds the named lock {@code tablesync-binlog-id-<id>} on the source while its stream runs. Closing the claim
 * (its connection) releases the lock.
 */
public final class ServerIdClaim implements AutoCloseable {

    private static final String LOCK_PREFIX = "tablesync-binlog-id-";

    private final Connection connection;
    private final ClientServerId id;

    private ServerIdClaim(Connection connection, ClientServerId id) {
        this.connection = connection;
        this.id = id;
    }

    /**
     * Claims {@code id} on the source that {@code connection} reaches; the claim owns {@code connection} from then
     * on (a connection of its own, not a pooled one, since a named lock lives as long as its session).
     *
     * @throws IllegalStateException naming the id, who else uses it and the fix; the connection is then closed
     */
    public static ServerIdClaim claim(Connection connection, BinlogDialect dialect, ClientServerId id,
            String connectionName) throws SQLException {
        try {
            Optional<String> user = userOf(connection, dialect, id);
            if (user.isPresent()) {
                throw new IllegalStateException("The binlog client's server_id " + id + " for source connection '"
                        + connectionName + "' is already used by " + user.get() + "; two clients with one id end each"
                        + " other's streams. Give this process another id (tablesync.binlog.server-id, unique per pod;"
                        + " by default derived from the host name).");
            }
            return new ServerIdClaim(connection, id);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static Optional<String> userOf(Connection c, BinlogDialect dialect, ClientServerId id) throws SQLException {
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(BinlogDialect.SERVER_ID)) {
                if (rs.next() && rs.getLong(1) == id.value()) {
                    return Optional.of("the source server itself (@@server_id)");
                }
            }
            try (ResultSet rs = s.executeQuery(dialect.replicaHosts())) {
                while (rs.next()) {
                    if (rs.getLong("Server_id") == id.value()) {
                        return Optional.of("a replica of the source (" + dialect.replicaHosts() + ": host '"
                                + rs.getString("Host") + "', port " + rs.getString("Port") + ")");
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(Dialect.GET_LOCK)) {
            ps.setString(1, LockName.of(LOCK_PREFIX, id.toString()).value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    return Optional.of("another tablesync process streaming this source's binlog");
                }
            }
        }
        return Optional.empty();
    }

    public ClientServerId id() {
        return id;
    }

    /** Releases the lock before closing: a server frees a closed session's locks only once it notices the close. */
    @Override
    public void close() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(Dialect.RELEASE_LOCK)) {
            ps.setString(1, LockName.of(LOCK_PREFIX, id.toString()).value());
            ps.execute();
        } finally {
            connection.close();
        }
    }
}
