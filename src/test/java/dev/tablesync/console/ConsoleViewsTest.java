package dev.tablesync.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.tablesync.api.ConflictView;

/** How the console lays out values: the conflict diff, the lag sparkline, durations. */
class ConsoleViewsTest {

    @Test
    void shouldMarkOnlyDifferingColumnsAndShowNullHexAndFoldedValues() {
        List<String> columns = List.of("id", "name", "note", "blob");
        String longText = "a long description that goes on and on ".repeat(4);
        ConflictDiff first = ConflictDiff.of(columns, new ConflictView(17, Map.of("id", "5"), Instant.EPOCH, "c",
                List.of(text("5"), text("from the source"), text(longText), hex("00ff10")),
                List.of(text("5"), text("edited on the target"), text(longText), hex("00ff10"))), false);
        assertEquals("id=5", first.key());
        assertEquals(1, first.changed());
        assertEquals(List.of(false, true, false, false), first.rows().stream().map(ConflictDiff.Row::changed).toList());
        assertTrue(first.rows().get(2).source().folded(), "a long value is folded");
        assertTrue(first.rows().get(2).source().head().endsWith("…"));
        assertEquals(new ConflictDiff.Shown("hex", "0x00ff10"), first.rows().get(3).source());

        ConflictDiff gone = ConflictDiff.of(columns, new ConflictView(18, Map.of("id", "6"), Instant.EPOCH, "c",
                Arrays.asList(text("6"), text("six"), null, hex("cafe")), null), true);
        assertTrue(gone.refused());
        assertTrue(gone.targetGone());
        assertEquals(4, gone.changed(), "every column differs from a row that is gone");
        assertEquals("null", gone.rows().get(2).source().kind());
        assertEquals("gone", gone.rows().get(0).target().kind());
    }

    @Test
    void shouldSayHowManyAResolveAllResolvedAndWhichItLeftParked() {
        assertEquals("Resolved 2 parked conflicts.", ConsoleActions.notice("resolved-all", "2", null));
        String notice = ConsoleActions.notice("resolved-all", "1", "7,9");
        assertTrue(notice.startsWith("Resolved 1 parked conflicts. 2 left parked"), notice);
        assertEquals(Set.of(7L, 9L), ConsoleActions.ids("7, 9,x"));
        assertEquals("Conflict resolved.", ConsoleActions.notice("resolved", "1", null));
    }

    private static ConflictView.Cell text(String value) {
        return new ConflictView.Cell(value, null);
    }

    private static ConflictView.Cell hex(String value) {
        return new ConflictView.Cell(null, value);
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
