package dev.tablesync.schema;

import java.util.Objects;
import java.util.Optional;

/**
 * A table name as configured: {@code schema.table} or {@code table}. Either part may be wrapped
 * in backticks (doubled inside) to hold a dot; the names themselves are never interpreted as SQL.
 */
public record TableId(Optional<String> schema, String table) {

    public TableId {
        Objects.requireNonNull(schema, "schema");
        if (table == null || table.isEmpty()) {
            throw new IllegalArgumentException("table name is empty");
        }
    }

    public static TableId of(String schema, String table) {
        return new TableId(Optional.ofNullable(schema), table);
    }

    /** Parses {@code schema.table}, {@code table}, or either part in backticks. */
    public static TableId parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected schema.table or table, got an empty value");
        }
        String s = text.trim();
        int dot = splitPoint(s);
        if (dot < 0) {
            return new TableId(Optional.empty(), unquote(s));
        }
        return new TableId(Optional.of(unquote(s.substring(0, dot))), unquote(s.substring(dot + 1)));
    }

    /** Resolves a missing schema to the connection's default schema. */
    public TableId inSchema(String defaultSchema) {
        return schema.isPresent() ? this : of(defaultSchema, table);
    }

    public String schemaName() {
        return schema.orElseThrow(() -> new IllegalStateException("table " + table + " has no schema yet"));
    }

    @Override
    public String toString() {
        return schema.map(s -> s + "." + table).orElse(table);
    }

    private static int splitPoint(String s) {
        if (!s.startsWith("`")) {
            return s.indexOf('.');
        }
        int i = 1;
        while (i < s.length()) {
            if (s.charAt(i) == '`') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
                    i += 2;
                    continue;
                }
                return i + 1 < s.length() && s.charAt(i + 1) == '.' ? i + 1 : -1;
            }
            i++;
        }
        throw new IllegalArgumentException("unclosed backtick in " + s);
    }

    private static String unquote(String part) {
        String name = part.length() >= 2 && part.startsWith("`") && part.endsWith("`")
                ? part.substring(1, part.length() - 1).replace("``", "`") : part;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty schema or table name");
        }
        return name;
    }
}
