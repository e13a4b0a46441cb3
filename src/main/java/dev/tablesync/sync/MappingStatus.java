package dev.tablesync.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.FailureReason;

/**
 * What is known about one mapping right now, for the API, health and metrics. Never contains
 * credentials or JDBC URLs: only connection names.
 *
 * @param tracking         e.g. {@code timestamp(updated_at)}, empty before the first run
 * @param trackingReason   why that tracking was chosen
 * @param checkpoint       e.g. {@code incremental(updated_at=..., id=42)}
 * @param completeUpTo     source time up to which the target is known complete
 * @param lag              now minus {@link #completeUpTo}; empty before the first successful run
 * @param backoffUntil     scheduled runs wait until then after failures
 */
public record MappingStatus(Mapping mapping, boolean paused, Optional<Instant> runningSince,
        Optional<String> tracking, Optional<String> trackingReason, Optional<String> phase,
        Optional<String> checkpoint, Optional<Instant> completeUpTo, Optional<Duration> lag,
        Optional<RunResult> lastRun, Optional<Instant> lastSuccess, Optional<String> lastError,
        Optional<FailureReason> lastErrorCategory, int consecutiveFailures, Optional<Instant> backoffUntil) {

    public boolean running() {
        return runningSince.isPresent();
    }

    /** Lag beyond the mapping's max-lag: the target is further behind than the operator accepts. */
    public boolean lagging() {
        return lag.map(l -> l.compareTo(mapping.maxLag()) > 0).orElse(false);
    }
}
