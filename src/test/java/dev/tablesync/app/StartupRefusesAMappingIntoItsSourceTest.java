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
 * A mapping whose target is its own source, reached through two connection names for one server
 * and named {@code t} against {@code db.t}, stops start-up naming both keys, before any row moves.
 * Named to run after {@code RunOnceTest} and before {@code StartupRefusesInvalidConfigTest}: a
 * main-test profile's overrides outlive its launch in this Quarkus version, and that test's
 * invalid mapping would stop this start-up before the servers are asked.
 */
@QuarkusMainTest
@TestProfile(StartupRefusesAMappingIntoItsSourceTest.Profile.class)
class StartupRefusesAMappingIntoItsSourceTest {

    static final String LOCAL_DB = "selfcfg_local";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tablesync.run-once", "true",
                    "tablesync.mappings.loop.source", "local",
                    "tablesync.mappings.loop.source-table", "items",
                    "tablesync.mappings.loop.target", "target",
                    "tablesync.mappings.loop.target-table", LOCAL_DB + ".items",
                    "tablesync.mappings.loop.delete-mode", "hard");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestServersResource.class, Map.of("sourceDatabase", "selfcfg_src",
                    "targetDatabase", "selfcfg_tgt", "localDatabase", LOCAL_DB,
                    "localSql", "CREATE TABLE items (id INT PRIMARY KEY, deleted_at DATETIME(6) NULL, updated_at"
                            + " DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),"
                            + " INDEX (updated_at));;INSERT INTO items (id, deleted_at) VALUES (1, NULL), (2, NOW(6))")));
        }
    }

    @Test
    void shouldRefuseToStartWhenAMappingsTargetIsItsOwnSourceOnTheSameServer(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch();

        String out = result.getOutput() + result.getErrorOutput();
        assertNotEquals(0, result.exitCode(), out);
        assertTrue(out.contains("tablesync.mappings.loop.source/.source-table ('local', items) and"
                + " tablesync.mappings.loop.target/.target-table ('target', " + LOCAL_DB + ".items) name the same"
                + " table " + LOCAL_DB + ".items on the same server"), out);
        assertTrue(!out.contains("mapping=loop status="), "no run started: " + out);
    }
}
