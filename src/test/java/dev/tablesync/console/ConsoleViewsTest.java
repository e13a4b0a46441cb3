package dev.tablesync.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How the console lays out values: the conflict diff, the lag sparkline, durations. */
class ConsoleViewsTest {

    @Test
    void shouldMarkOnlyDifferingColumnsAndShowNullHexAndFoldedValues() {
        ParkedConflicts parked = ConsoleBrowserTest.twoParkedRows("orders");
        ConflictDiff first = ConflictDiff.of(parked.columns(), parked.conflicts().get(0));
        assertEquals("id=5", first.key());
        assertEquals(1, first.changed());
        assertEquals(List.of(false, true, false, false), first.rows().stream().map(ConflictDiff.Row::changed).toList());
        assertTrue(first.rows().get(2).source().folded(), "a long value is folded");
        assertTrue(first.rows().get(2).source().head().endsWith("…"));
        assertEquals(new ConflictDiff.Shown("hex", "0x00ff10"), first.rows().get(3).source());

        ConflictDiff gone = ConflictDiff.of(parked.columns(), parked.conflicts().get(1));
        assertTrue(gone.targetGone());
        assertEquals(4, gone.changed(), "every column differs from a row that is gone");
        assertEquals("null", gone.rows().get(2).source().kind());
        assertEquals("gone", gone.rows().get(0).target().kind());
    }

    @Test
    void shouldDrawTheSparklineWithTheHighestLagAtTheTop() {
        assertFalse(Sparkline.of(List.of(5L)).drawn(), "one value is no line");
        Sparkline line = Sparkline.of(List.of(0L, 10L, 5L));
        assertEquals("0.0,23.0 60.0,1.0 120.0,12.0", line.points());
        assertEquals(10, line.max());
        assertEquals(5, line.last());
    }

    @Test
    void shouldWriteDurationsTheWayOperatorsReadThem() {
        assertEquals("45 s", ConsoleFormats.seconds(45L));
        assertEquals("3 m 05 s", ConsoleFormats.seconds(185L));
        assertEquals("2 h 03 m", ConsoleFormats.seconds(7380L));
        assertEquals("—", ConsoleFormats.seconds(null));
        assertEquals("0.042 s", ConsoleFormats.millis(42));
    }
}
