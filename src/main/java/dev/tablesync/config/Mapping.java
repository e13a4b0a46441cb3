package dev.tablesync.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import dev.tablesync.schema.Mode;
import dev.tablesync.schema.TableId;

/**
 * One validated mapping: every field has been checked by {@link ConfigValidator}, so the sync
 * code never meets a bad value.
 */
public record Mapping(
        String id,
        String sourceConnection,
        TableId sourceTable,
        String targetConnection,
        TableId targetTable,
        Mode mode,
        Optional<String> trackingColumn,
        int batchSize,
        ConflictPolicy conflict,
        Duration commitDelay,
        Schedule schedule,
        Duration maxLag,
        boolean enabled,
        Optional<String> softDeleteColumn,
        DeleteMode deleteMode,
        int bulkBatchSize,
        OnTargetLoss onTargetLoss,
        Optional<Schedule> verifySchedule,
        boolean verifyRepair,
        int maxParked,
        OnBinlogGap onBinlogGap) {

    public Mapping {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceTable, "sourceTable");
        Objects.requireNonNull(targetTable, "targetTable");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(trackingColumn, "trackingColumn");
        Objects.requireNonNull(conflict, "conflict");
        Objects.requireNonNull(commitDelay, "commitDelay");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (bulkBatchSize < 1) {
            throw new IllegalArgumentException("bulk batch size must be at least 1, got " + bulkBatchSize);
        }
        Objects.requireNonNull(maxLag, "maxLag");
        Objects.requireNonNull(softDeleteColumn, "softDeleteColumn");
        Objects.requireNonNull(deleteMode, "deleteMode");
        Objects.requireNonNull(onTargetLoss, "onTargetLoss");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(verifySchedule, "verifySchedule");
        if (maxParked < 1) {
            throw new IllegalArgumentException("max parked must be at least 1, got " + maxParked);
        }
        Objects.requireNonNull(onBinlogGap, "onBinlogGap");
        if (commitDelay.isNegative()) {
            throw new IllegalArgumentException("commit delay must not be negative, got " + commitDelay);
        }
    }

    /** This mapping with conflict policy overwrite: a repair makes the target equal the source, whatever the policy. */
    public Mapping sourceWins() {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                batchSize, ConflictPolicy.OVERWRITE, commitDelay, schedule, maxLag, enabled, softDeleteColumn,
                deleteMode, bulkBatchSize, onTargetLoss, verifySchedule, verifyRepair, maxParked, onBinlogGap);
    }

    /**
     * Why this mapping must not run when its source and target tables, resolved to {@code source}
     * and {@code target}, are one table: it would write, and with hard deletes delete, the rows it reads.
     */
    public String sameTableProblem(TableId source, TableId target) {
        String key = "tablesync.mappings." + id;
        return key + ".source/.source-table ('" + sourceConnection + "', " + sourceTable + ") and " + key
                + ".target/.target-table ('" + targetConnection + "', " + targetTable + ") name the same table "
                + source + (source.equals(target) ? "" : " (as " + target + ")") + " on the same server: the mapping"
                + " would overwrite (with delete-mode=hard, delete) the rows it reads; point the target at another"
                + " table or server";
    }
}
