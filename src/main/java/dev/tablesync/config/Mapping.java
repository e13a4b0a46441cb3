package dev.tablesync.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import dev.tablesync.schema.TableId;

/**
 * One validated mapping: every field has been checked by {@link ConfigValidator}, so the sync
 * code never meets a bad value. Tests build these directly.
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
        boolean verifyRepair) {

    /** The default of {@code bulk-batch-size}. */
    public static final int DEFAULT_BULK_BATCH_SIZE = 10_000;

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
        if (commitDelay.isNegative()) {
            throw new IllegalArgumentException("commit delay must not be negative, got " + commitDelay);
        }
    }

    /** A mapping that copies a lost target again (the default of {@code on-target-loss}). */
    public Mapping(String id, String sourceConnection, TableId sourceTable, String targetConnection,
            TableId targetTable, Mode mode, Optional<String> trackingColumn, int batchSize, ConflictPolicy conflict,
            Duration commitDelay, String schedule, Duration maxLag, boolean enabled, Optional<String> softDeleteColumn,
            DeleteMode deleteMode, int bulkBatchSize) {
        this(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn, batchSize,
                conflict, commitDelay, Schedule.parse(schedule), maxLag, enabled, softDeleteColumn, deleteMode,
                bulkBatchSize, OnTargetLoss.RESNAPSHOT, Optional.empty(), false);
    }

    /** A mapping whose soft-delete column is detected and copied like any column (the defaults). */
    public Mapping(String id, String sourceConnection, TableId sourceTable, String targetConnection,
            TableId targetTable, Mode mode, Optional<String> trackingColumn, int batchSize, ConflictPolicy conflict,
            Duration commitDelay, String schedule, Duration maxLag, boolean enabled) {
        this(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn, batchSize,
                conflict, commitDelay, Schedule.parse(schedule), maxLag, enabled, Optional.empty(), DeleteMode.COPY,
                DEFAULT_BULK_BATCH_SIZE, OnTargetLoss.RESNAPSHOT, Optional.empty(), false);
    }

    /** A mapping with the defaults of {@link TablesyncConfig.MappingConfig}; for tests and the demo. */
    public static Mapping of(String id, String source, String sourceTable, String target, String targetTable) {
        return new Mapping(id, source, TableId.parse(sourceTable), target, TableId.parse(targetTable), Mode.AUTO,
                Optional.empty(), 1000, ConflictPolicy.OVERWRITE, Duration.ofSeconds(5), "30s", Duration.ofMinutes(15), true);
    }

    public Mapping withMode(Mode newMode, String column) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, newMode,
                Optional.ofNullable(column), batchSize, conflict, commitDelay, schedule, maxLag, enabled,
                softDeleteColumn, deleteMode, bulkBatchSize, onTargetLoss, verifySchedule, verifyRepair);
    }

    public Mapping withBatchSize(int size) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                size, conflict, commitDelay, schedule, maxLag, enabled, softDeleteColumn, deleteMode, bulkBatchSize,
                onTargetLoss, verifySchedule, verifyRepair);
    }

    public Mapping withBulkBatchSize(int size) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                batchSize, conflict, commitDelay, schedule, maxLag, enabled, softDeleteColumn, deleteMode, size,
                onTargetLoss, verifySchedule, verifyRepair);
    }

    public Mapping withConflict(ConflictPolicy policy) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                batchSize, policy, commitDelay, schedule, maxLag, enabled, softDeleteColumn, deleteMode, bulkBatchSize,
                onTargetLoss, verifySchedule, verifyRepair);
    }

    public Mapping withSchedule(Schedule newSchedule) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                batchSize, conflict, commitDelay, newSchedule, maxLag, enabled,
                softDeleteColumn, deleteMode, bulkBatchSize, onTargetLoss, verifySchedule, verifyRepair);
    }

    public Mapping withMaxLag(Duration lag) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                batchSize, conflict, commitDelay, schedule, lag, enabled, softDeleteColumn, deleteMode, bulkBatchSize,
                onTargetLoss, verifySchedule, verifyRepair);
    }

    public Mapping withCommitDelay(Duration delay) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                batchSize, conflict, delay, schedule, maxLag, enabled, softDeleteColumn, deleteMode, bulkBatchSize,
                onTargetLoss, verifySchedule, verifyRepair);
    }

    public Mapping withDeletes(Optional<String> column, DeleteMode mode) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, this.mode, trackingColumn,
                batchSize, conflict, commitDelay, schedule, maxLag, enabled, column, mode, bulkBatchSize, onTargetLoss, verifySchedule, verifyRepair);
    }

    public Mapping withOnTargetLoss(OnTargetLoss onLoss) {
        return new Mapping(id, sourceConnection, sourceTable, targetConnection, targetTable, mode, trackingColumn,
                batchSize, conflict, commitDelay, schedule, maxLag, enabled, softDeleteColumn, deleteMode,
                bulkBatchSize, onLoss, verifySchedule, verifyRepair);
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
