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
 * A session ends at a source commit: on shutdown, on pause (scheduled sessions), after
 * {@link ApplySessions#length()} (the next session starts at once and takes over the subscription, see
 * {@link ApplySessions}), or, for a run that catches up (trigger, run-once), once it applied everything up to the
 * source's position at its start.
 */
final class BinlogApply {

    private static final Logger LOG = Logger.getLogger(BinlogApply.class);
    /** How often a session asks the target whether an operator paused the mapping (on any replica). */
    private static final Duration PAUSE_CHECK = Duration.ofSeconds(2);

    private final Mapping mapping;
    private final DataSources dataSources;
    private final CheckpointStore store;
    private final ApplySessions sessions;
    private final Runnable following;
    private final BooleanSupplier stopRequested;
    private final Clock clock;

    /**
     * @param sessions  the process's streams and sessions; null: a stream of this run's own
     * @param following called once a session (not a run that catches up) follows the log, which may take minutes
     */
    BinlogApply(Mapping mapping, DataSources dataSources, CheckpointStore store, ApplySessions sessions,
            Runnable following, BooleanSupplier stopRequested, Clock clock) {
        this.mapping = mapping;
        this.dataSources = dataSources;
        this.store = store;
        this.sessions = sessions;
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
        ApplySessions joined = sessions != null ? sessions : new ApplySessions(new SourceStreams());
        StreamEndpoint endpoint = endpoint(dialect, source, joined.clientId());
        Optional<LogQueue> kept = joined.take(mapping.id(), endpoint.server(), from);
        LogQueue queue = kept.orElseGet(() -> new LogQueue(mapping.id(), plan.source().id(), from,
                2 * mapping.batchSize() + 16));
        SessionEnd end = new SessionEnd(request, joined.length());
        boolean handedOn = false;
        try {
            if (kept.isEmpty()) {
                joined.join(endpoint, queue);
            }
            if (!request.catchUp()) {
                following.run();
            }
            Checkpoint reached = copier.follow(cp, new LogChanges(plan, queue, from, end, until, clock));
            if (end.timeUp && sessions != null && copier.stoppedAt().isEmpty()) {
                sessions.hold(mapping.id(), endpoint.server(), queue, reached.binlogPosition().orElseThrow());
                handedOn = true;
            }
            return reached;
        } catch (IOException e) {
            throw new SQLTransientConnectionException("mapping " + mapping.id() + ": cannot read the binlog of "
                    + endpoint + ": " + e.getMessage(), "08S01", e);
        } finally {
            if (!handedOn) {
                queue.close();
                leave(joined, endpoint, queue);
            }
        }
    }

    private void leave(ApplySessions joined, StreamEndpoint endpoint, LogQueue queue) {
        try {
            joined.streams().leave(endpoint.server(), queue);
            if (joined != sessions) {
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

    private StreamEndpoint endpoint(BinlogDialect dialect, Connection source, ClientServerId clientId)
            throws SQLException {
        String server;
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(dialect.serverIdentity())) {
            rs.next();
            server = rs.getString(1);
        }
        DataSources.Login login = dataSources.login(mapping.sourceConnection(), source);
        return new StreamEndpoint(server, login.host(), login.port(), login.user(), login.password(),
                SSLMode.PREFERRED, clientId);
    }


    /**
     * When the session ends (checked by the reader at source commits): shutdown, pause, or its time is up; only the
     * last lets the next session take over the subscription.
     */
    private final class SessionEnd implements BooleanSupplier {
        private final RunRequest request;
        private final Duration length;
        private final Instant started = clock.instant();
        private Instant lastCheck = started;
        private volatile boolean timeUp;

        SessionEnd(RunRequest request, Duration length) {
            this.request = request;
            this.length = length;
        }

        @Override
        public boolean getAsBoolean() {
            if (stopRequested.getAsBoolean()) {
                return true;
            }
            if (request.catchUp()) {
                return false;
            }
            Instant now = clock.instant();
            if (Duration.between(lastCheck, now).compareTo(PAUSE_CHECK) >= 0) {
                lastCheck = now;
                if (paused()) {
                    return true;
                }
            }
            if (Duration.between(started, now).compareTo(length) >= 0) {
                timeUp = true;
                return true;
            }
            return false;
        }
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
