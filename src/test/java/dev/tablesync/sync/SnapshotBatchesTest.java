package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.tablesync.sql.TabText;

class SnapshotBatchesTest {

    private static final long MIB = 1 << 20;

    private final List<Batch> handed = new ArrayList<>();
    private final AtomicBoolean declined = new AtomicBoolean();

    /** Rows of two fields: a key and a value; a row is marked deleted when its value is "x". */
    private SnapshotBatches batches(int rowBatchSize, int textBatchSize, int textBytes) {
        return new SnapshotBatches(rowBatchSize, textBatchSize, textBytes,
                () -> new TabText(new boolean[2], textBytes), r -> "x".equals(text(r[1])), declined::get, handed::add);
    }

    private static byte[][] row(int key, String value) {
        return new byte[][] {String.valueOf(key).getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)};
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Test
    void shouldGiveBulkBatchesAThirtySecondOfTheHeapUpTo4MiBJustUnderWholeRegions() {
        assertEquals(MIB - 1024, SnapshotBatches.textBudget(32 * MIB), "-Xmx32m: one G1 region, not two");
        assertEquals(7 * MIB / 4 - 1024, SnapshotBatches.textBudget(61_865_984), "-Xmx64m under ParallelGC");
        assertEquals(4 * MIB - 1024, SnapshotBatches.textBudget(192 * MIB));
        assertEquals(4 * MIB - 1024, SnapshotBatches.textBudget(8L << 30), "never more than 4 MiB");
        assertEquals(64 << 10, SnapshotBatches.textBudget(4 * MIB), "a tiny heap still gets a usable batch");
    }

    @Test
    void shouldCutABatchBeforeItsTextWouldOutgrowTheBufferWithTheCursorOnItsOwnLastRow() {
        // a row "n\tvvvvvvvvvv\n" is 13 bytes but might take 2 * 11 + 2 = 24: after 5 rows (65), a 6th might not fit
        SnapshotBatches cut = batches(1000, 1000, 80);
        for (int key = 1; key <= 7; key++) {
            cut.accept(row(key, "vvvvvvvvvv"));
        }
        cut.finish();

        assertEquals(List.of(5, 2), handed.stream().map(Batch::size).toList());
        assertEquals(List.of("5", "7"), handed.stream().map(b -> text(b.last()[0])).toList());
        assertEquals(List.of(5, 2), handed.stream().map(b -> b.text().orElseThrow().rows()).toList());
        assertTrue(handed.get(0).text().orElseThrow().capacity() == 80, "the buffer never grew");
        assertEquals("6", text(handed.get(1).rows().get(0)[0]), "the second batch starts after the first's cursor");
    }

    @Test
    void shouldEndAFormattedBatchAtItsRowCountAndHandTheShortLastOneOnFinish() {
        SnapshotBatches counted = batches(1000, 2, 1 << 16);
        for (int key = 1; key <= 5; key++) {
            counted.accept(row(key, "v"));
        }
        assertEquals(2, handed.size());
        counted.finish();
        assertEquals(List.of(2, 2, 1), handed.stream().map(Batch::size).toList());
        assertEquals("5", text(handed.get(2).last()[0]));
    }

    @Test
    void shouldKeepMarkedRowsOutOfTheTextButInTheBatchAndItsByteBudget() {
        // live rows take 7 bytes (12 at most), marked ones count their 6 at most: the 4th would make 26 > 25
        SnapshotBatches marking = batches(1000, 1000, 25);
        marking.accept(row(1, "live"));
        marking.accept(row(2, "x"));
        marking.accept(row(3, "live"));
        marking.accept(row(4, "x"));
        marking.finish();

        Batch first = handed.get(0);
        assertEquals(3, first.size());
        assertEquals(2, first.text().orElseThrow().rows());
        assertEquals(List.of("1", "3", "2"), first.rows().stream().map(r -> text(r[0])).toList());
        assertEquals("3", text(first.last()[0]));
        assertEquals(List.of("4"), handed.get(1).rows().stream().map(r -> text(r[0])).toList());
    }

    @Test
    void shouldNeverHandTwoUnreleasedBatchesTheSameBufferAndReuseReleasedOnes() {
        SnapshotBatches pooled = batches(1000, 1, 1 << 10);
        pooled.accept(row(1, "a"));
        pooled.accept(row(2, "b"));
        pooled.accept(row(3, "c"));
        Set<TabText> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
        handed.forEach(b -> assertTrue(inUse.add(b.text().orElseThrow())));

        handed.get(0).release();
        pooled.accept(row(4, "d"));
        pooled.accept(row(5, "e"));

        assertSame(handed.get(0).text().orElseThrow(), handed.get(4).text().orElseThrow(),
                "the released buffer holds a later batch");
        assertFalse(inUse.contains(handed.get(3).text().orElseThrow()), "an unreleased one never does");
    }

    @Test
    void shouldNotKeepABufferThatOneHugeRowMadeGrow() {
        SnapshotBatches huge = batches(1000, 1, 64);
        huge.accept(row(1, "y".repeat(500)));
        TabText grown = handed.get(0).text().orElseThrow();
        assertTrue(grown.capacity() > 64);
        assertEquals("y".repeat(500), text(handed.get(0).rows().get(0)[1]), "the huge row is whole");

        handed.get(0).release();
        huge.accept(row(2, "a"));
        huge.accept(row(3, "b"));

        assertNotSame(grown, handed.get(2).text().orElseThrow());
    }

    @Test
    void shouldSwitchToRowBatchesOfBatchSizeOnceALoadWasDeclined() {
        SnapshotBatches switching = batches(2, 10, 1 << 16);
        for (int key = 1; key <= 10; key++) {
            switching.accept(row(key, "v"));
        }
        declined.set(true);
        for (int key = 11; key <= 25; key++) {
            switching.accept(row(key, "v"));
        }
        switching.finish();

        assertTrue(handed.get(0).text().isPresent());
        assertEquals(10, handed.get(1).size(), "the batch being filled when the load was declined stays whole");
        assertTrue(handed.get(1).text().isPresent());
        assertEquals(List.of(2, 2, 1), handed.subList(2, handed.size()).stream().map(Batch::size).toList());
        assertTrue(handed.subList(2, handed.size()).stream().allMatch(b -> b.text().isEmpty()));
    }
}
