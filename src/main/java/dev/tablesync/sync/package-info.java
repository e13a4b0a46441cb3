/**
 * Running mappings: the engine, the run cap, backoff, one run from source to target, and a binlog mapping's
 * apply session. Uses {@code checkpoint}, {@code binlog}, {@code sql}, {@code schema} and {@code config}; never {@code verify} or {@code schedule}, which use it.
 */
package dev.tablesync.sync;
