package dev.tablesync.sql;

import static dev.tablesync.sql.Dialect.keyEquals;
import static dev.tablesync.sql.Dialect.quote;
import static dev.tablesync.sql.Dialect.table;
import static dev.tablesync.sql.Dialect.NEW_ROW_ALIAS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.ValueKind;

/**
 * SQL that writes a synced table on the target: multi-row upserts under the conflict policy,
 * the staging table of staged writes, {@code LOAD DATA LOCAL} of bulk loads, and deletes by key.
 * Reached through {@link Dialect#writes()}, which knows the server.
 */
public final class WriteSql {

    private final Dialect dialect;

    WriteSql(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Multi-row upsert of {@code rows} rows with the conflict policy's update clause. */
    public String upsert(TableId table, List<Column> columns, List<String> key, ConflictPolicy policy,
            Optional<String> tracking, int rows) {
        String names = columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String one = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        StringBuilder sql = new StringBuilder(64 + rows * (one.length() + 2))
                .append("INSERT INTO ").append(table(table)).append(" (").append(names).append(") VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(one);
        }
        // With the row alias, MySQL also knows each column under the alias: a bare name is ambiguous there.
        Function<String, String> existing = Dialect::quote;
        if (dialect.usesRowAlias()) {
            sql.append(" AS ").append(NEW_ROW_ALIAS);
            existing = c -> table(table) + "." + quote(c);
        }
        return sql.append(" ON DUPLICATE KEY UPDATE ")
                .append(updateClause(columns, key, policy, tracking, dialect::inserted, existing)).toString();
    }

    /**
     * The conflict policy's assignments; {@code inserted} and {@code existing} name a column's
     * incoming and current value.
     */
    private static String updateClause(List<Column> columns, List<String> key, ConflictPolicy policy,
            Optional<String> tracking, Function<String, String> inserted, Function<String, String> existing) {
        String keep = quote(key.get(0)) + " = " + existing.apply(key.get(0));
        List<String> values = columns.stream().map(Column::name).filter(c -> !key.contains(c)).toList();
        if (policy == ConflictPolicy.SKIP || policy == ConflictPolicy.ERROR || values.isEmpty()) {
            return keep;
        }
        if (policy == ConflictPolicy.OVERWRITE || policy == ConflictPolicy.PARK) {
            return values.stream().map(c -> quote(c) + " = " + inserted.apply(c)).collect(Collectors.joining(", "));
        }
        String ts = tracking.orElseThrow(() -> new IllegalArgumentException("newer-wins needs a tracking column"));
        String newer = "(" + inserted.apply(ts) + " > " + existing.apply(ts) + " OR (" + existing.apply(ts)
                + " IS NULL AND " + inserted.apply(ts) + " IS NOT NULL))";
        // Assignments run left to right and see earlier ones, so the tracking column goes last.
        List<String> ordered = new ArrayList<>(values.stream().filter(c -> !c.equals(ts)).toList());
        ordered.add(ts);
        return ordered.stream()
                .map(c -> quote(c) + " = IF(" + newer + ", " + inserted.apply(c) + ", " + existing.apply(c) + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * A session's private staging table for one batch, replacing the previous batch's: the target's
     * columns with their types and character sets, all nullable and without keys, so it holds
     * exactly what a load puts in. MariaDB replaces it in one statement; MySQL lacks CREATE OR REPLACE.
     */
    public List<String> freshStaging(TableId staging, List<Column> targetColumns) {
        String cols = targetColumns.stream()
                .map(c -> quote(c.name()) + " " + c.columnType() + c.charset().map(cs -> " CHARACTER SET " + cs)
                        .orElse("") + " NULL")
                .collect(Collectors.joining(", "));
        if (dialect.server().isMariaDb()) {
            return List.of("CREATE OR REPLACE TEMPORARY TABLE " + table(staging) + " (" + cols + ")");
        }
        return List.of(dropStaging(staging), "CREATE TEMPORARY TABLE " + table(staging) + " (" + cols + ")");
    }

    /** Neither this nor creating a TEMPORARY table commits (TRUNCATE would): the batch's transaction goes on. */
    public String dropStaging(TableId staging) {
        return "DROP TEMPORARY TABLE IF EXISTS " + table(staging);
    }

    /**
     * The staged rows into the target with the same conflict clause as {@link #upsert}. Current
     * values are named with the target table, since the staging table has the same column names.
     * MySQL 8.0.19+ reads incoming values through a derived table's alias, as VALUES() is deprecated there.
     */
    public String upsertFromStaging(TableId target, TableId staging, List<Column> columns, List<String> key,
            ConflictPolicy policy, Optional<String> tracking) {
        String names = columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String select = "SELECT " + names + " FROM " + table(staging);
        String rows = dialect.usesRowAlias() ? "SELECT * FROM (" + select + ") AS " + NEW_ROW_ALIAS : select;
        return "INSERT INTO " + table(target) + " (" + names + ") " + rows + " ON DUPLICATE KEY UPDATE "
                + updateClause(columns, key, policy, tracking, dialect::inserted, c -> table(target) + "." + quote(c));
    }

    /** Whether the server accepts {@code LOAD DATA LOCAL}: MySQL 8 ships with it off. */
    public static final String LOCAL_INFILE = "SELECT @@local_infile";

    /** One row of the table after a key cursor, if any: is the rest of the key range still empty? */
    public String anyRowAfter(TableId table, List<String> key, boolean afterCursor) {
        return "SELECT 1 FROM " + table(table) + " WHERE " + dialect.keysetPredicate(key, afterCursor ? key.size() : 0)
                + " LIMIT 1";
    }

    /**
     * Bulk insert of rows streamed by the client in the server's own tab-separated text format
     * (the one {@code SELECT ... INTO OUTFILE} writes). The file name is never opened: the
     * driver sends the stream set on the statement instead. Text is UTF-8 like every value we
     * read, so the server converts it to each column's character set exactly as for an INSERT;
     * binary columns travel as hex through a variable, because MySQL reads every byte of the
     * stream as a utf8mb4 character and refuses or drops bytes that are not one.
     */
    public String loadData(TableId table, List<Column> columns) {
        List<String> fields = new ArrayList<>();
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.kind() == ValueKind.BYTES) {
                fields.add("@b" + i);
                assignments.add(quote(c.name()) + " = UNHEX(@b" + i + ")");
            } else {
                fields.add(quote(c.name()));
            }
        }
        return "LOAD DATA LOCAL INFILE 'tablesync-stream' INTO TABLE " + table(table) + " CHARACTER SET utf8mb4"
                + " FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\'"
                + " LINES TERMINATED BY '\\n' STARTING BY '' (" + String.join(", ", fields) + ")"
                + (assignments.isEmpty() ? "" : " SET " + String.join(", ", assignments));
    }

    /** Target rows with the given keys, locked, for the {@code error} policy's comparison. */
    public String selectExisting(TableId table, List<Column> columns, List<String> key, int rows) {
        return "SELECT " + dialect.selectList(columns) + " FROM " + table(table) + " WHERE " + keyEquals(key, rows)
                + " FOR UPDATE";
    }

    /** Deletes the target rows with the given keys (soft-deleted on the source, delete-mode hard). */
    public String deleteByKey(TableId table, List<String> key, int rows) {
        return "DELETE FROM " + table(table) + " WHERE " + keyEquals(key, rows);
    }
}
