package dev.tablesync.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.JsonMemo;
import dev.tablesync.schema.ValueKind;

/**
 * A position in a table's read order: values of the leading order columns, exactly as the
 * server printed them (binary values in hex). A cursor as long as the order is exclusive (rows
 * after it); a shorter one is inclusive (rows from it on), which is how an incremental phase
 * starts from a point in time.
 */
public record Cursor(List<String> columns, List<String> values) {

    private static final HexFormat HEX = HexFormat.of();
    private static final JsonMemo<Cursor> JSON = new JsonMemo<>("cursor", Cursor::tree, Cursor::read);

    public Cursor {
        columns = List.copyOf(columns);
        values = List.copyOf(values);
        if (columns.isEmpty() || columns.size() != values.size()) {
            throw new IllegalArgumentException("a cursor needs one value per column, got " + columns + " = " + values);
        }
    }

    /** The cursor at a row: {@code raw[i]} is the server's bytes for {@code columns.get(i)}. */
    public static Cursor at(List<Column> columns, List<byte[]> raw) {
        List<String> values = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            byte[] v = raw.get(i);
            if (v == null) {
                throw new IllegalArgumentException("column " + columns.get(i).name() + " is NULL at the cursor row");
            }
            values.add(columns.get(i).kind() == ValueKind.BYTES ? HEX.formatHex(v)
                    : new String(v, StandardCharsets.UTF_8));
        }
        return new Cursor(columns.stream().map(Column::name).toList(), values);
    }

    /** The server bytes of value {@code i}, for binding. */
    public byte[] raw(int i, Column column) {
        String v = values.get(i);
        return column.kind() == ValueKind.BYTES ? HEX.parseHex(v) : v.getBytes(StandardCharsets.UTF_8);
    }

    public int length() {
        return values.size();
    }

    public String toJson() {
        return JSON.toJson(this);
    }

    public static Cursor fromJson(String json) {
        return JSON.fromJson(json);
    }

    private static JsonNode tree(Cursor cursor) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode cols = node.putArray("columns");
        cursor.columns.forEach(cols::add);
        ArrayNode vals = node.putArray("values");
        cursor.values.forEach(vals::add);
        return node;
    }

    private static Cursor read(JsonNode node) {
        List<String> cols = new ArrayList<>();
        node.path("columns").forEach(n -> cols.add(n.asText()));
        List<String> vals = new ArrayList<>();
        node.path("values").forEach(n -> vals.add(n.asText()));
        return new Cursor(cols, vals);
    }

    @Override
    public String toString() {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            pairs.add(columns.get(i) + "=" + values.get(i));
        }
        return "(" + String.join(", ", pairs) + ")";
    }
}
