package dev.tablesync.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;

import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.LockName;
import dev.tablesync.sql.StateDialect;

/**
 * Runs the state schema's DDL under a named lock on the target ({@code GET_LOCK}), one process at a
 * time. Replicas or run-once jobs that start together would otherwise create and upgrade the same
 * tables at once, which MySQL answers with deadlocks (1213) that cost a run-once job its run. The
 * lock goes with the session if the process dies, and its name differs from every mapping's lock.
 */
public final class StateSetup {

    /** Long enough for a slow server to create a few tables; a waiter that gives up fails its run as usual. */
    static final int WAIT_SECONDS = 120;

    private StateSetup() {
    }

    public static void serialised(Connection c, StateDialect sql, DataSources.SetUp ddl) throws SQLException {
        String name = lockName(sql.schemaName());
        try (PreparedStatement ps = c.prepareStatement(StateDialect.WAIT_FOR_LOCK)) {
            ps.setString(1, name);
            ps.setInt(2, WAIT_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new SQLTransientException("state schema " + sql.schemaName() + " is still being set up"
                            + " by another tablesync process after " + WAIT_SECONDS + " s (lock " + name + " on the"
                            + " target); check for a hung DDL statement there (SHOW PROCESSLIST)");
                }
            }
        }
        try {
            ddl.run();
        } finally {
            try (PreparedStatement ps = c.prepareStatement(StateDialect.RELEASE_LOCK)) {
                ps.setString(1, name);
                ps.executeQuery().close();
            }
        }
    }

    static String lockName(String stateSchema) {
        return LockName.of("tablesync-setup:", stateSchema).value();
    }
}
