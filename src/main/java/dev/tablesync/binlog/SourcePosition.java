package dev.tablesync.binlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import dev.tablesync.sql.BinlogDialect;

/**
 * Where a source server's binary log stands now: the start of a mode binlog snapshot (read before its first chunk)
 * and the end of a run that catches up. The GTID set is read before the file and offset: if a transaction commits
 * between the two reads, the position may include it by offset but not by GTID, and a stream that starts from it
 * by GTID sends it again, which a whole-row apply makes harmless.
 */
public final class SourcePosition {

    private SourcePosition() {
    }

    /** @throws SQLException also when the binary log is off (no status row) */
    public static BinlogPosition read(Connection source, BinlogDialect dialect) throws SQLException {
        try (Statement s = source.createStatement()) {
            String server = one(s, dialect.serverIdentity());
            boolean gtidMode;
            try (ResultSet rs = s.executeQuery(dialect.settings())) {
                rs.next();
                gtidMode = "ON".equalsIgnoreCase(rs.getString(6));
            }
            Optional<Gtids> gtids = gtidMode
                    ? Optional.of(Gtids.parse(dialect.isMariaDb(), Optional.ofNullable(one(s, dialect.currentGtids()))
                            .orElse("")))
                    : Optional.empty();
            try (ResultSet rs = s.executeQuery(dialect.logStatus())) {
                if (!rs.next()) {
                    throw new SQLException("the source's binary log is off (" + dialect.logStatus() + " is empty)");
                }
                return new BinlogPosition(server, gtids, rs.getString(1), rs.getLong(2));
            }
        }
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
