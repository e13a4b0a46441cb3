package dev.tablesync.schema;

import java.util.List;

/** An index: its name, whether it is unique, and its columns in order. */
public record Index(String name, boolean unique, List<String> columns) {

    public Index {
        columns = List.copyOf(columns);
    }

    public boolean isPrimary() {
        return name.equals("PRIMARY");
    }

    public boolean startsWith(String column) {
        return !columns.isEmpty() && columns.get(0).equalsIgnoreCase(column);
    }
}
