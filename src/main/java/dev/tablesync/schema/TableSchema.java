package dev.tablesync.schema;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * A table's columns (in ordinal order), its row key and its indexes. The key is the primary key
 * or, when there is none, the first unique key whose columns are all NOT NULL.
 */
public record TableSchema(TableId id, String engine, List<Column> columns, List<String> key, List<Index> indexes) {

    public TableSchema {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        indexes = List.copyOf(indexes);
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    public List<Column> keyColumns() {
        return key.stream().map(k -> column(k).orElseThrow()).toList();
    }

    public boolean hasKey() {
        return !key.isEmpty();
    }

    /** Unique keys other than the row key: an upsert can collide on them and update the wrong row. */
    public List<Index> otherUniqueKeys() {
        return indexes.stream().filter(Index::unique).filter(i -> !i.columns().equals(key)).toList();
    }

    public boolean hasIndexStartingWith(String column) {
        return indexes.stream().anyMatch(i -> i.startsWith(column));
    }

    /**
     * The engine, the unique keys and the column digest as {@code SchemaSql.ENGINE_AND_UNIQUE_KEYS}
     * reads them from the server, to tell whether they changed since this definition was read.
     */
    public String engineAndUniqueKeys() {
        return engine + "|" + indexes.stream().filter(Index::unique)
                .flatMap(i -> i.columns().stream().map(c -> i.name() + ":" + c)).collect(Collectors.joining(","))
                + "|" + columnDigest();
    }

    /** The sum of CRC32s of each column's definition, as the server computes it from information_schema. */
    private long columnDigest() {
        long sum = 0;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            String text = String.join("|", String.valueOf(i + 1), c.name(), c.columnType(), c.nullable() ? "YES" : "NO",
                    c.charset().orElse(""), c.collation().orElse(""), c.extra());
            CRC32 crc = new CRC32();
            crc.update(text.getBytes(StandardCharsets.UTF_8));
            sum += crc.getValue();
        }
        return sum;
    }

    /** InnoDB and other transactional engines can commit rows and checkpoint together. */
    public boolean isTransactional() {
        return engine.equalsIgnoreCase("InnoDB") || engine.equalsIgnoreCase("XtraDB")
                || engine.equalsIgnoreCase("RocksDB") || engine.equalsIgnoreCase("TokuDB");
    }
}
