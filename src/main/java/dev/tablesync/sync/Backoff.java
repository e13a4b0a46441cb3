package dev.tablesync.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.tablesync.config.Settings;

/**
 * How long a mapping waits after consecutive failures: exponential from {@code initial}, capped at
 * {@code max}, with jitter so replicas and mappings do not retry in step. Fatal errors (missing
 * table, access denied) start 16 times higher than transient ones: they need a person, and
 * retrying them fast only hammers the server.
 */
@Singleton
public final class Backoff {

    private static final int FATAL_HEAD_START = 4;

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    /** From {@code tablesync.retry.*}. */
    @Inject
    public Backoff(Settings settings) {
        this(settings.initialBackoff(), settings.maxBackoff(), ThreadLocalRandom.current());
    }

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = Objects.requireNonNull(random);
    }

    /** The wait after {@code failures} consecutive failures (1 for the first), between half and all of the step. */
    public Duration delay(int failures, boolean transientError) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        int exponent = Math.min(30, failures - 1 + (transientError ? 0 : FATAL_HEAD_START));
        long step = Math.min(max.toMillis(), initial.toMillis() << exponent);
        long jittered = step / 2 + (long) (random.nextDouble() * (step - step / 2));
        return Duration.ofMillis(jittered);
    }
}
