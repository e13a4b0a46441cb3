/**
 * Configuration: the raw {@code TablesyncConfig} mapping, its validation, and the one validated view,
 * {@link dev.tablesync.config.Settings}, that every other bean injects. Uses {@code schema} only.
 */
package dev.tablesync.config;
