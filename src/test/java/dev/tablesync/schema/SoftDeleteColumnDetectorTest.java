package dev.tablesync.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Choice of the column that marks rows deleted, and what counts as "deleted". */
class SoftDeleteColumnDetectorTest {

    private static final String KEY = "tablesync.mappings.orders.soft-delete-column";
    private static final Column ID = column("id", "int", "int(11)", false);

    private static Column column(String name, String dataType, String type, boolean nullable) {
        return new Column(name, dataType, type, nullable, Optional.empty(), Optional.empty(), 0, "");
    }

    private static TableSchema table(Column... columns) {
        return new TableSchema(TableId.of("shop", "orders"), "InnoDB", List.of(columns), List.of("id"), List.of());
    }

    private static SoftDeleteChoice detect(Column... columns) {
        return SoftDeleteColumnDetector.choose(Optional.empty(), table(columns), KEY);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPreferDeletedAtOverIsDeletedAndDeleted() {
        SoftDeleteChoice c = detect(ID, column("deleted", "tinyint", "tinyint(1)", false),
                column("is_deleted", "tinyint", "tinyint(1)", false), column("deleted_at", "datetime", "datetime", true));
        assertEquals("deleted_at", c.column().orElseThrow().name());
        assertEquals("detected soft-delete column deleted_at", c.reason());
    }

    @Test
    void shouldDetectIsDeletedThenDeleted() {
        assertEquals("is_deleted", detect(ID, column("deleted", "bit", "bit(1)", false),
                column("is_deleted", "tinyint", "tinyint(1)", false)).column().orElseThrow().name());
        assertEquals("deleted", detect(ID, column("deleted", "bit", "bit(1)", false)).column().orElseThrow().name());
    }

    @Test
    void shouldSkipACandidateWhoseTypeCannotMarkDeletionAndSayWhy() {
        SoftDeleteChoice c = detect(ID, column("deleted", "varchar", "varchar(3)", true));
        assertEquals(Optional.empty(), c.column());
        assertEquals(List.of("column deleted of shop.orders is varchar(3) and cannot mark rows deleted (needs DATETIME,"
                + " TIMESTAMP or DATE (deleted when not NULL), or an integer or BIT (deleted when not 0)); set " + KEY
                + " to choose another"), c.warnings());
    }

    @Test
    void shouldFindNothingInATableWithoutCandidates() {
        assertEquals(Optional.empty(), detect(ID, column("name", "varchar", "varchar(3)", true)).column());
    }

    @Test
    void shouldRefuseAConfiguredColumnThatDoesNotExistNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SoftDeleteColumnDetector.choose(Optional.of("gone"), table(ID), KEY));
        assertEquals(KEY + ": column 'gone' does not exist in shop.orders; its columns are [id]. Fix or remove the key",
                e.getMessage());
    }

    @Test
    void shouldRefuseAConfiguredColumnOfUnusableType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SoftDeleteColumnDetector
                .choose(Optional.of("state"), table(ID, column("state", "enum", "enum('live','gone')", false)), KEY));
        assertTrue(e.getMessage().startsWith(KEY + ": column 'state' of shop.orders is enum('live','gone'), which"
                + " cannot mark a row deleted"), e.getMessage());
    }

    @Test
    void shouldLetAConfiguredColumnWinOverDetection() {
        SoftDeleteChoice c = SoftDeleteColumnDetector.choose(Optional.of("removed_on"), table(ID,
                column("deleted_at", "datetime", "datetime", true), column("removed_on", "date", "date", true)), KEY);
        assertEquals("removed_on", c.column().orElseThrow().name());
    }

    @Test
    void shouldMarkATemporalRowDeletedWhenNotNull() {
        SoftDeleteChoice c = detect(ID, column("deleted_at", "timestamp", "timestamp(6)", true));
        assertTrue(c.marksDeleted(text("2024-01-01 00:00:00.000000")));
        assertFalse(c.marksDeleted(null));
    }

    @Test
    void shouldMarkAnIntegerOrBitRowDeletedWhenNotZero() {
        SoftDeleteChoice flag = detect(ID, column("is_deleted", "tinyint", "tinyint(1)", true));
        assertTrue(flag.marksDeleted(text("1")));
        assertTrue(flag.marksDeleted(text("-1")));
        assertFalse(flag.marksDeleted(text("0")));
        assertFalse(flag.marksDeleted(null));
        SoftDeleteChoice bit = detect(ID, column("deleted", "bit", "bit(1)", false));
        assertTrue(bit.marksDeleted(new byte[] {1}));
        assertFalse(bit.marksDeleted(new byte[] {0}));
    }
}
