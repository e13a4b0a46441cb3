package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.CheckpointStore;
import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.checkpoint.Phase;
import dev.tablesync.config.Mapping;
import dev.tablesync.config.OnTargetLoss;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.sql.Values;

/**
 * Tells whether the target lost the rows its checkpoint vouches for, so that a run never goes on
 * from a checkpoint whose rows are gone (a DROP or TRUNCATE by hand): a missing target table,
 * or an empty one while the source holds a row at or before the checkpoint's cursor. Both come
 * from the statement every run already sends ({@link CheckpointStore#loadForRun}); only an empty
 * target costs one more statement, on the source. Judged after planning, which compares the
 * checkpoint's fingerprint (and has created a missing table again). A target emptied legitimately
 * (the source is empty too, or under delete-mode hard every such row is marked deleted) is not a
 * loss. Mode full copies the table on every run and needs none of this. TRUNCATE keeps
 * information_schema's CREATE_TIME on MariaDB 10.11, so emptiness, not the table's identity, is
 * what is checked.
 */
final class TargetLoss {

    private static final Logger LOG = Logger.getLogger(TargetLoss.class);

    private TargetLoss() {
    }

    /**
     * @param plan the run's plan, which created the table again if it was missing
     * @return what was found, when the target lost rows the checkpoint vouches for
     */
    static Optional<String> detect(Checkpoint cp, CheckpointStore.Loaded loaded, SyncPlan plan, Connection source)
            throws SQLException {
        // A checkpoint made for another configuration (another target table, say) is not resumed anyway.
        if (!vouchesForRows(cp) || !cp.matches(plan.fingerprint())) {
            return Optional.empty();
        }
        if (loaded.targetKeys().isEmpty()) {
            return Optional.of("did not exist (dropped?) and was created again, empty");
        }
        if (!loaded.targetRows().equals(Optional.of(false)) || cp.cursor().isEmpty()) {
            return Optional.empty();
        }
        Cursor cursor = cp.cursor().get();
        Optional<Column> column = plan.source().column(cursor.columns().get(0));
        if (column.isEmpty()) {
            return Optional.empty();
        }
        String sql = plan.sourceDialect().reads().anyRowUpTo(plan.source().id(), column.get().name(),
                plan.hardDeletes() ? plan.softDelete().column() : Optional.empty());
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            Values.bindKey(ps, 1, column.get(), cursor.raw(0, column.get()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of("is empty, but source " + plan.source().id() + " has rows up to "
                        + cursor.columns().get(0) + " = " + cursor.values().get(0)) : Optional.empty();
            }
        }
    }

    private static boolean vouchesForRows(Checkpoint cp) {
        return cp != null
                && (cp.phase() == Phase.INCREMENTAL || cp.phase() == Phase.SNAPSHOT && cp.cursor().isPresent());
    }

    /**
     * Stops the run under {@code on-target-loss=fail}, the checkpoint kept for an operator to judge;
     * otherwise warns and returns why the run copies the table again.
     */
    static String act(Mapping mapping, TableId target, Checkpoint cp, String detected) {
        String what = "target table " + target + " " + detected + ", although checkpoint " + cp.describe()
                + " says rows were copied into it";
        if (mapping.onTargetLoss() == OnTargetLoss.FAIL) {
            throw new MappingException("mapping " + mapping.id() + ": " + what + "; tablesync.mappings." + mapping.id()
                    + ".on-target-loss is fail, so the mapping stops with its checkpoint kept. Copy it again with"
                    + " POST /api/mappings/" + mapping.id() + "/runs?full=true (or /reset), or set on-target-loss"
                    + " to resnapshot");
        }
        LOG.warnf("Mapping %s: %s; copying the table again (on-target-loss=resnapshot)", mapping.id(), what);
        return "the target lost its rows: " + what;
    }
}
