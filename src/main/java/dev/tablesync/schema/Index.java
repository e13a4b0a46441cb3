package dev.tablesync.schema;

import java.util.Collections;
import java.util.List;

/**
 * An index: its name, whether it is unique, its columns in order, each column's prefix length
 * (0: the whole value) and its type ({@code BTREE}, {@code HASH}, {@code FULLTEXT}, {@code SPATIAL}).
 */
public record Index(String name, boolean unique, List<String> columns, List<Integer> prefixes, String type) {

    public Index {
        columns = List.copyOf(columns);
        prefixes = List.copyOf(prefixes);
        if (prefixes.size() != columns.size()) {
            throw new IllegalArgumentException("index " + name + ": one prefix length per column");
        }
    }

    /** A B-tree index on whole columns. */
    public Index(String name, boolean unique, List<String> columns) {
        this(name, unique, columns, Collections.nCopies(columns.size(), 0), "BTREE");
    }

    public boolean isPrimary() {
        return name.equals("PRIMARY");
    }

    public boolean startsWith(String column) {
        return !columns.isEmpty() && columns.get(0).equalsIgnoreCase(column);
    }

    /** An ordinary index on columns, which a created target can have too (not FULLTEXT, SPATIAL or functional). */
    public boolean isPlain() {
        return (type.equals("BTREE") || type.equals("HASH")) && columns.stream().noneMatch(String::isEmpty);
    }
}
