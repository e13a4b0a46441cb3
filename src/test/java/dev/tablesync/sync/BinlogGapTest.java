package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.config.OnBinlogGap;
import dev.tablesync.schema.Mode;
import dev.tablesync.sql.BinlogDialect;
import dev.tablesync.testsupport.TestConfig;

/** A mapping whose saved position was purged from the source never skips ahead: it fails, or copies again. */
class BinlogGapTest {

    static SyncFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new SyncFixture("binlog_gap");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /**
     * Rotates the source's log and purges every file before the new one, once the last session's dump thread is
     * gone (a server keeps a file that a dump thread reads; it notices a closed stream at its next heartbeat).
     */
    private static void purgeLogs() throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (SyncFixture.count(fx.sourceServer, fx.sourceDb, BinlogDialect.DUMP_THREADS) > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        int before = fx.sourceRows("SHOW BINARY LOGS").size();
        fx.source("FLUSH BINARY LOGS");
        String current = fx.sourceRows("SHOW BINARY LOGS").stream().reduce((a, b) -> b).orElseThrow();
        String file = new String(java.util.HexFormat.of().parseHex(current.substring(1, current.indexOf(','))),
                java.nio.charset.StandardCharsets.UTF_8);
        // MariaDB keeps a file until its binlog checkpoint is written, a moment after the rotation.
        deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        do {
            fx.source("PURGE BINARY LOGS TO '" + file + "'");
            Thread.sleep(100);
        } while (fx.sourceRows("SHOW BINARY LOGS").size() > 1 && System.nanoTime() < deadline);
        assertEquals(1, fx.sourceRows("SHOW BINARY LOGS").size(), "purged " + before + " files");
    }

    @Test
    void shouldFailOrCopyAgainWhenTheSavedPositionWasPurgedAsOnBinlogGapSays() throws Exception {
        fx.source("CREATE TABLE lost (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO lost VALUES (1, 'a')");
        Mapping failing = TestConfig.edit(fx.mapping("lost", "lost")).withMode(Mode.BINLOG, null).build();
        fx.runOk(failing);
        fx.source("INSERT INTO lost VALUES (2, 'b')");
        purgeLogs();
        fx.source("INSERT INTO lost VALUES (3, 'c')");

        RunResult failed = fx.run(failing);
        assertFalse(failed.succeeded(), "on-binlog-gap=fail: " + failed.summary());
        assertEquals(dev.tablesync.sql.FailureReason.BINLOG_GAP, dev.tablesync.sql.SqlErrors.category(
                failed.error().get()), failed.summary());
        assertEquals(List.of(1L), List.of(fx.targetCount("SELECT COUNT(*) FROM lost")), "nothing skipped ahead");

        Mapping resnapshot = TestConfig.edit(failing).withOnBinlogGap(OnBinlogGap.RESNAPSHOT).build();
        RunResult gap = fx.run(resnapshot);
        assertTrue(gap.succeeded(), gap.summary());
        RunResult again = fx.runOk(resnapshot);
        assertEquals("snapshot+binlog", again.kind());
        fx.assertSameRows("SELECT * FROM lost ORDER BY id");
    }
}
