/**
 * The scheduler jobs of each mapping: syncs and verifies at their configured {@code Schedule}. Uses
 * {@code sync}, {@code verify} and {@code config}.
 */
package dev.tablesync.schedule;
