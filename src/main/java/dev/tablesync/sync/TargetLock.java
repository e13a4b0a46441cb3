package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jboss.logging.Logger;

import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.LockName;

/**
 * A mapping's named lock on its target server ({@code GET_LOCK}): held by the session for a
 * run, so two replicas never work on one mapping at once, and released by the server when the
 * holder's connection dies.
 */
public final class TargetLock {

    private static final Logger LOG = Logger.getLogger(TargetLock.class);

    private final String name;
    private final String mappingId;

    public TargetLock(String stateSchema, String mappingId) {
        this.name = name(stateSchema, mappingId);
        this.mappingId = mappingId;
    }

    /** @throws MappingBusyException when another session holds it */
    public void acquire(Connection target, String connectionName) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(Dialect.GET_LOCK)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new MappingBusyException("mapping " + mappingId + " is already running (lock " + name
                            + " is held on target connection " + connectionName + ")");
                }
            }
        }
    }

    public void release(Connection target) {
        try (PreparedStatement ps = target.prepareStatement(Dialect.RELEASE_LOCK)) {
            ps.setString(1, name);
            ps.executeQuery().close();
        } catch (SQLException e) {
            LOG.debugf("Mapping %s: lock not released (%s); it goes with the connection", mappingId, e.getMessage());
        }
    }

    static String name(String stateSchema, String mappingId) {
        return LockName.of("tablesync:", stateSchema + ":" + mappingId).value();
    }
}
