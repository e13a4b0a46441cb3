package dev.tablesync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tablesync.app.frozen.FrozenAtBuildTime;
import dev.tablesync.sync.SyncEngine;

/**
 * The native executable initialises application classes while it is built: no static initialiser
 * may read the clock, seed randomness, start threads, open sockets or files, or read the
 * environment, or the executable would carry the build machine's values.
 */
class NativeBuildTimeInitTest {

    @Test
    void shouldInitialiseNoApplicationClassFromBuildMachineState() throws URISyntaxException {
        BuildTimeInitScan scan = new BuildTimeInitScan(classesOf(SyncEngine.class), "dev/tablesync/");

        assertTrue(scan.classCount() > 50, "scanned only " + scan.classCount() + " classes");
        assertEquals(List.of(), scan.violations());
    }

    @Test
    void shouldCatchClockAndRandomnessInStaticFieldsEvenThroughHelpers() throws URISyntaxException {
        BuildTimeInitScan scan = new BuildTimeInitScan(classesOf(FrozenAtBuildTime.class), "dev/tablesync/app/frozen/");

        assertEquals(List.of("dev/tablesync/app/frozen/FrozenAtBuildTime.<clinit> -> FrozenAtBuildTime.seed"
                + " uses java.util.Random",
                "dev/tablesync/app/frozen/FrozenAtBuildTime.<clinit> calls java.time.Instant.now"), scan.violations());
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
