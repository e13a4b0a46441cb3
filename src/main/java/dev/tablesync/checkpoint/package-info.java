/**
 * The state schema on each target: checkpoints, run history, its set-up. Uses {@code sql}, {@code schema}
 * and {@code config}.
 */
package dev.tablesync.checkpoint;
