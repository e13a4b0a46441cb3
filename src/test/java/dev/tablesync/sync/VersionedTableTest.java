package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The double-apply check of the crash and failover tests ({@link BinlogCrashIT}, {@link BinlogFailoverIT}) on writes
 * made by hand on the audited target table: it accepts what the snapshot hand-off legitimately replays and finds a
 * change written twice.
 */
class VersionedTableTest {

    private final VersionedTable table = new VersionedTable("versioned_audit", 2);

    private void write(String... sql) {
        table.target.execute("versioned_audit_tgt", sql);
    }

    @Test
    void shouldAcceptOlderVersionsReplayedByTheHandOffBeforeItCompleted() {
        write("INSERT INTO items VALUES (1, 5, 0, 'snapshot', 1.00, NULL)",
                "UPDATE items SET version = 3 WHERE id = 1", "UPDATE items SET version = 5 WHERE id = 1");
        long handOffSeq = table.targetLong("SELECT MAX(seq) FROM write_audit");
        write("UPDATE items SET version = 7 WHERE id = 1", "UPDATE items SET version = 8 WHERE id = 1");

        assertEquals(2, table.assertNothingAppliedTwice(handOffSeq, 5));
    }

    @Test
    void shouldFindAVersionWrittenAgainAfterTheHandOff() {
        write("INSERT INTO items VALUES (1, 5, 0, 'snapshot', 1.00, NULL)");
        long handOffSeq = table.targetLong("SELECT MAX(seq) FROM write_audit");
        write("UPDATE items SET version = 7 WHERE id = 1", "UPDATE items SET version = 6 WHERE id = 1",
                "UPDATE items SET version = 7 WHERE id = 1");

        AssertionError e = assertThrows(AssertionError.class, () -> table.assertNothingAppliedTwice(handOffSeq, 5));
        assertTrue(e.getMessage().contains("row 1 written at version 6 after version 7"), e.getMessage());
    }

    @Test
    void shouldFindAChangeMadeAfterTheSnapshotWrittenAgainBeforeTheHandOffWasSeen() {
        write("INSERT INTO items VALUES (2, 9, 0, 'log', 1.00, NULL)", "UPDATE items SET version = 10 WHERE id = 2",
                "UPDATE items SET version = 9 WHERE id = 2");
        long handOffSeq = table.targetLong("SELECT MAX(seq) FROM write_audit");

        AssertionError e = assertThrows(AssertionError.class, () -> table.assertNothingAppliedTwice(handOffSeq, 5));
        assertTrue(e.getMessage().contains("row 2 written at version 9 after version 10"), e.getMessage());
    }
}
