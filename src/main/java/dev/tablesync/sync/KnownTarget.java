package dev.tablesync.sync;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.tablesync.schema.TableSchema;

/**
 * A mapping's target table definition as its last successful run read it, so that an incremental
 * run need not read the target's information_schema again (four statements of an idle run). Its
 * engine, unique keys and a digest of its column definitions are checked on every run in the
 * checkpoint's round trip: an upsert on a key changed unseen would add rows instead of updating
 * them, and a column narrowed by hand would truncate values. Any such change makes the run read
 * the table again and judge it as a first run does; a failed run forgets the definition too.
 * Forgotten too when a run created or altered the table; never used for a snapshot. It also keeps
 * what the mapping was told about its target's write paths, so a schedule of seconds does not
 * repeat it every run.
 */
final class KnownTarget {

    private volatile TableSchema schema;
    private final Set<String> notes = ConcurrentHashMap.newKeySet();

    /**
     * @param engineAndUniqueKeys the table's engine, unique keys and column digest, as read now; empty
     *                            when it does not exist
     */
    Optional<TableSchema> ifUnchanged(Optional<String> engineAndUniqueKeys) {
        TableSchema known = schema;
        if (known == null || engineAndUniqueKeys.isEmpty()
                || !engineAndUniqueKeys.get().equals(known.engineAndUniqueKeys())) {
            return Optional.empty();
        }
        return Optional.of(known);
    }

    /**
     * @param plan the run's plan; null when it stopped before planning (paused, or failed), which
     *             keeps the definition unless the run failed
     */
    void afterRun(boolean failed, SyncPlan plan) {
        if (failed || plan != null && plan.targetChanged()) {
            schema = null;
        } else if (plan != null) {
            schema = plan.target();
        }
    }

    void forget() {
        schema = null;
    }

    /** True the first time this mapping notes {@code what} about its target (local_infile off, a declined load). */
    boolean firstNote(String what) {
        return notes.add(what);
    }
}
