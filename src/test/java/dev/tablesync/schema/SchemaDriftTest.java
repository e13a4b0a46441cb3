package dev.tablesync.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which source changes the target follows, which stop the mapping, and what the message says. */
class SchemaDriftTest {

    private static final TableId SOURCE = TableId.of("shop", "orders");
    private static final TableId TARGET = TableId.of("copy", "orders");
    private static final Column ID = column("id", "int", "int(11)", false);
    private static final Column QTY = column("qty", "int", "int(11)", true);
    private static final Column NOTE = column("note", "varchar", "varchar(20)", true);
    private static final Column TS = column("updated_at", "datetime", "datetime(6)", false);

    private static Column column(String name, String dataType, String type, boolean nullable) {
        return new Column(name, dataType, type, nullable, Optional.empty(), Optional.empty(), 0, "");
    }

    private static TableSchema table(TableId id, Column... columns) {
        return new TableSchema(id, "InnoDB", List.of(columns), List.of("id"), List.of());
    }

    private static final SyncedSchema KNOWN = SyncedSchema.of(table(SOURCE, ID, QTY, NOTE, TS));

    private static SchemaDrift drift(TableSchema source, TableSchema target) {
        return SchemaDrift.between("orders", KNOWN, source, target, Optional.of("updated_at"));
    }

    private static String stop(TableSchema source, TableSchema target) {
        return assertThrows(SchemaDriftException.class, () -> drift(source, target)).getMessage();
    }

    @Test
    void shouldFindNoDriftWhenNothingChanged() {
        SchemaDrift d = drift(table(SOURCE, ID, QTY, NOTE, TS), table(TARGET, ID, QTY, NOTE, TS));
        assertEquals(List.of(), d.added());
        assertEquals(List.of(), d.adopted());
    }

    @Test
    void shouldAddColumnsNewOnTheSourceInSourceOrder() {
        Column a = column("a", "int", "int(11)", true);
        Column b = column("b", "text", "text", true);
        SchemaDrift d = drift(table(SOURCE, ID, a, QTY, NOTE, TS, b), table(TARGET, ID, QTY, NOTE, TS));
        assertEquals(List.of(a, b), d.added());
    }

    @Test
    void shouldNotAddANewSourceColumnTheTargetAlreadyHas() {
        Column a = column("a", "int", "int(11)", true);
        assertEquals(List.of(), drift(table(SOURCE, ID, QTY, NOTE, TS, a), table(TARGET, ID, QTY, NOTE, TS, a)).added());
    }

    @Test
    void shouldStopOnADroppedColumnNamingTableColumnTypeAndTheWayOut() {
        assertEquals("schema drift: source table shop.orders of mapping orders changed: column `note` varchar(20)"
                + " NULL was dropped. Target copy.orders was left as it is and the mapping is stopped. To proceed,"
                + " align the target table (drop column `note` from the target), then POST /api/mappings/orders/reset"
                + " to re-snapshot (without a reset, the mapping resumes from its checkpoint once the target matches"
                + " the source, and copies no existing row again)",
                stop(table(SOURCE, ID, QTY, TS), table(TARGET, ID, QTY, NOTE, TS)));
    }

    @Test
    void shouldStopOnARetypedColumnShowingOldAndNewType() {
        Column bigQty = column("qty", "bigint", "bigint(20)", true);
        String message = stop(table(SOURCE, ID, bigQty, NOTE, TS), table(TARGET, ID, QTY, NOTE, TS));
        assertTrue(message.contains("column `qty` changed from int NULL to bigint NULL (target has int NULL)"), message);
        assertTrue(message.contains("make target column `qty` bigint NULL"), message);
    }

    @Test
    void shouldNameTheTrackingColumnWhenItIsDropped() {
        String message = stop(table(SOURCE, ID, QTY, NOTE), table(TARGET, ID, QTY, NOTE, TS));
        assertTrue(message.contains("column `updated_at` datetime(6) NOT NULL was dropped (the tracking column)"),
                message);
    }

    @Test
    void shouldStopOnAChangedKey() {
        TableSchema source = new TableSchema(SOURCE, "InnoDB", List.of(ID, QTY, NOTE, TS), List.of("id", "qty"),
                List.of());
        String message = stop(source, table(TARGET, ID, QTY, NOTE, TS));
        assertTrue(message.contains("the primary key changed from [id] to [id, qty]"), message);
        assertTrue(message.contains("give the target PRIMARY KEY [id, qty]"), message);
    }

    @Test
    void shouldListEveryChangeInOneMessage() {
        Column text = column("note", "text", "text", true);
        String message = stop(table(SOURCE, ID, text, TS), table(TARGET, ID, QTY, NOTE, TS));
        assertTrue(message.contains("column `qty` int NULL was dropped; column `note` changed from varchar(20) NULL"
                + " to text NULL"), message);
    }

    @Test
    void shouldAdoptChangesTheTargetAlreadyFollows() {
        Column bigQty = column("qty", "bigint", "bigint", true);
        SchemaDrift d = drift(table(SOURCE, ID, bigQty, TS), table(TARGET, ID, column("qty", "bigint", "bigint(20)",
                true), TS));
        assertEquals(2, d.adopted().size(), d.adopted().toString());
        assertEquals(List.of(), d.added());
    }

    @Test
    void shouldAcceptANullableColumnBecomingNotNull() {
        Column notNullQty = column("qty", "int", "int", false);
        assertEquals(1, drift(table(SOURCE, ID, notNullQty, NOTE, TS), table(TARGET, ID, QTY, NOTE, TS)).adopted()
                .size());
    }

    @Test
    void shouldStopWhenASourceColumnBecomesNullableButTheTargetIsNot() {
        Column nullableTs = column("updated_at", "datetime", "datetime(6)", true);
        String message = stop(table(SOURCE, ID, QTY, NOTE, nullableTs), table(TARGET, ID, QTY, NOTE, TS));
        assertTrue(message.contains("column `updated_at` changed from datetime(6) NOT NULL to datetime(6) NULL"),
                message);
    }

    @Test
    void shouldKeepTheSyncedSchemaThroughJson() {
        List<Column> columns = new ArrayList<>(List.of(ID, QTY));
        columns.add(new Column("name", "varchar", "varchar(5)", false, Optional.of("utf8mb4"),
                Optional.of("utf8mb4_bin"), 0, ""));
        SyncedSchema schema = SyncedSchema.of(new TableSchema(SOURCE, "InnoDB", columns, List.of("id"), List.of()));
        assertEquals(schema, SyncedSchema.fromJson(schema.toJson()));
        assertEquals("int", schema.columns().get(0).type(), "display width dropped");
    }

    @Test
    void shouldRoundTripSyncedSchemasThroughJsonWhileRememberingRecentOnes() {
        List<SyncedSchema> schemas = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            schemas.add(SyncedSchema.of(table(SOURCE, ID, column("c" + i, "varchar", "varchar(" + (i + 1) + ")",
                    i % 2 == 0))));
        }
        for (int round = 0; round < 2; round++) {
            for (SyncedSchema s : schemas) {
                String json = s.toJson();
                assertEquals(json, new SyncedSchema(s.key(), s.columns()).toJson());
                assertEquals(s, SyncedSchema.fromJson(json));
                assertEquals(s, SyncedSchema.fromJson(json));
            }
        }
        assertEquals(KNOWN, SyncedSchema.fromJson(KNOWN.toJson()));
    }
}
