package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SnapshotBatchesTest {

    private static final long MIB = 1 << 20;

    @Test
    void shouldGiveBulkBatchesAThirtySecondOfTheHeapUpTo4MiBJustUnderWholeRegions() {
        assertEquals(MIB - 1024, SnapshotBatches.textBudget(32 * MIB), "-Xmx32m: one G1 region, not two");
        assertEquals(7 * MIB / 4 - 1024, SnapshotBatches.textBudget(61_865_984), "-Xmx64m under ParallelGC");
        assertEquals(4 * MIB - 1024, SnapshotBatches.textBudget(192 * MIB));
        assertEquals(4 * MIB - 1024, SnapshotBatches.textBudget(8L << 30), "never more than 4 MiB");
        assertEquals(64 << 10, SnapshotBatches.textBudget(4 * MIB), "a tiny heap still gets a usable batch");
    }
}
