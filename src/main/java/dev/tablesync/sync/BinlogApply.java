package dev.tablesync.sync;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import com.github.shyiko.mysql.binlog.network.SSLMode;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.binlog.BinlogPreconditions;
import dev.tablesync.binlog.ClientServerId;
import dev.tablesync.binlog.SourcePosition;
import dev.tablesync.binlog.SourceStreams;
import dev.tablesync.binlog.StreamEndpoint;
import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.OnBinlogGap;
import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.FailureReason;
import dev.tablesync.sql.SqlErrors;

/**
 * The binlog part of a mode binlog mapping's run, once its snapshot is done: an apply session. It joins the
 * source's shared stream ({@link SourceStreams}, one per source server per process) with a {@link LogQueue}, and
 * the run's {@link Copier} applies what {@link LogChanges} drains from it, each source transaction in one target
 * transaction with its position. The run keeps the mapping's lock meanwhile, so no other replica applies it.
 * A session ends at a source commit: on shutdown, on pause (scheduled sessions), after {@link #SESSION} (the next
 * scheduled tick starts the next one, so pause flags and table definitions are read again), or, for a run that
 * catches up (trigger, run-once), once it applied everything up to the source's position at its start.
 */
final class BinlogApply {

    private static final Logger LOG = Logger.getLogger(BinlogApply.class);
    /** How long one apply session lasts before the next scheduled tick starts another. */
    static final Duration SESSION = Duration.ofMinutes(5);
    /** How often a session asks the target whether an operator paused the mapping (on any replica). */
    private static final Duration PAUSE_CHECK = Duration.ofSeconds(2);

    private final Mapping mapping;
    private final DataSources dataSources;
    private final CheckpointStore store;
    private final SourceStreams streams;
    private final Runnable following;
    private final BooleanSupplier stopRequested;
    private final Clock clock;

    /**
     * @param streams   the process's streams; null: a stream of this run's own
     * @param following called once a session (not a run that catches up) follows the log, which may take minutes
     */
    BinlogApply(Mapping mapping, DataSources dataSources, CheckpointStore store, SourceStreams streams,
            Runnable following, BooleanSupplier stopRequested, Clock clock) {
        this.mapping = mapping;
        this.dataSources = dataSources;
        this.store = store;
        this.streams = streams;
        this.following = following;
        this.stopRequested = stopRequested;
        this.clock = clock;
    }

    /**
     * Applies the log from {@code cp}'s position; returns the last committed checkpoint. A position no longer on
     * the source fails the run (the stream's gap error, failure reason binlog_gap), or under
     * {@code on-binlog-gap=resnapshot} deletes the checkpoint so that the next run copies the table again.
     */
    Checkpoint apply(Copier copier, SyncPlan plan, Connection source, Connection target, Checkpoint cp,
            RunRequest request) throws SQLException {
        try {
            return follow(copier, plan, source, cp, request);
        } catch (SQLException | RuntimeException e) {
            if (!isGap(e) || mapping.onBinlogGap() != OnBinlogGap.RESNAPSHOT) {
                throw e;
            }
            target.rollback();
            store.delete(target, mapping.id());
            target.commit();
            LOG.warnf("Mapping %s: %s; on-binlog-gap=resnapshot: checkpoint deleted, the next run copies %s again",
                    mapping.id(), e.getMessage(), plan.source().id());
            return cp;
        }
    }

    /**
     * Whether the stream failed because the saved position is no longer on the source; the stream decides which
     * server refusals mean that (only some error 1236 texts do) and {@link SqlErrors} is the one place that reads it.
     */
    static boolean isGap(Throwable error) {
        return SqlErrors.category(error) == FailureReason.BINLOG_GAP;
    }

