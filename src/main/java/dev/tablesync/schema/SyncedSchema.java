package dev.tablesync.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The source table's key and columns as they were when the target last matched them; kept with
 * the checkpoint, so the next run can tell a column added on the source (follow it) from one the
 * target has by design, and a column dropped or retyped on the source (stop).
 */
public record SyncedSchema(List<String> key, List<Shape> columns) {

    private static final Map<String, String> NORMAL_TYPES = new ConcurrentHashMap<>();
    private static final JsonMemo<SyncedSchema> JSON = new JsonMemo<>("synced schema", SyncedSchema::tree,
            SyncedSchema::read);
    /** MySQL 8 shows {@code int}, MariaDB {@code int(11)}: display widths say nothing about values. */
    private static final Pattern INT_WIDTH = Pattern.compile(
            "^(tinyint|smallint|mediumint|int|integer|bigint)\\(\\d+\\)");

    /** What a column can hold: its type without integer display width, charset and nullability. */
    public record Shape(String name, String type, Optional<String> charset, boolean nullable) {

        public static Shape of(Column c) {
            return new Shape(c.name(), normalType(c.columnType()), c.charset(), c.nullable());
        }

        /** Same values fit in both. */
        boolean sameDefinition(Shape other) {
            return type.equals(other.type) && charset.equals(other.charset) && nullable == other.nullable;
        }

        /** A target column of this shape holds every value of a source column of shape {@code source}. */
        boolean holds(Shape source) {
            return type.equals(source.type) && charset.equals(source.charset) && (nullable || !source.nullable);
        }

        @Override
        public String toString() {
            return type + charset.map(c -> " CHARACTER SET " + c).orElse("") + (nullable ? " NULL" : " NOT NULL");
        }
    }

    public SyncedSchema {
        key = List.copyOf(key);
        columns = List.copyOf(columns);
    }

    public static SyncedSchema of(TableSchema table) {
        return new SyncedSchema(table.key(), table.columns().stream().map(Shape::of).toList());
    }

    static String normalType(String columnType) {
        // A regex per column per run adds up in the interpreter; a table has few distinct types.
        if (NORMAL_TYPES.size() > 256) {
            NORMAL_TYPES.clear();
        }
        return NORMAL_TYPES.computeIfAbsent(columnType,
                t -> INT_WIDTH.matcher(t.toLowerCase(Locale.ROOT)).replaceFirst("$1"));
    }

    public Optional<Shape> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    public String toJson() {
        return JSON.toJson(this);
    }

    public static SyncedSchema fromJson(String json) {
        return JSON.fromJson(json);
    }

    private static JsonNode tree(SyncedSchema schema) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode keys = node.putArray("key");
        schema.key.forEach(keys::add);
        ArrayNode cols = node.putArray("columns");
        for (Shape s : schema.columns) {
            ObjectNode c = cols.addObject().put("name", s.name()).put("type", s.type()).put("nullable", s.nullable());
            s.charset().ifPresent(cs -> c.put("charset", cs));
        }
        return node;
    }

    private static SyncedSchema read(JsonNode node) {
        List<String> key = new ArrayList<>();
        node.path("key").forEach(k -> key.add(k.asText()));
        List<Shape> columns = new ArrayList<>();
        node.path("columns").forEach(c -> columns.add(new Shape(c.path("name").asText(), c.path("type").asText(),
                Optional.ofNullable(c.get("charset")).map(JsonNode::asText), c.path("nullable").asBoolean())));
        return new SyncedSchema(key, columns);
    }
}
