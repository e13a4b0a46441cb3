package dev.tablesync.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TableIdTest {

    @Test
    void shouldSplitSchemaAndTableAtTheDot() {
        assertEquals(new TableId(Optional.of("shop"), "orders"), TableId.parse("shop.orders"));
    }

    @Test
    void shouldLeaveSchemaEmptyForBareTable() {
        assertEquals(new TableId(Optional.empty(), "orders"), TableId.parse("orders"));
    }

    @Test
    void shouldTrimSurroundingWhitespace() {
        assertEquals(TableId.of("shop", "orders"), TableId.parse("  shop.orders \n"));
    }

    @Test
    void shouldKeepDotsInsideBacktickedParts() {
        assertEquals(TableId.of("my.shop", "order.lines"), TableId.parse("`my.shop`.`order.lines`"));
        assertEquals(TableId.of(null, "order.lines"), TableId.parse("`order.lines`"));
        assertEquals(TableId.of("shop", "order.lines"), TableId.parse("shop.`order.lines`"));
    }

    @Test
    void shouldUndoubleBackticksInsideBacktickedParts() {
        assertEquals(TableId.of("we`ird", "ta``ble"), TableId.parse("`we``ird`.`ta````ble`"));
        assertEquals(TableId.of(null, "a`.b"), TableId.parse("`a``.b`"));
    }

    @Test
    void shouldRefuseEmptyOrBlankText() {
        assertEquals("expected schema.table or table, got an empty value",
                assertThrows(IllegalArgumentException.class, () -> TableId.parse("")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableId.parse("   "));
        assertThrows(IllegalArgumentException.class, () -> TableId.parse(null));
    }

    @Test
    void shouldRefuseEmptySchemaOrTablePart() {
        assertEquals("empty schema or table name",
                assertThrows(IllegalArgumentException.class, () -> TableId.parse("shop.")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableId.parse(".orders"));
        assertThrows(IllegalArgumentException.class, () -> TableId.parse("``.orders"));
        assertThrows(IllegalArgumentException.class, () -> TableId.parse("shop.``"));
        assertThrows(IllegalArgumentException.class, () -> TableId.parse("``"));
    }

    @Test
    void shouldRefuseUnclosedBacktick() {
        assertEquals("unclosed backtick in `shop.orders",
                assertThrows(IllegalArgumentException.class, () -> TableId.parse("`shop.orders")).getMessage());
    }

    @Test
    void shouldResolveMissingSchemaToTheDefault() {
        assertEquals(TableId.of("shop", "orders"), TableId.parse("orders").inSchema("shop"));
    }

    @Test
    void shouldKeepExplicitSchemaWhenResolving() {
        TableId id = TableId.parse("archive.orders");
        assertSame(id, id.inSchema("shop"));
    }

    @Test
    void shouldRequireASchemaForSchemaName() {
        assertEquals("shop", TableId.parse("shop.orders").schemaName());
        assertEquals("table orders has no schema yet",
                assertThrows(IllegalStateException.class, () -> TableId.parse("orders").schemaName()).getMessage());
    }

    @Test
    void shouldPrintSchemaDotTable() {
        assertEquals("shop.orders", TableId.of("shop", "orders").toString());
        assertEquals("orders", TableId.of(null, "orders").toString());
    }
}
