package dev.tablesync.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.FailureReason;
import dev.tablesync.sync.MappingStatus;
import dev.tablesync.sync.RunResult;
import dev.tablesync.sync.RunStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A mapping as the API shows it: configuration and live state. Connections appear by name only,
 * never with their URL or credentials.
 */
@RegisterForReflection
@Schema(name = "Mapping")
public record MappingView(
        String id,
        Endpoint source,
        Endpoint target,
        boolean enabled,
        @Schema(description = "configured mode: auto, timestamp, id or full") String mode,
        @Schema(description = "interval or cron expression") String schedule,
        @Schema(description = "how changes are found, e.g. timestamp(updated_at); null before the first run")
        String tracking,
        @Schema(description = "why that tracking was chosen") String trackingReason,
        @Schema(description = "snapshot, incremental or copied; null without a checkpoint") String phase,
        @Schema(description = "where the mapping stands, e.g. incremental(updated_at=..., id=42)") String checkpoint,
        @Schema(description = "source time up to which the target is known complete") Instant completeUpTo,
        @Schema(description = "now minus completeUpTo; null before the first complete run") Long lagSeconds,
        @Schema(description = "lag above maxLagSeconds") boolean lagging,
        long maxLagSeconds,
        LastRun lastRun,
        Instant lastSuccess,
        String lastError,
        @Schema(description = "transient (retried soon) or fatal (needs a fix)") String lastErrorCategory,
        int consecutiveFailures,
        @Schema(description = "scheduled runs are skipped; manual runs still work") boolean paused,
        boolean running,
        Instant runningSince,
        @Schema(description = "earliest next scheduled run: the scheduler's next tick, or the end of the"
                + " backoff after failures if later")
        Instant nextRun) {

    /** A connection, by its configured name, and a table on it. */
    @RegisterForReflection
    @Schema(name = "Endpoint")
    public record Endpoint(String connection, String table) {
    }

    /** The last run that did something (not skipped because paused, busy or shutting down). */
    @RegisterForReflection
    @Schema(name = "LastRun")
    public record LastRun(Instant startedAt, long durationMs,
            @Schema(description = "snapshot, incremental, snapshot+incremental, resnapshot+incremental"
                    + " (the target had lost its rows) or full") String kind,
            @Schema(description = "success or failed") String status,
            long rowsRead, long inserted, long updated, long unchanged,
            @Schema(description = "target rows deleted because the source marked them deleted") long deleted) {

        static LastRun of(RunResult r) {
            return new LastRun(r.startedAt(), r.duration().toMillis(), r.kind(), (r.succeeded() ? RunStatus.SUCCESS : RunStatus.FAILED).label(),
                    r.rowsRead(), r.counts().inserted(), r.counts().updated(), r.counts().unchanged(),
                    r.counts().deleted());
        }
    }

    /**
     * @param scheduled when the scheduler fires the mapping's job next
     * @param redact    hides secrets a database error message might quote
     */
    static MappingView of(MappingStatus s, Optional<Instant> scheduled, UnaryOperator<String> redact) {
        Mapping m = s.mapping();
        return new MappingView(m.id(), new Endpoint(m.sourceConnection(), m.sourceTable().toString()),
                new Endpoint(m.targetConnection(), m.targetTable().toString()), m.enabled(), m.mode().label(),
                m.schedule().text(), s.tracking().orElse(null), s.trackingReason().orElse(null), s.phase().orElse(null),
                s.checkpoint().orElse(null), s.completeUpTo().orElse(null), s.lag().map(Duration::toSeconds).orElse(null),
                s.lagging(), m.maxLag().toSeconds(), s.lastRun().map(LastRun::of).orElse(null),
                s.lastSuccess().orElse(null), s.lastError().map(redact).orElse(null), s.lastErrorCategory().map(FailureReason::label).orElse(null),
                s.consecutiveFailures(), s.paused(), s.running(), s.runningSince().orElse(null),
                later(scheduled, s.backoffUntil()));
    }

    /**
     * Scheduler ticks inside the backoff are skipped, so the later of the two is the earliest the
     * next scheduled run can start.
     */
    private static Instant later(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.or(() -> b).orElse(null);
        }
        return a.get().isAfter(b.get()) ? a.get() : b.get();
    }
}
