package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.conflict.ParkStore;

/**
 * Writes a batch's rows under the mapping's rules: under delete-mode hard, rows the source marked
 * deleted are deleted by key; under conflict policy {@code error}, a differing target row stops the
 * run; under {@code park}, {@link Parking} keeps back the rows it parks; the rest is upserted by its {@link Upserts}, multi-row statements or a staging table. It
 * never commits: the caller commits the rows together with their checkpoint.
 */
public final class BatchWriter implements Sink {

    private final SyncPlan plan;
    private final long maxStatementBytes;
    private final Upserts upserts;
    private final RowKeys keys;
    private final Map<Integer, String> deletes = new HashMap<>();
    private final int flagPosition;
    private final Parking parking;

    /** A writer with multi-row upsert statements. */
    public BatchWriter(SyncPlan plan, long maxStatementBytes) {
        this(plan, maxStatementBytes, null, null);
    }

    /**
     * @param upserts how kept rows are upserted; null for multi-row statements
     * @param parking under conflict policy park, which rows may be written; else null
     */
    BatchWriter(SyncPlan plan, long maxStatementBytes, Upserts upserts, Parking parking) {
        this.plan = plan;
        this.parking = parking;
        this.maxStatementBytes = maxStatementBytes;
        this.keys = new RowKeys(plan);
        this.upserts = upserts != null ? upserts : new UpsertStatements(plan, maxStatementBytes, keys);
        this.flagPosition = plan.hardDeletes() ? plan.positions(List.of(plan.softDelete().column().orElseThrow()))[0]
                : -1;
    }

    /**
     * A writer that parks nothing but records the digest of every row it writes, for a repair of a
     * mapping under conflict policy park: the sync then owns the repaired rows.
     */
    public static BatchWriter recordingDigests(SyncPlan plan, long maxStatementBytes, ParkStore park) {
        return new BatchWriter(plan, maxStatementBytes, null, Parking.recorder(plan, park));
    }

    /** The same rules, through a staging table. */
    BatchWriter staged(Upserts staging) {
        return new BatchWriter(plan, maxStatementBytes, staging, parking);
    }

    /** A log batch's deletes go first: a key deleted and another inserted with its unique values land in order. */
    @Override
    public WriteCounts write(Connection target, Batch batch) throws SQLException {
        WriteCounts deleted = batch.deleted().isEmpty() ? WriteCounts.NONE : deleteMarked(target, batch.deleted());
        return deleted.plus(write(target, batch.rows()));
    }

    @Override
    public String label() {
        return upserts.label();
    }

    @Override
    public void close(Connection target) {
        upserts.close(target);
    }

    public WriteCounts write(Connection target, List<byte[][]> rows) throws SQLException {
        if (!plan.hardDeletes()) {
            return upsertAll(target, rows);
        }
        List<byte[][]> live = new ArrayList<>(rows.size());
        List<byte[][]> flagged = new ArrayList<>();
        for (byte[][] row : rows) {
            (plan.softDelete().marksDeleted(row[flagPosition]) ? flagged : live).add(row);
        }
        // Same transaction as the upserts and the checkpoint: the caller commits all or nothing.
        WriteCounts deleted = deleteMarked(target, flagged);
        return deleted.plus(upsertAll(target, live));
    }

    /**
     * Under park a deletion (a row marked deleted, or a log delete's before-image) is a change like any other: a
     * target row someone else changed is parked with that image, not deleted from under them; the rest is deleted.
     */
    private WriteCounts deleteMarked(Connection target, List<byte[][]> marked) throws SQLException {
        if (parking == null || marked.isEmpty()) {
            return deleteAll(target, marked);
        }
        Parking.Admitted admitted = parking.admit(target, marked);
        return deleteAll(target, admitted.rows()).plus(WriteCounts.parked(admitted.parked()));
    }

    private WriteCounts upsertAll(Connection target, List<byte[][]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return WriteCounts.NONE;
        }
        if (plan.mapping().conflict() == ConflictPolicy.ERROR) {
            refuseConflicts(target, rows);
        }
        if (parking != null) {
            Parking.Admitted admitted = parking.admit(target, rows);
            WriteCounts parked = WriteCounts.parked(admitted.parked());
            return admitted.rows().isEmpty() ? parked : upserts.upsert(target, admitted.rows()).plus(parked);
        }
        return upserts.upsert(target, rows);
    }

    /** Deletes the target rows of source rows marked deleted; rows the target never had count nothing. */
    private WriteCounts deleteAll(Connection target, List<byte[][]> rows) throws SQLException {
        long deleted = 0;
        int from = 0;
        while (from < rows.size()) {
            int to = UpsertStatements.chunkEnd(rows, from, keys::size, maxStatementBytes);
            List<byte[][]> chunk = rows.subList(from, to);
            String sql = deletes.computeIfAbsent(chunk.size(), n -> plan.targetDialect().writes().deleteByKey(plan.target().id(),
                    plan.source().key(), n));
            try (PreparedStatement ps = target.prepareStatement(sql)) {
                keys.bind(ps, chunk);
                deleted += ps.executeLargeUpdate();
            }
            from = to;
        }
        return WriteCounts.deletions(deleted);
    }

    /** Policy {@code error}: a target row with the same key and other content stops the run. */
    private void refuseConflicts(Connection target, List<byte[][]> rows) throws SQLException {
        Map<String, byte[][]> incoming = new HashMap<>();
        rows.forEach(r -> incoming.put(keys.text(r), r));
        String sql = plan.targetDialect().writes().selectExisting(plan.target().id(), plan.columns(), plan.source().key(),
                rows.size());
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            keys.bind(ps, rows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    compare(rs, incoming);
                }
            }
        }
    }

    private void compare(ResultSet rs, Map<String, byte[][]> incoming) throws SQLException {
        int n = plan.columns().size();
        byte[][] existing = new byte[n][];
        for (int i = 0; i < n; i++) {
            existing[i] = rs.getBytes(i + 1);
        }
        byte[][] source = incoming.get(keys.text(existing));
        List<String> differing = new ArrayList<>();
        for (int i = 0; source != null && i < n; i++) {
            if (!Arrays.equals(existing[i], source[i])) {
                differing.add(plan.columns().get(i).name());
            }
        }
        if (!differing.isEmpty()) {
            throw new RowConflictException("mapping " + plan.mapping().id() + ": row " + keys.describe(source)
                    + " already exists in target " + plan.target().id() + " with different " + differing
                    + "; conflict policy 'error' stops here. Fix or delete the target row, or choose conflict"
                    + " overwrite, skip or newer-wins");
        }
    }
}
