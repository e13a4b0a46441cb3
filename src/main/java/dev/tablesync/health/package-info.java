/**
 * Health checks for Kubernetes probes. Uses {@code schedule}, {@code sync}, {@code verify}, {@code sql} and
 * {@code config}.
 */
package dev.tablesync.health;
