package dev.tablesync.app.frozen;

import java.time.Instant;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What {@link dev.tablesync.app.NativeBuildTimeInitTest} must catch: build-machine state in static
 * fields, directly and through a helper. The lambda is harmless (its body runs at run time).
 */
public final class FrozenAtBuildTime {

    static final Instant STARTED = Instant.now();
    static final long SEED = seed();
    static final Supplier<Instant> NOW = Instant::now;
    static final Supplier<Long> LATER = () -> System.currentTimeMillis();

    private FrozenAtBuildTime() {
    }

    private static long seed() {
        return new Random().nextLong();
    }
}
