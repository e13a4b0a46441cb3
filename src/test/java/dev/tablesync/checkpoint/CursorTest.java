package dev.tablesync.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tablesync.schema.Column;

class CursorTest {

    private static final Column UUID = new Column("uuid", "binary", "binary(3)", false, Optional.empty(),
            Optional.empty(), 0, "");
    private static final Column UPDATED_AT = new Column("updated_at", "datetime", "datetime(6)", false,
            Optional.empty(), Optional.empty(), 6, "");
    private static final Column NAME = new Column("name", "varchar", "varchar(100)", false, Optional.of("utf8mb4"),
            Optional.empty(), 0, "");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteColumnsAndValuesAsJsonArrays() {
        Cursor c = new Cursor(List.of("updated_at", "id"), List.of("2024-01-02 03:04:05.000006", "42"));
        assertEquals("{\"columns\":[\"updated_at\",\"id\"],\"values\":[\"2024-01-02 03:04:05.000006\",\"42\"]}",
                c.toJson());
    }

    @Test
    void shouldRoundTripThroughJson() {
        Cursor c = new Cursor(List.of("updated_at", "id"), List.of("2024-01-02 03:04:05.000006", "42"));
        assertEquals(c, Cursor.fromJson(c.toJson()));
    }

    @Test
    void shouldStoreBinaryValuesAsHexAndRestoreTheExactBytes() {
        byte[] uuid = {0x00, (byte) 0xff, 0x10};
        Cursor c = Cursor.at(List.of(UUID, UPDATED_AT), List.of(uuid, utf8("2024-01-02 03:04:05.000000")));

        assertEquals(List.of("00ff10", "2024-01-02 03:04:05.000000"), c.values());
        Cursor back = Cursor.fromJson(c.toJson());
        assertEquals(c, back);
        assertArrayEquals(uuid, back.raw(0, UUID));
        assertArrayEquals(utf8("2024-01-02 03:04:05.000000"), back.raw(1, UPDATED_AT));
    }

    @Test
    void shouldRoundTripQuotesBackslashesAndUnicode() {
        String tricky = "O'Brien \"the\" \\ caf\u00e9 \u2603 \ud83d\ude00 \t\n";
        Cursor c = Cursor.at(List.of(NAME), List.of(utf8(tricky)));

        Cursor back = Cursor.fromJson(c.toJson());
        assertEquals(tricky, back.values().get(0));
        assertArrayEquals(utf8(tricky), back.raw(0, NAME));
    }

    @Test
    void shouldRefuseNullValueAtTheCursorRow() {
        List<byte[]> raw = Arrays.asList(utf8("2024-01-02 03:04:05"), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cursor.at(List.of(UPDATED_AT, NAME), raw));
        assertEquals("column name is NULL at the cursor row", e.getMessage());
    }

    @Test
    void shouldRefuseInvalidJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cursor.fromJson("{not json"));
        assertTrue(e.getMessage().startsWith("unreadable cursor {not json: "), e.getMessage());
    }

    @Test
    void shouldRefuseJsonWithoutColumns() {
        assertThrows(IllegalArgumentException.class, () -> Cursor.fromJson("{}"));
        assertThrows(IllegalArgumentException.class, () -> Cursor.fromJson("{\"columns\":[],\"values\":[]}"));
    }

    @Test
    void shouldRefuseJsonWithMismatchedSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Cursor.fromJson("{\"columns\":[\"a\",\"b\"],\"values\":[\"1\"]}"));
        assertTrue(e.getMessage().contains("a cursor needs one value per column"), e.getMessage());
    }

    @Test
    void shouldRefuseMismatchedOrEmptyListsInConstructor() {
        assertThrows(IllegalArgumentException.class, () -> new Cursor(List.of("a", "b"), List.of("1")));
        assertThrows(IllegalArgumentException.class, () -> new Cursor(List.of(), List.of()));
    }

    @Test
    void shouldNotChangeWhenTheCallersListsChange() {
        List<String> cols = new ArrayList<>(List.of("id"));
        List<String> vals = new ArrayList<>(List.of("1"));
        Cursor c = new Cursor(cols, vals);
        cols.set(0, "other");
        vals.set(0, "2");
        assertEquals(List.of("id"), c.columns());
        assertEquals(List.of("1"), c.values());
    }

    @Test
    void shouldDescribeColumnValuePairs() {
        Cursor c = new Cursor(List.of("updated_at", "id"), List.of("2024-01-02 03:04:05", "42"));
        assertEquals("(updated_at=2024-01-02 03:04:05, id=42)", c.toString());
        assertEquals(2, c.length());
    }

    @Test
    void shouldRoundTripManyCursorsThroughJsonWhileRememberingRecentOnes() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 200; i++) {
                Cursor c = new Cursor(List.of("ts", "id"), List.of("2024-01-01 00:00:0" + (i % 10), "" + i));
                String json = c.toJson();
                assertEquals(json, new Cursor(c.columns(), c.values()).toJson());
                assertEquals(c, Cursor.fromJson(json));
                assertEquals(c, Cursor.fromJson(json));
            }
        }
    }
}
