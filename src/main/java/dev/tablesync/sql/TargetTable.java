package dev.tablesync.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.ColumnFit;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.TableSchema;

/**
 * Makes sure the target table can hold the source rows: creates it from the source definition
 * (with the source's secondary indexes, all non-unique) when it is missing, refuses one that lacks
 * columns, has a column that cannot hold the source's values ({@link ColumnFit}), has another key
 * or cannot commit transactionally, and warns about what may bite later.
 *
 * @param created  whether this call created the table
 * @param warnings differences that do not stop the sync
 */
public record TargetTable(TableSchema schema, boolean created, List<String> warnings) {

    public static TargetTable ensure(Connection target, Dialect dialect, TableSchema source, TableId id)
            throws SQLException {
        return ensure(target, dialect, source, id, SchemaReader.read(target, id));
    }

    /** As {@link #ensure(Connection, Dialect, TableSchema, TableId)}, for a target this run has already read. */
    public static TargetTable ensure(Connection target, Dialect dialect, TableSchema source, TableId id,
            Optional<TableSchema> existing) throws SQLException {
        if (existing.isEmpty()) {
            try (Statement s = target.createStatement()) {
                s.execute(SchemaSql.EXPLICIT_TIMESTAMP_DEFAULTS);
                s.execute(dialect.schema().createTable(id, source));
            }
            TableSchema created = SchemaReader.read(target, id)
                    .orElseThrow(() -> new SQLException("table " + id + " vanished right after CREATE TABLE"));
            return new TargetTable(created, true, List.of());
        }
        return new TargetTable(existing.get(), false, check(source, existing.get(), dialect));
    }

    static List<String> check(TableSchema source, TableSchema target, Dialect dialect) {
        List<String> missing = source.columns().stream().map(Column::name)
                .filter(c -> target.column(c).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("target " + target.id() + " lacks columns " + missing + " of source "
                    + source.id() + "; add them (same types) or drop the target table so tablesync creates it");
        }
        if (!target.key().equals(source.key())) {
            throw new IllegalArgumentException("target " + target.id() + " has key " + target.key() + " but source "
                    + source.id() + " has key " + source.key() + "; give the target the same PRIMARY KEY");
        }
        if (!target.isTransactional()) {
            throw new IllegalArgumentException("target " + target.id() + " uses engine " + target.engine()
                    + ", which cannot commit rows and checkpoint together; ALTER TABLE " + target.id()
                    + " ENGINE=InnoDB");
        }
        List<String> warnings = new ArrayList<>();
        for (Column s : source.columns()) {
            Column t = target.column(s.name()).orElseThrow();
            Optional<String> refusal = ColumnFit.refusal(s, t);
            if (refusal.isPresent()) {
                throw new IllegalArgumentException("target " + target.id() + " column " + s.name() + " is "
                        + definition(t) + " but source " + source.id() + " has " + definition(s) + ": "
                        + refusal.get() + ". Was it changed by hand? ALTER TABLE " + Dialect.table(target.id())
                        + " MODIFY " + dialect.schema().columnDefinition(s) + ", then resume the mapping");
            }
            if (!t.columnType().equalsIgnoreCase(s.columnType())) {
                warnings.add("column " + s.name() + " is " + s.columnType() + " in the source but " + t.columnType()
                        + " in the target, which can hold every value of it");
            }
        }
        target.otherUniqueKeys().forEach(k -> warnings.add("target " + target.id() + " has unique key " + k.name()
                + " " + k.columns() + " besides its primary key: an upsert that collides on it updates another row;"
                + " drop it or make it non-unique"));
        return warnings;
    }

    private static String definition(Column c) {
        return c.columnType() + c.charset().map(cs -> " CHARACTER SET " + cs).orElse("")
                + (c.nullable() ? " NULL" : " NOT NULL");
    }
}
