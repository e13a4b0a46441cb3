package dev.tablesync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tablesync.sync.SyncFixture;
import dev.tablesync.sync.ValueFidelityTest;
import dev.tablesync.testsupport.TestServer;
import dev.tablesync.testsupport.TestServers;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * Guarantee 3 end to end, as a CronJob runs the service: one run-once launch snapshots a table with
 * every column type (those of {@link ValueFidelityTest}) by bulk load, a second one copies a changed
 * row through the incremental staging table, and both leave the target byte-identical to the source,
 * with source and target servers in different time zones. As {@code RunOnceFidelityIT} it proves the
 * same of the native executable: the driver's TLS and authentication, {@code LOAD DATA LOCAL} from
 * memory, character sets and time zones all run there.
 */
@QuarkusMainTest
@TestProfile(RunOnceFidelityTest.Profile.class)
class RunOnceFidelityTest {

    static final String SOURCE_DB = "fidelity_once_src";
    static final String TARGET_DB = "fidelity_once_tgt";
    static final String STATE_DB = "fidelity_once_state";

    public static class Profile implements QuarkusTestProfile {
        /**
         * The connections without {@code TestServersResource}: a main test starts its resources
         * with each launch, and this test fills the source before the first and keeps the target
         * between launches.
         */
        @Override
        public Map<String, String> getConfigOverrides() {
            TestServer source = TestServers.get().source();
            TestServer target = TestServers.get().target();
            return Map.ofEntries(Map.entry("tablesync.run-once", "true"),
                    Map.entry("tablesync.connections.source.url", source.jdbcUrl(SOURCE_DB)),
                    Map.entry("tablesync.connections.source.username", source.username()),
                    Map.entry("tablesync.connections.source.password", source.password()),
                    Map.entry("tablesync.connections.target.url", target.jdbcUrl(TARGET_DB)),
                    Map.entry("tablesync.connections.target.username", target.username()),
                    Map.entry("tablesync.connections.target.password", target.password()),
                    Map.entry("tablesync.mappings.alltypes.source", "source"),
                    Map.entry("tablesync.mappings.alltypes.source-table", "alltypes"),
                    Map.entry("tablesync.mappings.alltypes.target", "target"),
                    Map.entry("tablesync.mappings.alltypes.batch-size", "2"),
                    Map.entry("tablesync.mappings.alltypes.bulk-batch-size", "2"),
                    Map.entry("tablesync.mappings.alltypes.commit-delay", "0s"),
                    Map.entry("tablesync.state-schema", STATE_DB),
                    // A launched run-once process still opens its ports: any free ones.
                    Map.entry("quarkus.http.port", "0"), Map.entry("quarkus.management.port", "0"));
        }
    }

    @Test
    void shouldSnapshotThenIncrementallySyncEveryColumnTypeByteExactInRunOnceLaunches(QuarkusMainLauncher launcher)
            throws InterruptedException {
        TestServer source = TestServers.get().source();
        TestServer target = TestServers.get().target();
        source.recreateDatabase(SOURCE_DB);
        target.recreateDatabase(TARGET_DB);
        target.recreateDatabase(STATE_DB);
        source.execute(SOURCE_DB, "CREATE TABLE alltypes (" + ValueFidelityTest.COLUMNS + ") DEFAULT CHARSET=utf8mb4");
        source.execute(SOURCE_DB, "SET SESSION sql_mode = ''", ValueFidelityTest.insertExtremes(),
                ValueFidelityTest.insertNulls(), ValueFidelityTest.insertZeros());
        source.execute(SOURCE_DB, "SET GLOBAL time_zone = '+05:30'");
        target.execute(TARGET_DB, "SET GLOBAL time_zone = '-03:00'");
        try {
            long loads = loads();
            String snapshot = launchOk(launcher);
            assertTrue(snapshot.contains("mapping=alltypes status=ok") && snapshot.contains("read=3"), snapshot);
            assertTrue(loads() - loads >= 2, "both snapshot batches went in by LOAD DATA LOCAL:\n" + snapshot);
            assertIdentical();

            source.execute(SOURCE_DB, "SET SESSION sql_mode = ''", "UPDATE alltypes SET dt = '2001-02-03 04:05:06.000007',"
                    + " f = -3.4e38, j = '{\"k\": \"\\\\u00e9\"}', blb = UNHEX('00FF00'), ts = '1999-12-31 23:59:59.999999',"
                    + " lat = 'na\u00efve \u00e9t\u00e9', tm = '-00:00:00.000001' WHERE id = 2");
            // The change window is held back to the oldest open source transaction's start, which
            // information_schema.INNODB_TRX gives in whole seconds; a native launch starting in the same
            // second as the update reads nothing yet (a later run copies it). Known limit, see README.
            Thread.sleep(1_100);
            loads = loads();
            String incremental = launchOk(launcher);
            assertTrue(incremental.contains("mapping=alltypes status=ok") && incremental.contains("read=1")
                    && incremental.contains("updated=1"), incremental);
            assertTrue(loads() - loads >= 1, "the changed row went through the staging table:\n" + incremental);
            assertIdentical();
        } finally {
            source.execute(SOURCE_DB, "SET GLOBAL time_zone = 'SYSTEM'");
            target.execute(TARGET_DB, "SET GLOBAL time_zone = 'SYSTEM'");
        }
    }

    private static String launchOk(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch();
        String output = result.getOutput() + "\n" + result.getErrorOutput();
        assertEquals(0, result.exitCode(), output);
        assertFalse(output.contains("INSERT statements") || output.contains("did not insert every row exactly"),
                "no fallback to upserts:\n" + output);
        return output;
    }

    private static void assertIdentical() {
        List<String> source = SyncFixture.rows(TestServers.get().source(), SOURCE_DB, ValueFidelityTest.COMPARE);
        assertEquals(3, source.size());
        assertEquals(source, SyncFixture.rows(TestServers.get().target(), TARGET_DB, ValueFidelityTest.COMPARE));
    }

    /** LOAD DATA statements the target server has run (server-wide, so at least these). */
    private static long loads() {
        return SyncFixture.globalStatus(TestServers.get().target(), "Com_load");
    }
}
