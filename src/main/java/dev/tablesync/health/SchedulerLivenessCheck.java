package dev.tablesync.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import dev.tablesync.config.Settings;
import dev.tablesync.schedule.MappingScheduler;
import dev.tablesync.sync.SyncEngine;

/**
 * Liveness: the scheduler fires jobs (not checked in run-once mode, which has none) and no run has
 * been going longer than {@code tablesync.max-run-duration}. DOWN makes Kubernetes restart the pod,
 * which releases the wedged run's lock on the target.
 */
@Liveness
@ApplicationScoped
public class SchedulerLivenessCheck implements HealthCheck {

    static final String NAME = "scheduler";

    @Inject
    SyncEngine engine;

    @Inject
    MappingScheduler scheduler;

    @Inject
    Settings config;

    @Override
    public HealthCheckResponse call() {
        return describe(scheduler.running(), config.runOnce(), engine.longestRunning().orElse(Duration.ZERO),
                config.maxRunDuration());
    }

    static HealthCheckResponse describe(boolean schedulerRunning, boolean runOnce, Duration longestRun,
            Duration maxRunDuration) {
        boolean wedged = longestRun.compareTo(maxRunDuration) > 0;
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status((schedulerRunning || runOnce) && !wedged)
                .withData("schedulerRunning", schedulerRunning)
                .withData("longestRunSeconds", longestRun.toSeconds())
                .withData("maxRunDurationSeconds", maxRunDuration.toSeconds());
        if (runOnce) {
            response.withData("runOnce", true);
        }
        if (!schedulerRunning && !runOnce) {
            response.withData("reason", "the scheduler is not running: no mapping is synced");
        } else if (wedged) {
            response.withData("reason", "a run has been going for " + longestRun.toSeconds()
                    + "s, longer than tablesync.max-run-duration (" + maxRunDuration.toSeconds() + "s)");
        }
        return response.build();
    }
}
