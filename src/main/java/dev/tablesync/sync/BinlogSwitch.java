package dev.tablesync.sync;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.binlog.BinlogPreconditions;
import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.checkpoint.Phase;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.Mode;
import dev.tablesync.schema.TrackingChoice;
import dev.tablesync.sql.BinlogDialect;

/**
 * A mapping restarted with {@code mode=binlog} whose committed checkpoint is an incremental timestamp or id one (same
 * tables, same key) switches without a snapshot: it records the source's log position P and the source time T read
 * right after it (committed in the checkpoint), keeps running the incremental copy until its window's bound passes
 * T, and then follows the log from P. The window's bound passes T only once every transaction open at T has ended
 * and the commit delay after T has gone by, so every transaction committed before P is then copied; changes after
 * P that the last incremental copy already saw are applied again from the log and converge (whole row images).
 */
final class BinlogSwitch {

    private static final Logger LOG = Logger.getLogger(BinlogSwitch.class);
    /** Mappings under mode auto already told that mode binlog is available (once per process). */
    private static final Set<String> HINTED = ConcurrentHashMap.newKeySet();
    /** How often a run waiting for the window to pass the switch's time copies again. */
    private static final Duration RETRY = Duration.ofMillis(250);
    /** How long one run waits beyond the commit delay before leaving the switch to the next run. */
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final Mapping mapping;
    private final ChangeWindow window;
    private final CheckpointStore store;
    private final java.util.function.BooleanSupplier stopRequested;
    private final Clock clock;

    BinlogSwitch(Mapping mapping, ChangeWindow window, CheckpointStore store,
            java.util.function.BooleanSupplier stopRequested, Clock clock) {
        this.mapping = mapping;
        this.stopRequested = stopRequested;
        this.window = window;
        this.store = store;
        this.clock = clock;
    }

    /**
     * The plan the checkpoint was made under when {@code plan} (mode binlog) can take it over without a snapshot:
     * an incremental timestamp or id checkpoint whose fingerprint is the one of the same mapping under its mode.
     */
    static Optional<SyncPlan> previous(SyncPlan plan, Checkpoint cp) {
        if (cp == null || plan.tracking().mode() != Mode.BINLOG || cp.phase() != Phase.INCREMENTAL
                || (cp.mode() != Mode.TIMESTAMP && cp.mode() != Mode.ID)) {
            return Optional.empty();
        }
        Optional<Column> column = cp.mode() == Mode.ID ? Optional.of(plan.keyColumns().get(0))
                : SyncPlan.trackingOf(cp).flatMap(name -> plan.source().column(name));
        if (column.isEmpty()) {
            return Optional.empty();
        }
        SyncPlan before = plan.withTracking(new TrackingChoice(cp.mode(), column, "the checkpoint's " + cp.mode().label()
                + " column, until the switch to binlog is done", List.of()));
        return cp.matches(before.fingerprint()) ? Optional.of(before) : Optional.empty();
    }

    /** A switch left pending when the mapping went back to its mode: the position is dropped, the copy goes on. */
    static Checkpoint abandoned(SyncPlan plan, Checkpoint cp, Instant now) {
        if (cp == null || !cp.switching() || plan.tracking().mode() == Mode.BINLOG) {
            return cp;
        }
        LOG.infof("Mapping %s: mode is %s again; the pending switch to binlog is dropped", plan.mapping().id(),
                plan.tracking().mode().label());
        return cp.withoutSwitch(now);
    }

    /**
     * The incremental copy by the checkpoint's mode ({@code before}, through {@code copier}) until it passed the
     * switch's time; returns the binlog checkpoint when the switch is done, else the last committed one.
     */
    Checkpoint run(Copier copier, SyncPlan before, SyncPlan plan, Connection source, Connection target,
            Checkpoint cp) throws SQLException {
        return catchUp(copier, before, plan, source, target, begin(plan, source, target, cp));
    }

