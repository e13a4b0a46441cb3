package dev.tablesync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.config.Mapping;
import dev.tablesync.sql.FailureReason;
import dev.tablesync.sql.SqlErrors;

/**
 * What this process knows about one mapping between runs: whether it runs now, how its last
 * runs went, how long to back off, its last checkpoint. Written by the run, read by the API,
 * health and metrics from other threads.
 */
final class MappingState {

    final Mapping mapping;
    final ChangeWindow window;
    final KnownTarget knownTarget = new KnownTarget();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Instant runningSince;
    private volatile boolean paused;
    private volatile RunResult lastRun;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile FailureReason lastErrorCategory;
    private volatile int consecutiveFailures;
    private volatile Instant backoffUntil;
    private volatile Checkpoint checkpoint;

    MappingState(Mapping mapping) {
        this.mapping = mapping;
        this.window = new ChangeWindow(mapping.id());
    }

    /** Claims the mapping for one run in this process; false when it is already running. */
    boolean tryStart(Instant now) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        runningSince = now;
        return true;
    }

    /** A run claimed already starts another (the next binlog session): it has been running since now. */
    void restarted(Instant now) {
        if (running.get()) {
            runningSince = now;
        }
    }

    boolean running() {
        return running.get();
    }

    void finish() {
        runningSince = null;
        running.set(false);
    }

    boolean inBackoff(Instant now) {
        Instant until = backoffUntil;
        return until != null && now.isBefore(until);
    }

    void paused(boolean value) {
        paused = value;
    }

    boolean paused() {
        return paused;
    }

    /** A batch committed during a run: status and lag move with it (a binlog session runs for minutes). */
    void committed(Checkpoint cp) {
        checkpoint = cp;
    }

    void forgetCheckpoint() {
        checkpoint = null;
    }

    /** Takes in a finished run: success resets the backoff, a failure grows it. */
    void apply(RunResult result, RunRequest request, Backoff backoff, Instant now) {
        if (result.skippedBecausePaused()) {
            paused = true;
            return;
        }
        if (!request.manual()) {
            paused = false;
        }
        result.checkpoint().ifPresent(cp -> checkpoint = cp);
        Throwable error = result.error().orElse(null);
        if (error instanceof MappingBusyException || error instanceof RunStoppedException) {
            return;
        }
        lastRun = result;
        if (error == null) {
            lastSuccess = now;
            consecutiveFailures = 0;
            backoffUntil = null;
            lastError = null;
            lastErrorCategory = null;
            return;
        }
        consecutiveFailures++;
        lastError = error.getMessage();
        lastErrorCategory = SqlErrors.category(error);
        backoffUntil = now.plus(backoff.delay(consecutiveFailures, SqlErrors.isTransient(error)));
    }

    MappingStatus status(Instant now) {
        Checkpoint cp = checkpoint;
        RunResult last = lastRun;
        Optional<Instant> complete = Optional.ofNullable(cp).flatMap(Checkpoint::completeUpTo);
        return new MappingStatus(mapping, paused, Optional.ofNullable(runningSince),
                Optional.ofNullable(last).map(RunResult::tracking),
                Optional.ofNullable(last).map(RunResult::trackingReason).filter(r -> !r.isEmpty()),
                Optional.ofNullable(cp).map(c -> c.phase().name().toLowerCase(java.util.Locale.ROOT)),
                Optional.ofNullable(cp).map(Checkpoint::describe), complete,
                complete.map(c -> Duration.between(c, now)), Optional.ofNullable(last), Optional.ofNullable(lastSuccess),
                Optional.ofNullable(lastError), Optional.ofNullable(lastErrorCategory), consecutiveFailures,
                Optional.ofNullable(backoffUntil).filter(now::isBefore));
    }
}
