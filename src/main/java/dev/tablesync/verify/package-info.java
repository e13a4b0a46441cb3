/**
 * Verify and repair: compares source and target by checksums and repairs differences, through the engine's
 * claim and run cap. Uses {@code sync} and everything below it.
 */
package dev.tablesync.verify;
