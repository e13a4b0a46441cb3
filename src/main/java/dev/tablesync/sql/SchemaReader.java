package dev.tablesync.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.Index;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;

/** Reads a table's definition from information_schema. */
public final class SchemaReader {

    private SchemaReader() {
    }

    /** The connection's default schema, used for tables configured without one. */
    public static String defaultSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(Dialect.DEFAULT_SCHEMA)) {
            String schema = rs.next() ? rs.getString(1) : null;
            if (schema == null) {
                throw new SQLException("the connection has no default database; put one in its JDBC URL"
                        + " (jdbc:mysql://host:3306/database) or name tables as schema.table");
            }
            return schema;
        }
    }

    /** @return empty when the table does not exist */
    public static Optional<TableSchema> read(Connection c, TableId table) throws SQLException {
        String engine = engine(c, table);
        if (engine == null) {
            return Optional.empty();
        }
        List<Column> columns = columns(c, table);
        List<Index> indexes = indexes(c, table);
        return Optional.of(new TableSchema(table, engine, columns, rowKey(columns, indexes), indexes));
    }

    /**
     * {@code SHOW CREATE TABLE} as the bytes the server keeps: with results converted to UTF-8, a
     * binary default's bytes that are not UTF-8 would arrive as {@code ?}. The session's result
     * charset is put back before the (pooled) connection is used again.
     */
    public static byte[] rawDefinition(Connection c, Dialect dialect, TableId table) throws SQLException {
        String charset;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SchemaSql.RESULTS_CHARSET)) {
            charset = rs.next() ? rs.getString(1) : null;
        }
        setResultsCharset(c, null);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(dialect.schema().showCreateTable(table))) {
            if (!rs.next()) {
                throw new SQLException("SHOW CREATE TABLE " + table + " returned nothing");
            }
            return rs.getBytes(2);
        } finally {
            setResultsCharset(c, charset);
        }
    }

    private static void setResultsCharset(Connection c, String charset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SchemaSql.SET_RESULTS_CHARSET)) {
            ps.setString(1, charset);
            ps.execute();
        }
    }

    private static String engine(Connection c, TableId table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SchemaSql.TABLE_ENGINE)) {
            ps.setString(1, table.schemaName());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? String.valueOf(rs.getString(1)) : null;
            }
        }
    }

    private static List<Column> columns(Connection c, TableId table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SchemaSql.COLUMNS)) {
            ps.setString(1, table.schemaName());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3),
                            "YES".equals(rs.getString(4)), Optional.ofNullable(rs.getString(5)),
                            Optional.ofNullable(rs.getString(6)), rs.getInt(7), rs.getString(8),
                            Optional.ofNullable(rs.getString(9))));
                }
            }
        }
        return columns;
    }

    private static List<Index> indexes(Connection c, TableId table) throws SQLException {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        Map<String, List<Integer>> prefixes = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SchemaSql.INDEXES)) {
            ps.setString(1, table.schemaName());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // MySQL's functional index parts have no column
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(java.util.Objects.toString(rs.getString(3), ""));
                    prefixes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getInt(4));
                    unique.put(rs.getString(1), rs.getInt(2) == 0);
                    types.put(rs.getString(1), String.valueOf(rs.getString(5)));
                }
            }
        }
        List<Index> indexes = new ArrayList<>();
        columns.forEach((name, cols) -> indexes.add(new Index(name, unique.get(name), cols, prefixes.get(name),
                types.get(name))));
        return indexes;
    }

    /** The primary key, else the first unique key whose columns are all NOT NULL, else none. */
    static List<String> rowKey(List<Column> columns, List<Index> indexes) {
        Optional<Index> primary = indexes.stream().filter(Index::isPrimary).findFirst();
        if (primary.isPresent()) {
            return primary.get().columns();
        }
        return indexes.stream().filter(Index::unique)
                .filter(i -> i.columns().stream().allMatch(col -> columns.stream()
                        .anyMatch(k -> k.name().equals(col) && !k.nullable())))
                .map(Index::columns).findFirst().orElse(List.of());
    }
}
