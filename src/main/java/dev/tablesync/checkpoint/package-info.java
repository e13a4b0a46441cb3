/**
 * The state schema on each target: checkpoints, run history, its set-up. Uses {@code sql}, {@code schema},
 * {@code config} and {@code binlog} (a mode binlog checkpoint's log position).
 */
package dev.tablesync.checkpoint;
