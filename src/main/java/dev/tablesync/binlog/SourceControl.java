package dev.tablesync.binlog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import com.github.shyiko.mysql.binlog.network.ServerException;

import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.sql.BinlogGapException;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.ServerVersion;

/**
 * A {@link SourceStream}'s plain connection to its source: it holds the {@link ServerIdClaim} for as long as the
 * stream runs, reads the log's state ({@link SourceLog}) and, before every connection of the stream, fails the
 * subscribers whose positions are no longer on the server. Used under the stream's lock.
 */
final class SourceControl implements AutoCloseable {

    /** The server's answer to a dump request it cannot serve: the position is not (or no longer) in its log. */
    static final int LOST_POSITION = 1236;
    /**
     * How the servers word a 1236 that means the position is gone (other 1236s, e.g. an event larger than
     * {@code max_allowed_packet}, are retried): MySQL's "could not find first log file", "purged binary logs
     * containing GTIDs" and "has more GTIDs than the source/master"; MariaDB's "could not find GTID state" and
     * "which is not in the master's binlog".
     */
    private static final java.util.regex.Pattern GONE = java.util.regex.Pattern.compile("(?i)could not find first log"
            + "|purged binary logs|more GTIDs than|could not find GTID state|not in the master's binlog"
            + "|not in the source's binlog");
    /** What MySQL tells the older of two dump threads with one {@code server_id} before ending it. */
    private static final String SAME_ID = "same server_uuid/server_id";

    private final StreamEndpoint endpoint;
    private final EventDispatch dispatch;
    private Connection connection;
    private BinlogDialect dialect;
    private ServerIdClaim claim;

    SourceControl(StreamEndpoint endpoint, EventDispatch dispatch) {
        this.endpoint = endpoint;
        this.dispatch = dispatch;
    }

    /** The log's state now; opens (and claims) the control connection first if needed. */
    SourceLog read() throws SQLException {
        open();
        try {
            return SourceLog.read(connection, dialect);
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    /**
     * Before a connection: every subscriber whose position is gone fails with a {@link BinlogGapException} and
     * leaves. {@code lost} is why the previous connection ended; a server that answered 1236 although every
     * position looks present (purged in between, or a reason the server alone knows) fails them all with its own
     * words, and an id another client took fails them all naming the id.
     */
    SourceLog check(Exception lost) throws SQLException {
        SourceLog log = read();
        int failed = 0;
        for (Map.Entry<BinlogSubscriber, BinlogPosition> e : dispatch.positions().entrySet()) {
            Optional<String> why = log.gapOf(e.getValue());
            if (why.isPresent()) {
                dispatch.failOne(e.getKey(), gap(e.getKey(), e.getValue(), log, why.get(), null));
                failed++;
            }
        }
        if (lost instanceof ServerException se && failed == 0) {
            if (se.getMessage() != null && se.getMessage().contains(SAME_ID)) {
                failAll(new IllegalStateException("The binlog client's server_id " + endpoint.serverId()
                        + " for source " + endpoint + " is used by another replica or binlog client, and the source"
                        + " ended this stream for it (\"" + se.getMessage() + "\"). Give this process another id"
                        + " (tablesync.binlog.server-id, unique per pod)."));
            } else if (se.getErrorCode() == LOST_POSITION && se.getMessage() != null
                    && GONE.matcher(se.getMessage()).find()) {
                dispatch.positions().forEach((s, p) -> dispatch.failOne(s, gap(s, p, log,
                        "the server refused to stream from it: \"" + se.getMessage() + "\"", se)));
            }
        }
        return log;
    }

    private void failAll(Exception cause) {
        dispatch.positions().keySet().forEach(s -> dispatch.failOne(s, cause));
    }

    private BinlogGapException gap(BinlogSubscriber s, BinlogPosition p, SourceLog log, String why, Exception cause) {
        String id = s.mappingId();
        String message = "The binlog position of mapping '" + id + "' is no longer on source " + endpoint
                + ": the mapping stands at " + p + ", the oldest position the server still has is " + log.oldest()
                + "; " + why + ". The changes in between cannot be read any more and are not skipped: copy the table"
                + " again, with tablesync.mappings." + id + ".on-binlog-gap=resnapshot (the mapping then does it by"
                + " itself) or by resetting the mapping (POST /api/mappings/" + id + "/reset).";
        return new BinlogGapException(message, p.toString(), log.oldest(), cause);
    }

    private void open() throws SQLException {
        if (connection != null) {
            return;
        }
        Connection c = endpoint.openControl();
        BinlogDialect d;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Dialect.VERSION)) {
            rs.next();
            d = new BinlogDialect(ServerVersion.parse(rs.getString(1)));
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        claim = ServerIdClaim.claim(c, d, endpoint.serverId(), endpoint.host() + ":" + endpoint.port());
        connection = c;
        dialect = d;
    }

    @Override
    public void close() {
        if (claim != null) {
            try {
                claim.close();
            } catch (SQLException e) {
                // the session is gone, and its lock with it
            }
        }
        claim = null;
        connection = null;
    }
}
