package dev.tablesync.sql;

import java.util.Locale;

import dev.tablesync.schema.TableId;

/**
 * Which server a connection reaches, whatever its name, host alias or default schema: two
 * connections with the same identity write the same tables (see {@link Dialect#serverIdentity()}).
 *
 * @param id                   the server's identity text
 * @param caseInsensitiveNames whether the server compares schema and table names without case
 *                             ({@code lower_case_table_names} 1 or 2)
 */
public record ServerIdentity(String id, boolean caseInsensitiveNames) {

    /** Whether {@code mine} on this server and {@code theirs} on {@code other} are one table; both schema-qualified. */
    public boolean sameTable(TableId mine, ServerIdentity other, TableId theirs) {
        return id.equals(other.id) && name(mine.schemaName()).equals(name(theirs.schemaName()))
                && name(mine.table()).equals(name(theirs.table()));
    }

    private String name(String name) {
        return caseInsensitiveNames ? name.toLowerCase(Locale.ROOT) : name;
    }
}
