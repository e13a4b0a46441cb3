/**
 * Conflict policy {@code park}: digests of the rows the sync wrote, rows parked for a person to resolve,
 * and their resolution (take the source, keep the target, re-check) with its history. Uses {@code sql},
 * {@code checkpoint}, {@code schema} and {@code config}; {@code sync} parks through it, {@code api} resolves
 * through it.
 */
package dev.tablesync.conflict;
