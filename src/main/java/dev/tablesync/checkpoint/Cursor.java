package dev.tablesync.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.ValueKind;

/**
 * A position in a table's read order: values of the leading order columns, exactly as the
 * server printed them (binary values in hex). A cursor as long as the order is exclusive (rows
 * after it); a shorter one is inclusive (rows from it on), which is how an incremental phase
 * starts from a point in time.
 */
public record Cursor(List<String> columns, List<String> values) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final int MEMO_SIZE = 64;
    private static final Map<String, Cursor> FROM_JSON = new ConcurrentHashMap<>();
    private static final Map<Cursor, String> JSON_OF = new ConcurrentHashMap<>();

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
        String known = JSON_OF.get(this);
        if (known != null) {
            return known;
        }
        ObjectNode node = JSON.createObjectNode();
        ArrayNode cols = node.putArray("columns");
        columns.forEach(cols::add);
        ArrayNode vals = node.putArray("values");
        values.forEach(vals::add);
        String json = node.toString();
        remember(json, this);
        return json;
    }

    /**
     * An idle run reads its checkpoint's cursors and writes them back unchanged: Jackson in the
     * interpreter (one run a second never gets it compiled) costs a tenth of a millisecond each way.
     */
    private static void remember(String json, Cursor cursor) {
        if (FROM_JSON.size() > MEMO_SIZE || JSON_OF.size() > MEMO_SIZE) {
            FROM_JSON.clear();
            JSON_OF.clear();
        }
        FROM_JSON.put(json, cursor);
        JSON_OF.put(cursor, json);
    }

    public static Cursor fromJson(String json) {
        Cursor known = FROM_JSON.get(json);
        if (known != null) {
            return known;
        }
        try {
            JsonNode node = JSON.readTree(json);
            List<String> cols = new ArrayList<>();
            node.path("columns").forEach(n -> cols.add(n.asText()));
            List<String> vals = new ArrayList<>();
            node.path("values").forEach(n -> vals.add(n.asText()));
            Cursor cursor = new Cursor(cols, vals);
            remember(json, cursor);
            return cursor;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable cursor " + json + ": " + e.getMessage(), e);
        }
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
