package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

/** Backoff grows exponentially, is capped, jitters between half and all of a step, and starts higher for fatal errors. */
class BackoffTest {

    /** A "random" source that always answers the same fraction. */
    private static Backoff backoff(double fraction) {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        });
    }

    @Test
    void shouldDoubleTheStepForEachConsecutiveTransientFailure() {
        Backoff top = backoff(0.999_999);
        assertEquals(Duration.ofMillis(999), top.delay(1, true));
        assertEquals(Duration.ofMillis(1999), top.delay(2, true));
        assertEquals(Duration.ofMillis(7999), top.delay(4, true));
    }

    @Test
    void shouldJitterBetweenHalfAndAllOfTheStep() {
        assertEquals(Duration.ofMillis(4000), backoff(0).delay(4, true));
        assertEquals(Duration.ofMillis(6000), backoff(0.5).delay(4, true));
    }

    @Test
    void shouldNeverWaitLongerThanTheMaximum() {
        assertEquals(Duration.ofMinutes(5).minusMillis(1), backoff(0.999_999_9).delay(40, true));
    }

    @Test
    void shouldStartFatalErrorsSixteenTimesHigher() {
        assertEquals(Duration.ofSeconds(8), backoff(0).delay(1, false));
        assertEquals(Duration.ofMillis(500), backoff(0).delay(1, true));
    }

    @Test
    void shouldNotWaitWithoutFailuresAndRefuseBadBounds() {
        assertEquals(Duration.ZERO, backoff(0.5).delay(0, true));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofMinutes(5), Duration.ofSeconds(1), RandomGenerator.getDefault()));
    }
}