    private Checkpoint follow(Copier copier, SyncPlan plan, Connection source, Checkpoint cp, RunRequest request)
            throws SQLException {
        BinlogDialect dialect = new BinlogDialect(plan.sourceDialect().server());
        requirePreconditions(mapping, dialect, source);
        BinlogPosition from = cp.binlogPosition().orElseThrow();
        Optional<BinlogPosition> until = request.catchUp() ? Optional.of(SourcePosition.read(source, dialect))
                : Optional.empty();
        if (until.isPresent() && from.includes(until.get())) {
            return cp;
        }
        StreamEndpoint endpoint = endpoint(dialect, source);
        LogQueue queue = new LogQueue(mapping.id(), plan.source().id(), from, 2 * mapping.batchSize() + 16);
        SourceStreams joined = streams != null ? streams : new SourceStreams();
        try {
            joined.join(endpoint, queue);
            if (!request.catchUp()) {
                following.run();
            }
            return copier.follow(cp, new LogChanges(plan, queue, from, stop(request), until, clock));
        } catch (IOException e) {
            throw new SQLTransientConnectionException("mapping " + mapping.id() + ": cannot read the binlog of "
                    + endpoint + ": " + e.getMessage(), "08S01", e);
        } finally {
            queue.close();
            leave(joined, endpoint, queue);
        }
    }

    private void leave(SourceStreams joined, StreamEndpoint endpoint, LogQueue queue) {
        try {
            joined.leave(endpoint.server(), queue);
            if (joined != streams) {
                joined.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Mapping %s: leaving the binlog stream of %s: %s", mapping.id(), endpoint, e.getMessage());
        }
    }

    /**
     * Where a mode binlog snapshot starts following the log: the source's position now, read before the
     * snapshot's first chunk, once the source is known to offer what following its log needs.
     */
    static BinlogPosition snapshotStart(Mapping mapping, SyncPlan plan, Connection source) throws SQLException {
        BinlogDialect dialect = new BinlogDialect(plan.sourceDialect().server());
        requirePreconditions(mapping, dialect, source);
        return SourcePosition.read(source, dialect);
    }

    /** Every unmet precondition, each naming its fix, under the key that asked for the log. */
    private static void requirePreconditions(Mapping mapping, BinlogDialect dialect, Connection source)
            throws SQLException {
        List<String> problems = new BinlogPreconditions(dialect, mapping.sourceConnection()).problems(source,
                mapping.id(), mapping.maxLag());
        if (!problems.isEmpty()) {
            throw new MappingException("tablesync.mappings." + mapping.id() + ".mode=binlog cannot follow the source's"
                    + " binary log:\n" + String.join("\n", problems));
        }
    }

    private StreamEndpoint endpoint(BinlogDialect dialect, Connection source) throws SQLException {
        String server;
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(dialect.serverIdentity())) {
            rs.next();
            server = rs.getString(1);
        }
        DataSources.Login login = dataSources.login(mapping.sourceConnection(), source);
        return new StreamEndpoint(server, login.host(), login.port(), login.user(), login.password(),
                SSLMode.PREFERRED, ClientServerId.derivedFrom(hostName()));
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "localhost";
            }
        }
        return name;
    }

    /** When the session ends (checked by the reader at source commits): shutdown, pause, or its time is up. */
    private BooleanSupplier stop(RunRequest request) {
        Instant started = clock.instant();
        Instant[] lastCheck = {started};
        return () -> {
            if (stopRequested.getAsBoolean()) {
                return true;
            }
            if (request.catchUp()) {
                return false;
            }
            Instant now = clock.instant();
            if (Duration.between(started, now).compareTo(SESSION) >= 0) {
                return true;
            }
            if (Duration.between(lastCheck[0], now).compareTo(PAUSE_CHECK) < 0) {
                return false;
            }
            lastCheck[0] = now;
            return paused();
        };
    }

    private boolean paused() {
        try (Connection c = dataSources.connect(mapping.targetConnection())) {
            return store.isPaused(c, mapping.id());
        } catch (SQLException e) {
            LOG.debugf("Mapping %s: pause flag not read (%s); the session goes on", mapping.id(), e.getMessage());
            return false;
        }
    }
}
