package dev.tablesync.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;


class TrackingColumnDetectorTest {

    private static final TableId ORDERS = TableId.of("shop", "orders");
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);
    private static final String ON_UPDATE = "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(6)";
    private static final Column AUTO_ID = new Column("id", "bigint", "bigint(20)", false, Optional.empty(),
            Optional.empty(), 0, "auto_increment");
    private static final Column PLAIN_ID = new Column("id", "int", "int(11)", false, Optional.empty(),
            Optional.empty(), 0, "");
    private static final Column NAME = new Column("name", "varchar", "varchar(100)", true, Optional.of("utf8mb4"),
            Optional.of("utf8mb4_general_ci"), 0, "");

    /** A DATETIME/TIMESTAMP with no weakness: NOT NULL, microseconds, ON UPDATE. */
    private static Column stamp(String name) {
        return new Column(name, "timestamp", "timestamp(6)", false, Optional.empty(), Optional.empty(), 6, ON_UPDATE);
    }

    private static Column stamp(String name, String type, boolean nullable, int precision, String extra) {
        return new Column(name, type, type + "(" + precision + ")", nullable, Optional.empty(), Optional.empty(),
                precision, extra);
    }

    /** A table keyed on its first column, with an index on every column. */
    private static TableSchema table(Column... columns) {
        List<Index> indexes = new ArrayList<>();
        for (Column c : columns) {
            indexes.add(new Index("ix_" + c.name(), false, List.of(c.name())));
        }
        return new TableSchema(ORDERS, "InnoDB", List.of(columns), List.of(columns[0].name()), indexes);
    }

    private static TrackingChoice auto(TableSchema table) {
        return TrackingColumnDetector.choose(Mode.AUTO, Optional.empty(), table, FIVE_SECONDS);
    }

    @Test
    void shouldPreferUpdatedAtOverModifiedAtAndOtherUpdateColumns() {
        TrackingChoice choice = auto(table(AUTO_ID, stamp("last_update_ts"), stamp("modified_at"), stamp("updated_at")));

        assertEquals(Mode.TIMESTAMP, choice.mode());
        assertEquals("updated_at", choice.columnName());
        assertEquals("detected timestamp column updated_at", choice.reason());
        assertEquals(List.of(), choice.warnings());
        assertEquals("timestamp(updated_at)", choice.describe());
    }

    @Test
    void shouldPreferModifiedAtOverColumnMerelyNamedLikeUpdate() {
        assertEquals("modified_at", auto(table(AUTO_ID, stamp("last_update_ts"), stamp("modified_at"))).columnName());
    }

    @Test
    void shouldMatchNamesCaseInsensitively() {
        assertEquals("Updated_At", auto(table(AUTO_ID, stamp("modified_at"), stamp("Updated_At"))).columnName());
    }

    @Test
    void shouldFallBackToDateTimeColumnNamedLikeUpdate() {
        Column counter = new Column("update_count", "int", "int(11)", false, Optional.empty(), Optional.empty(), 0, "");
        TrackingChoice choice = auto(table(AUTO_ID, counter, stamp("created_at"), stamp("last_update_ts")));

        assertEquals(Mode.TIMESTAMP, choice.mode());
        assertEquals("last_update_ts", choice.columnName());
    }

    @Test
    void shouldPreferUpdateNamedColumnThatChangesOnWrite() {
        Column manual = stamp("row_update_stamp", "datetime", false, 6, "");
        assertEquals("last_update_ts", auto(table(AUTO_ID, manual, stamp("last_update_ts"))).columnName());
    }

    @Test
    void shouldUseExplicitColumnEvenWhenUpdatedAtExists() {
        TrackingChoice choice = TrackingColumnDetector.choose(Mode.AUTO, Optional.of("changed_on"),
                table(AUTO_ID, stamp("updated_at"), stamp("changed_on")), FIVE_SECONDS);

        assertEquals(Mode.TIMESTAMP, choice.mode());
        assertEquals("changed_on", choice.columnName());
        assertEquals("tracking-column changed_on is configured", choice.reason());
    }

    @Test
    void shouldRefuseExplicitColumnThatDoesNotExistNamingTheColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrackingColumnDetector
                .choose(Mode.AUTO, Optional.of("nope"), table(AUTO_ID, NAME, stamp("updated_at")), FIVE_SECONDS));
        assertEquals("tracking-column 'nope' does not exist in shop.orders; its columns are [id, name, updated_at]",
                e.getMessage());
    }

    @Test
    void shouldRefuseExplicitColumnOfWrongType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrackingColumnDetector
                .choose(Mode.AUTO, Optional.of("name"), table(AUTO_ID, NAME), FIVE_SECONDS));
        assertEquals("tracking-column 'name' of shop.orders is varchar(100); mode timestamp needs DATETIME or"
                + " TIMESTAMP, mode id needs the table's single integer key", e.getMessage());
    }

    @Test
    void shouldRefuseExplicitTimestampColumnInModeId() {
        assertThrows(IllegalArgumentException.class, () -> TrackingColumnDetector.choose(Mode.ID,
                Optional.of("updated_at"), table(AUTO_ID, stamp("updated_at")), FIVE_SECONDS));
    }

    @Test
    void shouldPickAutoIncrementKeyInModeIdEvenWithTimestampColumn() {
        TrackingChoice choice = TrackingColumnDetector.choose(Mode.ID, Optional.empty(),
                table(AUTO_ID, stamp("updated_at")), FIVE_SECONDS);

        assertEquals(Mode.ID, choice.mode());
        assertEquals("id", choice.columnName());
        assertEquals(List.of("mode id copies new rows of shop.orders only: updates to existing rows are not seen;"
                + " use a timestamp column if rows change"), choice.warnings());
    }

    @Test
    void shouldRefuseModeIdWithCompositeKey() {
        Column tenant = new Column("tenant", "int", "int(11)", false, Optional.empty(), Optional.empty(), 0, "");
        TableSchema composite = new TableSchema(ORDERS, "InnoDB", List.of(tenant, AUTO_ID), List.of("tenant", "id"),
                List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrackingColumnDetector.choose(Mode.ID, Optional.empty(), composite, FIVE_SECONDS));
        assertEquals("mode id needs a single-column AUTO_INCREMENT integer key, but the key of shop.orders is [tenant, id];"
                + " set tracking-column to an integer key, or mode timestamp or full", e.getMessage());
    }

    @Test
    void shouldUseAutoIncrementKeyInModeAutoWhenNoTimestampExists() {
        TrackingChoice choice = auto(table(AUTO_ID, NAME));
        assertEquals(Mode.ID, choice.mode());
        assertEquals("no timestamp column; using the auto-increment key id", choice.reason());
    }

    @Test
    void shouldFallBackToFullWithWarningWithoutTimestampOrAutoIncrementKey() {
        TrackingChoice choice = auto(table(PLAIN_ID, NAME, stamp("created_at")));

        assertEquals(Mode.FULL, choice.mode());
        assertEquals(Optional.empty(), choice.column());
        assertEquals("no timestamp column and no auto-increment key", choice.reason());
        assertEquals(List.of("table shop.orders is re-copied in full on every run; add `updated_at` TIMESTAMP(6)"
                + " DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6) with an index to sync only changes"),
                choice.warnings());
    }

    @Test
    void shouldRefuseModeTimestampWithoutTimestampColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrackingColumnDetector
                .choose(Mode.TIMESTAMP, Optional.empty(), table(AUTO_ID, NAME), FIVE_SECONDS));
        assertTrue(e.getMessage().startsWith("mode timestamp but table shop.orders has no column named"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; set tracking-column"), e.getMessage());
    }

    @Test
    void shouldWarnWhenNoIndexStartsWithTrackingColumn() {
        Index composite = new Index("ix_name_updated", false, List.of("name", "updated_at"));
        TableSchema t = new TableSchema(ORDERS, "InnoDB", List.of(AUTO_ID, NAME, stamp("updated_at")), List.of("id"),
                List.of(new Index("PRIMARY", true, List.of("id")), composite));
        assertEquals(List.of("no index starts with updated_at: every incremental run scans shop.orders;"
                + " add INDEX (updated_at)"), auto(t).warnings());
    }

    @Test
    void shouldWarnWhenTrackingColumnHasNoOnUpdate() {
        assertEquals(List.of("updated_at has no ON UPDATE CURRENT_TIMESTAMP: writers must set it on every change,"
                + " or changes are missed"), auto(table(AUTO_ID, stamp("updated_at", "datetime", false, 6, "")))
                        .warnings());
    }

    @Test
    void shouldWarnWhenTrackingColumnIsNullable() {
        assertEquals(List.of("updated_at is nullable: rows where it is NULL are copied by the snapshot only"),
                auto(table(AUTO_ID, stamp("updated_at", "timestamp", true, 6, ON_UPDATE))).warnings());
    }

    @Test
    void shouldWarnAboutWholeSecondPrecisionWithSubSecondCommitDelay() {
        TableSchema t = table(AUTO_ID, stamp("updated_at", "datetime", false, 0, "on update current_timestamp"));
        TrackingChoice choice = TrackingColumnDetector.choose(Mode.AUTO, Optional.empty(), t, Duration.ofMillis(500));
        assertEquals(List.of("updated_at has 0 fractional digits but commit-delay is PT0.5S: rows stamped within the"
                + " same second may be rounded past the window; use commit-delay of at least 1s or DATETIME(6)"),
                choice.warnings());
    }

    @Test
    void shouldNotWarnAboutPrecisionWhenCommitDelayIsAtLeastOneSecond() {
        TableSchema t = table(AUTO_ID, stamp("updated_at", "datetime", false, 0, "on update current_timestamp"));
        assertEquals(List.of(), TrackingColumnDetector.choose(Mode.AUTO, Optional.empty(), t, Duration.ofSeconds(1))
                .warnings());
    }

    @Test
    void shouldListEveryWeaknessOfAPoorTrackingColumn() {
        Column poor = stamp("updated_at", "timestamp", true, 0, "");
        TableSchema t = new TableSchema(ORDERS, "InnoDB", List.of(AUTO_ID, poor), List.of("id"), List.of());
        List<String> warnings = TrackingColumnDetector.choose(Mode.TIMESTAMP, Optional.empty(), t, Duration.ZERO)
                .warnings();
        assertEquals(4, warnings.size(), warnings.toString());
        assertTrue(warnings.get(3).contains("use commit-delay of at least 1s or TIMESTAMP(6)"), warnings.toString());
    }

    @Test
    void shouldIgnoreColumnsInModeFull() {
        TrackingChoice choice = TrackingColumnDetector.choose(Mode.FULL, Optional.of("no_such_column"),
                table(AUTO_ID, stamp("updated_at")), FIVE_SECONDS);

        assertEquals(new TrackingChoice(Mode.FULL, Optional.empty(), "mode full is configured", List.of()), choice);
        assertEquals("full", choice.describe());
    }
}
