/**
 * Prometheus metrics of runs, verifies, mappings and pools; metric names are constants in
 * {@link dev.tablesync.metrics.Metrics}. Uses {@code sync}, {@code verify}, {@code sql} and {@code config}.
 */
package dev.tablesync.metrics;
