/**
 * Running mappings: the engine, the run cap, backoff, one run from source to target. Uses {@code checkpoint},
 * {@code sql}, {@code schema} and {@code config}; never {@code verify} or {@code schedule}, which use it.
 */
package dev.tablesync.sync;
