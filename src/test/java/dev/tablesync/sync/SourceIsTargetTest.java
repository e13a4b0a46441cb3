package dev.tablesync.sync;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.DeleteMode;
import dev.tablesync.config.Mapping;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.SqlErrors;

/**
 * A mapping whose target is its own source table, named through another connection to the same
 * server or as {@code db.t} against {@code t}, is refused before it writes: with hard deletes it
 * would delete rows from the source.
 */
class SourceIsTargetTest {

    private static final String TABLE = "orders";

    static SyncFixture fx;
    static DataSources pools;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("selftarget");
        String url = fx.sourceServer.jdbcUrl(fx.sourceDb);
        String user = fx.sourceServer.username();
        String password = fx.sourceServer.password();
        // "alias" reaches the source server under another name and host spelling: only the server can tell.
        String alias = url.contains("127.0.0.1") ? url.replace("127.0.0.1", "localhost") : url;
        pools = new DataSources(Map.of(
                "srcw", DataSources.pool("srcw", url, user, password, 2),
                "alias", DataSources.pool("alias", alias, user, password, 2),
                "other", DataSources.pool("other", fx.targetServer.jdbcUrl(fx.targetDb), fx.targetServer.username(),
                        fx.targetServer.password(), 2),
                "down", DataSources.pool("down", "jdbc:mysql://127.0.0.1:1/nowhere", user, password, 1)));
    }

    @AfterAll
    static void tearDown() {
        pools.close();
        fx.sourceServer.execute(fx.sourceDb, "DROP DATABASE IF EXISTS `" + SyncFixture.STATE_SCHEMA + "`");
        fx.close();
    }

    @BeforeEach
    void rows() {
        fx.source("DROP TABLE IF EXISTS " + TABLE, "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, deleted_at"
                + " DATETIME(6) NULL, updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE"
                + " CURRENT_TIMESTAMP(6), INDEX (updated_at))",
                "INSERT INTO " + TABLE + " (id, deleted_at) VALUES (1, NULL), (2, NOW(6)), (3, NOW(6)), (4, NULL)");
    }

    private static Mapping hard(String source, String sourceTable, String target, String targetTable) {
        return TestConfig.edit(TestConfig.mapping("loop", source, sourceTable, target, targetTable)).withCommitDelay(Duration.ZERO)
                .withDeletes(Optional.empty(), DeleteMode.HARD).build();
    }

    private static RunResult run(Mapping m) {
        return new MappingRun(m, pools, SyncFixture.STATE_SCHEMA, new ChangeWindow(m.id()), RunObserver.NONE,
                Clock.systemUTC()).execute(false);
    }

    private static void assertRefusedAndSourceIntact(Mapping m) {
        RunResult result = run(m);

        assertFalse(result.succeeded(), result.summary());
        String message = result.error().orElseThrow().getMessage();
        assertTrue(message.startsWith("tablesync.mappings.loop.source/.source-table ('" + m.sourceConnection() + "', "
                + m.sourceTable() + ") and tablesync.mappings.loop.target/.target-table ('" + m.targetConnection()
                + "', " + m.targetTable() + ") name the same table " + fx.sourceDb + "." + TABLE), message);
        assertTrue(message.endsWith("; nothing was written"), message);
        assertEquals("fatal", SqlErrors.category(result.error().get()).label());
        assertEquals(4, SyncFixture.count(fx.sourceServer, fx.sourceDb, "SELECT COUNT(*) FROM " + TABLE),
                "no source row deleted");
    }

    @Test
    void shouldRefuseARunIntoItsOwnSourceThroughAnotherConnectionNameBeforeDeletingAnything() {
        assertRefusedAndSourceIntact(hard("srcw", fx.sourceDb + "." + TABLE, "alias", TABLE));
    }

    @Test
    void shouldRefuseARunIntoItsOwnSourceThroughOneConnectionNamedAsSchemaTableAndTable() {
        assertRefusedAndSourceIntact(hard("srcw", TABLE, "srcw", fx.sourceDb + "." + TABLE));
    }

    @Test
    void shouldStillSyncIntoAnotherTableOnTheSameServer() {
        RunResult result = run(hard("srcw", TABLE, "alias", TABLE + "_copy"));

        assertTrue(result.succeeded(), result.summary());
        assertEquals(2, SyncFixture.count(fx.sourceServer, fx.sourceDb, "SELECT COUNT(*) FROM " + TABLE
                + "_copy WHERE id IN (1, 4)"), "the live rows, copied");
        assertEquals(4, SyncFixture.count(fx.sourceServer, fx.sourceDb, "SELECT COUNT(*) FROM " + TABLE));
    }

    @Test
    void shouldNameEveryMappingIntoItsOwnSourceAtStartUpAndSkipServersThatDoNotAnswer() {
        List<Mapping> mappings = List.of(hard("srcw", fx.sourceDb + "." + TABLE, "alias", TABLE),
                TestConfig.mapping("fine", "srcw", TABLE, "other", TABLE), TestConfig.mapping("unknown", "down", TABLE, "srcw", TABLE));

        List<String> problems = SourceIsTarget.atStartUp(mappings, pools, Duration.ofSeconds(5));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("tablesync.mappings.loop.source/.source-table ('srcw', "
                + fx.sourceDb + "." + TABLE + ") and tablesync.mappings.loop.target/.target-table ('alias', orders)"
                + " name the same table " + fx.sourceDb + ".orders on the same server"), problems.get(0));
    }
}
