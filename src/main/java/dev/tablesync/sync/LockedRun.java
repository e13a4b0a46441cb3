package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;

/**
 * The lifecycle every piece of work on a mapping's target shares (a sync run, a verify, a
 * checkpoint reset), written once: take the mapping's named lock on its target, so no two
 * replicas work on the mapping at once; let the work decide whether to go on (a scheduled run of
 * a paused mapping does not); do the work; roll back what a failure left uncommitted; record the
 * outcome; release the lock. The lock also goes with the connection if releasing it fails.
 */
public final class LockedRun {

    /** What one kind of locked work does at each step; only {@link #run} is required. */
    public interface Work {

        /** Under the lock, before the work: false skips it (a scheduled run of a paused mapping), unrecorded. */
        default boolean start(Connection target) throws SQLException {
            return true;
        }

        /** The work; what it leaves uncommitted when it fails is rolled back. */
        void run(Connection target) throws SQLException;

        /** The error as the outcome carries it, e.g. a lock wait explained for the mapping. */
        default Throwable explain(Throwable error) {
            return error;
        }

        /**
         * Records the outcome of work that ran, or that found the lock held ({@link RunStatus#BUSY}),
         * under the lock where it had it; never throws.
         */
        default void record(Connection target, RunStatus status, Optional<Throwable> error) {
        }
    }

    /** How it ended: {@code error} is present for {@link RunStatus#BUSY} and {@link RunStatus#FAILED}. */
    public record Outcome(RunStatus status, Optional<Throwable> error) {

        /** The outcome of work that did not get as far as the lock (the target was unreachable). */
        static Outcome failed(Throwable error) {
            return new Outcome(RunStatus.FAILED, Optional.of(error));
        }

        /** Throws the error, if any, as it was thrown. */
        public void rethrow() throws SQLException {
            Throwable e = error.orElse(null);
            if (e instanceof SQLException sql) {
                throw sql;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e != null) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Mapping mapping;
    private final DataSources dataSources;
    private final TargetLock lock;

    public LockedRun(Mapping mapping, DataSources dataSources, String stateSchema) {
        this.mapping = mapping;
        this.dataSources = dataSources;
        this.lock = new TargetLock(stateSchema, mapping.id());
    }

    /** Runs the work under the mapping's lock; never throws: the outcome carries the error. */
    public Outcome run(Work work) {
        Outcome outcome = null;
        try (Connection target = dataSources.connect(mapping.targetConnection())) {
            outcome = underLock(target, work);
        } catch (SQLException | RuntimeException e) {
            // A failure closing the connection does not hide the work's own error.
            if (outcome == null || outcome.error().isEmpty()) {
                outcome = Outcome.failed(work.explain(e));
            }
        }
        return outcome;
    }

    private Outcome underLock(Connection target, Work work) throws SQLException {
        try {
            lock.acquire(target, mapping.targetConnection());
        } catch (MappingBusyException busy) {
            work.record(target, RunStatus.BUSY, Optional.of(busy));
            return new Outcome(RunStatus.BUSY, Optional.of(busy));
        }
        try {
            Optional<Throwable> error = Optional.empty();
            try {
                if (!work.start(target)) {
                    return new Outcome(RunStatus.PAUSED, Optional.empty());
                }
                work.run(target);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(target);
                error = Optional.of(work.explain(e));
            }
            RunStatus status = RunStatus.of(error);
            work.record(target, status, error);
            return new Outcome(status, error);
        } finally {
            lock.release(target);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; the server rolls back when it closes
        }
    }
}
