package dev.tablesync.verify;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.ValueKind;
import dev.tablesync.sql.ChecksumDialect;
import dev.tablesync.sql.Values;
import dev.tablesync.conflict.ParkStore;
import dev.tablesync.sync.BatchWriter;
import dev.tablesync.sync.SyncPlan;
import dev.tablesync.sync.WriteCounts;

/**
 * Repairs differing keys, a batch at a time: reads each key from the source again at repair
 * time, upserts the rows it finds with the sync's own writer (source wins), and deletes the
 * target rows whose key the source no longer has (or, under delete-mode hard, now marks
 * deleted). Each batch commits on its own; the sync
 * checkpoint is never touched. Whatever changed on the source after the re-read is newer than
 * the checkpoint too, so the next sync run copies it: a repair never leaves stale data behind.
 */
final class RepairWriter {

    private static final Logger LOG = Logger.getLogger(RepairWriter.class);

    private final SyncPlan plan;
    private final Connection source;
    private final Connection target;
    private final BatchWriter writer;
    private final ChecksumDialect sourceSql;
    private final ChecksumDialect targetSql;
    private final List<Column> key;
    private final int[] keyPositions;
    /** The soft-delete column's position in a row under delete-mode hard, else -1. */
    private final int flagPosition;
    private long rowsRead;
    private long deleted;
    private long resolved;
    private WriteCounts counts = WriteCounts.NONE;

    /**
     * @param plan   the mapping's plan with conflict policy overwrite
     * @param source a connection of its own: the drill-down may be streaming on the other one
     * @param target the connection holding the mapping's lock, not in auto-commit
     * @param park   under conflict policy park, where the repaired rows' digests go (so the next source
     *               change of a repaired row is not taken for a conflict); else null
     */
    RepairWriter(SyncPlan plan, Connection source, Connection target, long maxStatementBytes, ParkStore park) {
        this.plan = plan;
        this.source = source;
        this.target = target;
        this.writer = park == null ? new BatchWriter(plan, maxStatementBytes)
                : BatchWriter.recordingDigests(plan, maxStatementBytes, park);
        this.sourceSql = new ChecksumDialect(plan.sourceDialect().server());
        this.targetSql = new ChecksumDialect(plan.targetDialect().server());
        this.key = plan.keyColumns();
        this.keyPositions = plan.positions(key);
        this.flagPosition = plan.hardDeletes() ? plan.positions(List.of(plan.softDelete().column().orElseThrow()))[0]
                : -1;
    }

    void repair(List<byte[][]> keys) throws SQLException {
        List<byte[][]> read = reread(keys);
        rowsRead += read.size();
        // Under hard deletes a row marked deleted since the comparison has no place in the target:
        // its key is deleted like one the source no longer has, never upserted.
        List<byte[][]> rows = flagPosition < 0 ? read
                : read.stream().filter(r -> !plan.softDelete().marksDeleted(r[flagPosition])).toList();
        Set<String> found = new HashSet<>();
        for (byte[][] row : rows) {
            byte[][] k = new byte[key.size()][];
            for (int i = 0; i < k.length; i++) {
                k[i] = row[keyPositions[i]];
            }
            found.add(canonical(k));
        }
        List<byte[][]> gone = keys.stream().filter(k -> !found.contains(canonical(k))).toList();
        // Deletes first: under a case-insensitive key, deleting 'A' after upserting 'a' would hit 'a'.
        if (rows.size() + gone.size() > keys.size()) {
            // A source row matched a key only under its collation (e.g. 'a' for 'A'): deleting could hit it.
            LOG.warnf("Mapping %s: %d key(s) of %s match source rows only under their collation; not deleted",
                    plan.mapping().id(), gone.size(), plan.target().id());
        } else if (!gone.isEmpty()) {
            deleted += delete(gone);
            resolved += gone.size();
        }
        if (!rows.isEmpty()) {
            counts = counts.plus(writer.write(target, rows));
        }
        target.commit();
        resolved += keys.size() - gone.size();
    }

    private List<byte[][]> reread(List<byte[][]> keys) throws SQLException {
        String sql = sourceSql.rowsByKeys(plan.source().id(), plan.sourceDialect().selectList(plan.columns()),
                plan.source().key(), keys.size());
        List<byte[][]> rows = new ArrayList<>();
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            bindKeys(ps, keys);
            try (ResultSet rs = ps.executeQuery()) {
                int n = plan.columns().size();
                while (rs.next()) {
                    byte[][] row = new byte[n][];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getBytes(i + 1);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private long delete(List<byte[][]> keys) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(targetSql.deleteByKeys(plan.target().id(),
                plan.source().key(), keys.size()))) {
            bindKeys(ps, keys);
            return ps.executeLargeUpdate();
        }
    }

    private void bindKeys(PreparedStatement ps, List<byte[][]> keys) throws SQLException {
        int index = 1;
        for (byte[][] k : keys) {
            for (int i = 0; i < key.size(); i++) {
                Values.bindKey(ps, index++, key.get(i), k[i]);
            }
        }
    }

    /** Equal keys as the server sees them, for numbers too: DECIMAL {@code 1.0} and {@code 1.00} are one key. */
    private String canonical(byte[][] values) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            byte[] v = values[i];
            Column c = key.get(i);
            if (v == null) {
                text.append('-');
            } else if (c.kind() == ValueKind.NUMBER) {
                text.append(new BigDecimal(new String(v, StandardCharsets.US_ASCII)).stripTrailingZeros().toPlainString());
            } else {
                text.append(HexFormat.of().formatHex(v));
            }
            text.append('/');
        }
        return text.toString();
    }

    long rowsRead() {
        return rowsRead;
    }

    WriteCounts counts() {
        return counts;
    }

    long deleted() {
        return deleted;
    }

    /** Differing keys dealt with: upserted from the source, or deleted because the source no longer has them live. */
    long resolved() {
        return resolved;
    }
}
