/**
 * The table model: table names, columns, keys, how changes are tracked ({@link dev.tablesync.schema.Mode}),
 * drift between two definitions. Pure values and decisions: uses no other tablesync package, runs no SQL
 * (reading a definition from a server is {@code sql.SchemaReader}).
 */
package dev.tablesync.schema;
