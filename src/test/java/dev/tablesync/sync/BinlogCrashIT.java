package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
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
    private VersionedWriter writer;
    /** The last audit entry and the writer's stamp when the snapshot was seen complete (see VersionedTable). */
    private long handOffSeq;
    private long handOffStamp;

    @AfterEach
    void stopApp() {
        if (current != null) {
            current.close();
        }
    }

    @Test
    void shouldEndWithTargetEqualToSourceAndNoChangeAppliedTwiceAfterKillsAtEveryStage() {
        try (VersionedWriter running = table.startWriter(ROWS)) {
            writer = running;
            killMidSnapshotThenResume();
            killWhileFollowingTheLog();
            killMidLargeTransaction();
            killRightAfterARestart();
            running.close();
            await("target == source after the writer stopped", 60_000, table::same);
            current.close();
        }
        table.assertSame();
        long checked = table.assertNothingAppliedTwice(handOffSeq, handOffStamp);
        assertTrue(checked > 1_000, "writes checked after the hand-off: " + checked);
        System.out.printf("BinlogCrashIT: %d launches, 4 of them killed; %d target writes checked after the hand-off%n",
                launches, checked);
    }

    /** Kills a quarter into the snapshot; the restart resumes after the last committed chunk and hands off. */
    private void killMidSnapshotThenResume() {
        launch();
        await("the snapshot to be a quarter done", 120_000,
                () -> table.targetLong("SELECT COUNT(*) FROM items") >= ROWS / 4);
        current.kill();
        assertEquals("SNAPSHOT", table.phase(), "killed in the middle of the snapshot");
        assertTrue(table.targetLong("SELECT COUNT(*) FROM items") < ROWS, "killed in the middle of the snapshot");
        long copiedKeys = table.targetLong("SELECT MAX(id) FROM items");
        long auditAtKill = table.targetLong("SELECT MAX(seq) FROM write_audit");

        launch();
        await("the snapshot to complete", 120_000, () -> table.phase().equals("INCREMENTAL"));
        handOffSeq = table.targetLong("SELECT MAX(seq) FROM write_audit");
        handOffStamp = writer.lastStamp();
        long rewritten = table.targetLong("SELECT COUNT(*) FROM write_audit WHERE seq > " + auditAtKill
                + " AND seq <= " + handOffSeq + " AND id <= " + copiedKeys);
        assertTrue(rewritten < copiedKeys / 2, "the snapshot resumed after its last committed chunk, not from the"
                + " start: " + rewritten + " writes to keys up to " + copiedKeys + " (the hand-off's replays)");
    }

    private void killWhileFollowingTheLog() {
        awaitAppliedPast("the log to be applied past the hand-off", writer.lastStamp());
        current.kill();
        launch();
        awaitAppliedPast("the restarted application to catch up", writer.lastStamp());
    }

    /** Kills while a source transaction larger than a batch is being written: none of it may stay. */
    private void killMidLargeTransaction() {
        long bigStamp = writer.requestBigTransaction(BIG_TRANSACTION_ROWS).orTimeout(60, TimeUnit.SECONDS).join();
        await("the large transaction to be part-way applied", 60_000,
                () -> table.uncommittedRowsAt(bigStamp) >= BIG_TRANSACTION_ROWS / 10);
        current.kill();
        assertEquals(0, table.targetLong("SELECT COUNT(*) FROM items WHERE version = " + bigStamp),
                "killed in the middle of the large transaction: none of its rows stayed");
        launch();
        await("the large transaction to be applied", 60_000,
                () -> table.targetLong("SELECT COUNT(*) FROM items WHERE version = " + bigStamp) > 0);
    }

    private void killRightAfterARestart() {
        sleep(700);
        current.kill();
        launch();
        awaitAppliedPast("the last restart to follow the log", writer.lastStamp());
    }

    /** Waits for a change made after {@code stamp} (by the writer) to be on the target. */
    private void awaitAppliedPast(String what, long stamp) {
        await(what, 60_000, () -> table.targetLong("SELECT MAX(version) FROM items") > stamp);
    }

    private void launch() {
        launches++;
        current = AppProcess.start("binlog-crash-" + launches, config, Map.of("HOSTNAME", "binlog-crash-it"));
    }

    private void await(String what, long millis, BooleanSupplier condition) {
        if (!VersionedTable.within(millis, condition)) {
            throw new AssertionError("not within " + millis + " ms: " + what + "\n" + current.logTail());
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
