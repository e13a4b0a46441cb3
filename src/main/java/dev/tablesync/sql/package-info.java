/**
 * Talking to the servers: pools, dialects (the only place that writes SQL), reading table definitions,
 * error classification. Uses {@code schema} and {@code config}.
 */
package dev.tablesync.sql;
