package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tablesync.testsupport.AppProcess;

/**
 * Mode binlog's crash guarantee on the packaged application, a real process killed with SIGKILL while a writer
 * keeps changing the source: in the middle of the snapshot, while following the log, in the middle of a source
 * transaction larger than a batch (written in batches inside one target transaction), and right after a restart.
 * Each time it is started again; at the end the target equals the source row by row, and no source change was
 * applied twice (see {@link VersionedTable#assertNothingAppliedTwice}).
 */
class BinlogCrashIT {

    private static final int ROWS = 30_000;
    private static final int BIG_TRANSACTION_ROWS = 12_000;

    private final VersionedTable table = new VersionedTable("binlog_crash", ROWS);
    private final Map<String, String> config = table.appProperties(100, 100);
    private int launches;
    private AppProcess current;

    @AfterEach
    void stopApp() {
        if (current != null) {
            current.close();
        }
    }

    @Test
    void shouldEndWithTargetEqualToSourceAndNoChangeAppliedTwiceAfterKillsAtEveryStage() {
        long handOffSeq;
        long handOffStamp;
        long rewritten;
        try (VersionedWriter writer = table.startWriter(ROWS)) {
            AppProcess app = launch();
            await(app, "the snapshot to be a quarter done", 120_000, () -> table.targetLong(
                    "SELECT COUNT(*) FROM items") >= ROWS / 4);
            app.kill();
            assertEquals("SNAPSHOT", table.phase(), "killed in the middle of the snapshot");
            assertTrue(table.targetLong("SELECT COUNT(*) FROM items") < ROWS, "killed in the middle of the snapshot");
            long copiedKeys = table.targetLong("SELECT MAX(id) FROM items");
            long auditAtKill = table.targetLong("SELECT MAX(seq) FROM write_audit");

            app = launch();
            await(app, "the snapshot to complete", 120_000, () -> table.phase().equals("INCREMENTAL"));
            handOffSeq = table.targetLong("SELECT MAX(seq) FROM write_audit");
            rewritten = table.targetLong("SELECT COUNT(*) FROM write_audit WHERE seq > " + auditAtKill
                    + " AND seq <= " + handOffSeq + " AND id <= " + copiedKeys);
            assertTrue(rewritten < copiedKeys / 2, "the snapshot resumed after its last committed chunk, not from the"
                    + " start: " + rewritten + " writes to keys up to " + copiedKeys + " (the hand-off's replays)");
            handOffStamp = writer.lastStamp();
            long following = writer.lastStamp();
            await(app, "the log to be applied past the hand-off", 60_000,
                    () -> table.targetLong("SELECT MAX(version) FROM items") > following);
            app.kill();

            app = launch();
            long caughtUp = writer.lastStamp();
            await(app, "the restarted app to catch up", 60_000,
                    () -> table.targetLong("SELECT MAX(version) FROM items") > caughtUp);
            long bigStamp = writer.requestBigTransaction(BIG_TRANSACTION_ROWS)
                    .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
            await(app, "the large transaction to be part-way applied", 60_000,
                    () -> table.uncommittedRowsAt(bigStamp) >= BIG_TRANSACTION_ROWS / 10);
            app.kill();
            assertEquals(0, table.targetLong("SELECT COUNT(*) FROM items WHERE version = " + bigStamp),
                    "killed in the middle of the large transaction: none of its rows stayed");

            app = launch();
            await(app, "the large transaction to be applied", 60_000,
                    () -> table.targetLong("SELECT COUNT(*) FROM items WHERE version = " + bigStamp) > 0);
            sleep(700);
            app.kill();

            app = launch();
            long last = writer.lastStamp();
            await(app, "the last restart to follow the log", 60_000,
                    () -> table.targetLong("SELECT MAX(version) FROM items") > last);
            writer.close();
            await(app, "target == source after the writer stopped", 60_000, table::same);
            app.close();
        }
        table.assertSame();
        long checked = table.assertNothingAppliedTwice(handOffSeq, handOffStamp);
        assertTrue(checked > 1_000, "writes checked after the hand-off: " + checked);
        System.out.printf("BinlogCrashIT: %d launches, 4 of them killed; %d writes to keys the killed snapshot had"
                + " copied before the hand-off; %d target writes checked after it%n", launches, rewritten, checked);
    }

    private AppProcess launch() {
        launches++;
        current = AppProcess.start("binlog-crash-" + launches, config, Map.of("HOSTNAME", "binlog-crash-it"));
        return current;
    }

    private static void await(AppProcess app, String what, long millis, BooleanSupplier condition) {
        if (!VersionedTable.within(millis, condition)) {
            throw new AssertionError("not within " + millis + " ms: " + what + "\n" + app.logTail());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
