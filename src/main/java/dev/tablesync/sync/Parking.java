package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.conflict.ParkStore;
import dev.tablesync.conflict.RowImage;
import dev.tablesync.schema.Column;

/**
 * Conflict policy {@code park}: of a batch's rows, which may be written. A row is parked instead when
 * the target holds other content under its key that the sync did not write (its digest is not the
 * one recorded when the sync last wrote the key, or none was recorded), or when its key is parked
 * already (then the parked source image becomes this newer one). Written rows get their digest
 * recorded; all of it in the batch's transaction, so it commits with the rows and the checkpoint.
 */
final class Parking {

    /** Keys per lookup: well below the 65535 placeholders of a statement, whatever the key's width. */
    private static final int CHUNK = 1000;

    private final SyncPlan plan;
    private final ParkStore store;
    private final RowKeys keys;
    private final List<String> names;
    private final List<String> keyNames;
    private final int[] keyPositions;
    private final Clock clock;
    /** Writes every row and records its digest, parking none (a repair's writer). */
    private final boolean recordOnly;
    private String meeting = "none";
    /** Rows parked for the mapping, counted once a batch parks a new one. */
    private long total = -1;

    Parking(SyncPlan plan, ParkStore store, Clock clock) {
        this(plan, store, clock, false);
    }

    private Parking(SyncPlan plan, ParkStore store, Clock clock, boolean recordOnly) {
        this.recordOnly = recordOnly;
        this.plan = plan;
        this.store = store;
        this.keys = new RowKeys(plan);
        this.names = plan.columns().stream().map(Column::name).toList();
        this.keyNames = plan.keyColumns().stream().map(Column::name).toList();
        this.keyPositions = plan.positions(plan.keyColumns());
        this.clock = clock;
    }

    /** Records the digests of the rows written and parks none: a repair makes the target equal the source. */
    static Parking recorder(SyncPlan plan, ParkStore store) {
        return new Parking(plan, store, Clock.systemUTC(), true);
    }

    /** The rows to write and how many were parked (new or updated). */
    record Admitted(List<byte[][]> rows, long parked) {
    }

    /** The checkpoint the next batch is read after: the one a parked row of it is said to have met. */
    void meeting(Checkpoint cp) {
        meeting = cp.describe();
    }

    Admitted admit(Connection target, List<byte[][]> rows) throws SQLException {
        total = -1;
        List<byte[][]> write = new ArrayList<>(rows.size());
        long parked = 0;
        for (int from = 0; from < rows.size(); from += CHUNK) {
            parked += admit(target, rows.subList(from, Math.min(rows.size(), from + CHUNK)), write);
        }
        return new Admitted(write, parked);
    }

    private long admit(Connection target, List<byte[][]> rows, List<byte[][]> write) throws SQLException {
        String id = plan.mapping().id();
        if (recordOnly) {
            write.addAll(rows);
            store.saveDigests(target, id, rows.stream().map(r -> new byte[][] {keyDigest(r),
                RowImage.rowDigest(names, r)}).toList());
            return 0;
        }
        Map<String, byte[][]> existing = existing(target, rows);
        List<byte[]> keyDigests = rows.stream().map(this::keyDigest).toList();
        Map<String, byte[]> digests = store.digests(target, id, keyDigests);
        Set<String> parkedKeys = store.parkedKeys(target, id, keyDigests);
        List<byte[][]> written = new ArrayList<>();
        long parked = 0;
        for (int i = 0; i < rows.size(); i++) {
            byte[][] row = rows.get(i);
            String hex = ParkStore.hex(keyDigests.get(i));
            byte[][] current = existing.get(keys.text(row));
            boolean conflict = current != null && !same(current, row) && !writtenBySync(current, digests.get(hex));
            if (parkedKeys.contains(hex) || conflict) {
                if (!parkedKeys.contains(hex)) {
                    claimRoom(target, row);
                }
                store.park(target, id, keyDigests.get(i), keyImage(row), RowImage.of(names, row),
                        Optional.ofNullable(current).map(c -> RowImage.of(names, c)), clock.instant(), meeting);
                parked++;
            } else {
                write.add(row);
                written.add(new byte[][] {keyDigests.get(i), RowImage.rowDigest(names, row)});
            }
        }
        store.saveDigests(target, id, written);
        return parked;
    }

    /** Past max-parked the run fails as under policy error: the park is for a person's review, not a backlog. */
    private void claimRoom(Connection target, byte[][] row) throws SQLException {
        String id = plan.mapping().id();
        if (total < 0) {
            total = store.count(target, id);
        }
        if (total >= plan.mapping().maxParked()) {
            throw new RowConflictException("mapping " + id + ": row " + keys.describe(row) + " conflicts with target "
                    + plan.target().id() + " but the park is full (" + total + " rows parked, tablesync.mappings." + id
                    + ".max-parked=" + plan.mapping().maxParked() + "), so the run stops as under conflict policy"
                    + " error. Resolve parked rows (GET /api/mappings/" + id + "/conflicts, POST /api/mappings/" + id
                    + "/conflicts/resolve) or raise tablesync.mappings." + id + ".max-parked");
        }
        total++;
    }

    /** A target row the sync wrote last: its digest is the one recorded then. */
    private boolean writtenBySync(byte[][] current, byte[] recorded) {
        if (recorded == null) {
            return false;
        }
        // Recorded before a column was added: it cannot be checked, and flooding the park would help nobody.
        if (!RowImage.sameColumns(recorded, names)) {
            return true;
        }
        return Arrays.equals(recorded, RowImage.rowDigest(names, current));
    }

    private static boolean same(byte[][] a, byte[][] b) {
        for (int i = 0; i < a.length; i++) {
            if (!Arrays.equals(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private Map<String, byte[][]> existing(Connection target, List<byte[][]> rows) throws SQLException {
        Map<String, byte[][]> found = new HashMap<>();
        String sql = plan.targetDialect().writes().selectExisting(plan.target().id(), plan.columns(),
                plan.source().key(), rows.size());
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            keys.bind(ps, rows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[][] row = new byte[names.size()][];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getBytes(i + 1);
                    }
                    found.put(keys.text(row), row);
                }
            }
        }
        return found;
    }

    private byte[][] keyCells(byte[][] row) {
        byte[][] cells = new byte[keyPositions.length][];
        for (int k = 0; k < keyPositions.length; k++) {
            cells[k] = row[keyPositions[k]];
        }
        return cells;
    }

    private byte[] keyDigest(byte[][] row) {
        return RowImage.keyDigest(keyCells(row));
    }

    private RowImage keyImage(byte[][] row) {
        return RowImage.of(keyNames, keyCells(row));
    }
}
