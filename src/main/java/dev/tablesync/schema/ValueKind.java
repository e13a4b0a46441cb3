package dev.tablesync.schema;

import java.util.Locale;
import java.util.Set;

/**
 * How a column's value travels from the source's text protocol to the target. Values are passed
 * as the server's own text (or raw bytes), never converted through Java types, which is what
 * keeps DECIMAL, unsigned BIGINT, microsecond temporals and zero dates byte-exact.
 */
public enum ValueKind {
    /** Character data, ENUM, SET, JSON: bound as a string in the connection's utf8mb4. */
    TEXT,
    /** BINARY, VARBINARY, BLOBs, BIT and spatial types: bound as raw bytes. */
    BYTES,
    /** Integers, DECIMAL, DOUBLE, YEAR and FLOAT: the server's exact decimal text. */
    NUMBER,
    /** DATE, DATETIME, TIMESTAMP, TIME: the server's text, in the session time zone (UTC). */
    TEMPORAL;

    private static final Set<String> BYTES_TYPES = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "bit", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
            "multipolygon", "geometrycollection", "geomcollection");
    private static final Set<String> NUMBER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint", "decimal", "numeric", "float", "double", "real", "year");
    private static final Set<String> TEMPORAL_TYPES = Set.of("date", "datetime", "timestamp", "time");

    /** @param dataType information_schema.COLUMNS.DATA_TYPE, e.g. {@code varchar} */
    public static ValueKind of(String dataType) {
        String t = dataType.toLowerCase(Locale.ROOT);
        if (BYTES_TYPES.contains(t)) {
            return BYTES;
        }
        if (NUMBER_TYPES.contains(t)) {
            return NUMBER;
        }
        if (TEMPORAL_TYPES.contains(t)) {
            return TEMPORAL;
        }
        return TEXT;
    }
}
