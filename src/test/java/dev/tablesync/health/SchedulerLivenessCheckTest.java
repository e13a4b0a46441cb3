package dev.tablesync.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

/** Liveness turns DOWN only for what a restart fixes: a stopped scheduler or a wedged run. */
class SchedulerLivenessCheckTest {

    private static final Duration MAX = Duration.ofHours(1);

    @Test
    void shouldBeUpWhileRunsFinishInTime() {
        HealthCheckResponse response = SchedulerLivenessCheck.describe(true, false, Duration.ofMinutes(59), MAX);

        assertEquals(Status.UP, response.getStatus());
        assertEquals(3540L, response.getData().orElseThrow().get("longestRunSeconds"));
    }

    @Test
    void shouldBeDownWhenARunIsWedged() {
        HealthCheckResponse response = SchedulerLivenessCheck.describe(true, false, Duration.ofMinutes(61), MAX);

        assertEquals(Status.DOWN, response.getStatus());
        assertEquals("a run has been going for 3660s, longer than tablesync.max-run-duration (3600s)",
                response.getData().orElseThrow().get("reason"));
    }

    @Test
    void shouldBeDownWhenTheSchedulerStopped() {
        HealthCheckResponse response = SchedulerLivenessCheck.describe(false, false, Duration.ZERO, MAX);

        assertEquals(Status.DOWN, response.getStatus());
    }

    @Test
    void shouldNotNeedTheSchedulerInRunOnceMode() {
        HealthCheckResponse response = SchedulerLivenessCheck.describe(false, true, Duration.ZERO, MAX);

        assertEquals(Status.UP, response.getStatus());
        assertEquals(true, response.getData().orElseThrow().get("runOnce"));
    }
}
