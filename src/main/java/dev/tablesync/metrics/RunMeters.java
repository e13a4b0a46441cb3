package dev.tablesync.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;
import dev.tablesync.sql.FailureReason;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.sync.MappingBusyException;
import dev.tablesync.sync.RowConflictException;
import dev.tablesync.sync.RunResult;
import dev.tablesync.sync.RunStoppedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The counters and the duration histogram of one mapping, registered up front so every series
 * exists (at 0) before the first run and {@code rate()} works from the start.
 */
final class RunMeters {

    /** Histogram buckets for run durations: sub-second incremental runs up to hour-long snapshots. */
    private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1)};

    private final boolean countsSkippedRows;
    private final Counter read;
    private final Counter written;
    private final Counter skipped;
    private final Counter conflicted;
    private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);
    private final Counter deleted;
    private final Timer duration;

    RunMeters(Mapping mapping, MeterRegistry registry) {
        String id = mapping.id();
        this.countsSkippedRows = mapping.conflict() == ConflictPolicy.SKIP
                || mapping.conflict() == ConflictPolicy.NEWER_WINS;
        this.read = counter(registry, Metrics.ROWS_READ, "Rows read from the source", id);
        this.written = counter(registry, Metrics.ROWS_WRITTEN, "Rows inserted or changed in the target", id);
        this.skipped = counter(registry, Metrics.ROWS_SKIPPED, "Rows kept in the target by conflict policy skip or newer-wins", id);
        this.conflicted = counter(registry, Metrics.ROWS_CONFLICTED, "Runs stopped by a conflicting row (policy error)"
                + " and rows parked (policy park)", id);
        for (FailureReason reason : FailureReason.values()) {
            failures.put(reason, failures(registry, id, reason));
        }
        this.deleted = counter(registry, Metrics.ROWS_DELETED, "Target rows deleted because the source marked them"
                + " deleted", id);
        this.duration = Timer.builder(Metrics.RUN_DURATION).description("Duration of runs, failed ones included")
                .tag(Metrics.MAPPING, id).serviceLevelObjectives(DURATION_BUCKETS).register(registry);
    }

    /** Counts what one run did; a run that never started (paused, held elsewhere) counts nothing. */
    void record(RunResult result) {
        if (result.skippedBecausePaused() || result.error().orElse(null) instanceof MappingBusyException) {
            return;
        }
        read.increment(result.rowsRead());
        written.increment(result.counts().written());
        deleted.increment(result.counts().deleted());
        conflicted.increment(result.counts().parked());
        if (countsSkippedRows) {
            skipped.increment(result.counts().unchanged());
        }
        duration.record(result.duration());
        result.error().filter(e -> !(e instanceof RunStoppedException)).ifPresent(this::failed);
    }

    private void failed(Throwable error) {
        if (error instanceof RowConflictException) {
            conflicted.increment();
        }
        failures.get(SqlErrors.category(error)).increment();
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String mapping) {
        return Counter.builder(name).description(description).tag(Metrics.MAPPING, mapping).register(registry);
    }

    private static Counter failures(MeterRegistry registry, String mapping, FailureReason reason) {
        return Counter.builder(Metrics.RUN_FAILURES)
                .description("Failed runs by reason: transient, fatal or schema_drift")
                .tag(Metrics.MAPPING, mapping).tag(Metrics.REASON, reason.label()).register(registry);
    }
}
