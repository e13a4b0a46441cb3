package dev.tablesync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;


/**
 * Lives outside {@code dev.tablesync.sync} because that test folder belongs to another change;
 * everything tested here is public.
 */
class WriteCountsTest {

    @Test
    void shouldSplitAffectedRowsIntoInsertedAndUpdated() {
        assertEquals(new WriteCounts(2, 1, 0), WriteCounts.fromAffected(3, 4, 1));
    }

    @Test
    void shouldCountRowsWithNoEffectAsUnchanged() {
        assertEquals(new WriteCounts(0, 0, 3), WriteCounts.fromAffected(3, 0, 0));
    }

    @Test
    void shouldCountMixOfInsertedUpdatedAndUnchanged() {
        assertEquals(new WriteCounts(1, 2, 2), WriteCounts.fromAffected(5, 5, 2));
    }

    @Test
    void shouldCountAllInsertsAndAllUpdates() {
        assertEquals(new WriteCounts(3, 0, 0), WriteCounts.fromAffected(3, 3, 0));
        assertEquals(new WriteCounts(0, 3, 0), WriteCounts.fromAffected(3, 6, 3));
    }

    @Test
    void shouldCountEveryRowAsUpdatedWhenDuplicatesExceedWhatAffectedAllows() {
        WriteCounts counts = WriteCounts.fromAffected(3, 1, 1);
        assertEquals(new WriteCounts(0, 3, 0), counts);
        assertEquals(3, counts.total());
    }

    @Test
    void shouldCountEveryRowAsUpdatedWhenAffectedExceedsTheRows() {
        assertEquals(new WriteCounts(0, 2, 0), WriteCounts.fromAffected(2, 5, 0));
        assertEquals(new WriteCounts(0, 3, 0), WriteCounts.fromAffected(3, 7, 2));
    }

    @Test
    void shouldAddCountsFieldByField() {
        assertEquals(new WriteCounts(5, 7, 9), new WriteCounts(1, 2, 3).plus(new WriteCounts(4, 5, 6)));
        assertEquals(new WriteCounts(1, 2, 3), WriteCounts.NONE.plus(new WriteCounts(1, 2, 3)));
    }

    @Test
    void shouldReportWrittenAndTotalRows() {
        WriteCounts counts = new WriteCounts(2, 3, 4);
        assertEquals(5, counts.written());
        assertEquals(9, counts.total());
        assertEquals(0, WriteCounts.NONE.total());
    }
}
