package dev.tablesync.app;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tablesync.testsupport.TestServersResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Bad configuration stops start-up with every problem named by its key, before any row moves.
 * Named to run after {@code RunOnceTest}: a main-test profile's overrides outlive its launch in
 * this Quarkus version and would leak the bad mapping into the next launched application.
 */
@QuarkusMainTest
@TestProfile(StartupRefusesInvalidConfigTest.Profile.class)
class StartupRefusesInvalidConfigTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tablesync.run-once", "true",
                    "tablesync.mappings.bad.source", "nowhere",
                    "tablesync.mappings.bad.source-table", "orders",
                    "tablesync.mappings.bad.target", "target",
                    "tablesync.mappings.bad.batch-size", "0");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestServersResource.class,
                    Map.of("sourceDatabase", "badcfg_src", "targetDatabase", "badcfg_tgt")));
        }
    }

    @Test
    void shouldRefuseToStartNamingEachBadKeyAndTheFix(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch();

        String out = result.getOutput() + result.getErrorOutput();
        assertNotEquals(0, result.exitCode(), out);
        assertTrue(out.contains("tablesync.mappings.bad.source: no connection named 'nowhere'; define"
                + " tablesync.connections.nowhere.url or use one of [source, target]"), out);
        assertTrue(out.contains("tablesync.mappings.bad.batch-size: must be between 1 and 100000, got 0"), out);
    }
}