    /** Records P and T in the checkpoint (committed) unless an earlier run did. */
    Checkpoint begin(SyncPlan plan, Connection source, Connection target, Checkpoint cp) throws SQLException {
        if (cp.switching()) {
            return cp;
        }
        BinlogPosition at = BinlogApply.snapshotStart(mapping, plan, source);
        Instant sourceTime = sourceTime(source, new BinlogDialect(plan.sourceDialect().server()));
        Checkpoint switching = cp.switchingToBinlog(at, sourceTime, clock.instant());
        store.save(target, switching);
        target.commit();
        LOG.infof("Mapping %s: switching from %s to binlog without a snapshot: the log is followed from %s once the"
                + " %s copy is complete past %s", mapping.id(), cp.mode().label(), at, cp.mode().label(), sourceTime);
        return switching;
    }

    /**
     * Copies changes by the previous mode until the window passes the switch's time, then commits the binlog
     * checkpoint; returns the last committed checkpoint, still switching when the window did not pass it in time
     * (a long transaction open on the source): the next run goes on.
     */
    Checkpoint catchUp(Copier copier, SyncPlan before, SyncPlan plan, Connection source, Connection target,
            Checkpoint cp) throws SQLException {
        Instant at = cp.snapshotStart().orElseThrow();
        Instant deadline = clock.instant().plus(mapping.commitDelay()).plus(PATIENCE);
        while (true) {
            Optional<ChangeWindow.Bound> bound = bound(before, source, cp.completeUpTo());
            if (bound.isPresent()) {
                cp = copier.incremental(bound.get().readFrom(cp, before, clock.instant()), bound.get());
                if (copier.stoppedAt().isPresent()) {
                    return cp;
                }
            }
            if (cp.completeUpTo().filter(c -> c.isAfter(at)).isPresent()) {
                Checkpoint switched = cp.switchedToBinlog(plan.fingerprint(), clock.instant());
                store.save(target, switched);
                target.commit();
                LOG.infof("Mapping %s: the %s copy is complete past %s; following the binlog from %s", mapping.id(),
                        cp.mode().label(), at, switched.binlogPosition().get());
                return switched;
            }
            if (clock.instant().isAfter(deadline) || stopRequested.getAsBoolean()) {
                LOG.infof("Mapping %s: the change window has not passed %s yet (a source transaction open since);"
                        + " the next run goes on with the switch to binlog", mapping.id(), at);
                return cp;
            }
            sleep();
        }
    }

    private Optional<ChangeWindow.Bound> bound(SyncPlan before, Connection source, Optional<Instant> previous)
            throws SQLException {
        if (before.tracking().mode() == Mode.ID) {
            return window.idBound(source, before.sourceDialect(), before.source().id(),
                    before.keyColumns().get(0).name(), Duration.ZERO);
        }
        boolean serverZone = !before.tracking().column().orElseThrow().isTimestampType();
        return Optional.of(window.compute(source, before.sourceDialect(), mapping.commitDelay(), serverZone,
                previous));
    }

    /** Under mode auto, once per mapping: says that mode binlog is available when the source offers its log. */
    static void hint(Mapping mapping, SyncPlan plan, Connection source) {
        if (mapping.mode() != Mode.AUTO || !HINTED.add(mapping.id())) {
            return;
        }
        try {
            BinlogDialect dialect = new BinlogDialect(plan.sourceDialect().server());
            if (new BinlogPreconditions(dialect, mapping.sourceConnection()).problems(source, mapping.id(),
                    mapping.maxLag()).isEmpty()) {
                LOG.infof("Mapping %s: mode=binlog is available on this source (binary log on, ROW, FULL images,"
                        + " privileges granted): it adds hard deletes, changes stamped in the past, tables without a"
                        + " tracking column and sub-second lag; set tablesync.mappings.%s.mode=binlog (no re-snapshot"
                        + " from a timestamp or id checkpoint)", mapping.id(), mapping.id());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Mapping %s: binlog availability not checked: %s", mapping.id(), e.getMessage());
        }
    }

    private static Instant sourceTime(Connection source, BinlogDialect dialect) throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(dialect.sourceTime())) {
            rs.next();
            BigDecimal epoch = rs.getBigDecimal(1);
            return Instant.ofEpochSecond(epoch.longValue(), epoch.remainder(BigDecimal.ONE).movePointRight(9)
                    .longValue());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
