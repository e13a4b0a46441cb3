/**
 * The REST API over the engine, the run history and verify. Uses the packages below it, none uses it.
 */
package dev.tablesync.api;
