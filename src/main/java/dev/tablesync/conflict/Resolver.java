package dev.tablesync.conflict;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tablesync.config.ConflictPolicy;
import dev.tablesync.config.Mapping;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.Values;

/**
 * One resolution of one parked row, in one target transaction: the target row is locked and read,
 * then the parked row; the target write (take-source) or the digest that makes the sync own the row
 * again, the removal of the parked row and the history entry commit together. A target row that is
 * not what was parked (take-source, keep-target) or not what the source holds (re-check) refuses
 * the resolution and changes nothing. Locks are taken in the sync's order (target row, park), so a
 * run writing the same key waits for the resolution or the other way round.
 */
final class Resolver {

    private final Mapping mapping;
    private final Connection target;
    private final Dialect dialect;
    private final TableSchema table;
    private final ParkStore store;

    Resolver(Mapping mapping, Connection target, Dialect dialect, TableSchema table, ParkStore store) {
        this.mapping = mapping;
        this.target = target;
        this.dialect = dialect;
        this.table = table;
        this.store = store;
    }

    /** Resolves and commits; rolls back and rethrows on refusal or failure. */
    void resolve(long id, Resolution.Action action, String by, Instant now) throws SQLException {
        try {
            ParkedRow seen = store.find(target, mapping.id(), id, false).orElseThrow(() -> unknown(id));
            Optional<RowImage> current = targetRow(seen.source().columns(), seen.key());
            ParkedRow row = store.find(target, mapping.id(), id, true).orElseThrow(() -> unknown(id));
            apply(row, current, action);
            store.resolved(target, mapping.id(), row, action, by, now);
            target.commit();
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw e;
        }
    }

    private void apply(ParkedRow row, Optional<RowImage> current, Resolution.Action action) throws SQLException {
        byte[] keyDigest = RowImage.keyDigest(row.key().values().toArray(byte[][]::new));
        if (action == Resolution.Action.RECHECK) {
            if (current.isEmpty() || !current.get().sameAs(row.source())) {
                throw new TargetChangedException("mapping " + mapping.id() + ": conflict " + row.id() + " (key "
                        + describe(row.key()) + "): the target row " + (current.isEmpty() ? "is gone" : "still differs"
                        + " from the source image") + ", so it stays parked; change the target row to match, or"
                        + " resolve with take-source or keep-target", current, binary());
            }
            own(keyDigest, current.get());
            return;
        }
        boolean unchanged = current.isEmpty() ? row.target().isEmpty()
                : row.target().filter(current.get()::sameAs).isPresent();
        if (!unchanged) {
            throw new TargetChangedException("mapping " + mapping.id() + ": conflict " + row.id() + " (key "
                    + describe(row.key()) + "): the target row changed since it was parked, so " + action.label()
                    + " was not applied; look at the target row as it is now and resolve again (recheck removes the"
                    + " conflict if source and target now agree)", current, binary());
        }
        if (action == Resolution.Action.TAKE_SOURCE) {
            write(row.source());
            own(keyDigest, row.source());
        } else if (current.isPresent()) {
            own(keyDigest, current.get());
        }
    }

    /** Records the row's digest as the sync's own, so the next source change overwrites it. */
    private void own(byte[] keyDigest, RowImage image) throws SQLException {
        byte[][] cells = image.values().toArray(byte[][]::new);
        store.saveDigests(target, mapping.id(), List.<byte[][]>of(new byte[][] {keyDigest,
            RowImage.rowDigest(image.columns(), cells)}));
    }

    private void write(RowImage source) throws SQLException {
        List<Column> columns = columns(source.columns());
        String sql = dialect.writes().upsert(table.id(), columns, table.key(), ConflictPolicy.OVERWRITE,
                Optional.empty(), 1);
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                Values.bind(ps, i + 1, columns.get(i), source.values().get(i));
            }
            ps.executeUpdate();
        }
    }

    /** The target row of a key, locked, in the image's columns; empty when the target has no such row. */
    private Optional<RowImage> targetRow(List<String> names, RowImage key) throws SQLException {
        List<Column> columns = columns(names);
        String sql = dialect.writes().selectExisting(table.id(), columns, key.columns(), 1);
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            List<Column> keyColumns = columns(key.columns());
            for (int k = 0; k < keyColumns.size(); k++) {
                Values.bindKey(ps, k + 1, keyColumns.get(k), key.values().get(k));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<byte[]> cells = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    cells.add(rs.getBytes(i + 1));
                }
                return Optional.of(new RowImage(names, cells));
            }
        }
    }

    private List<Column> columns(List<String> names) {
        List<Column> columns = new ArrayList<>(names.size());
        for (String name : names) {
            columns.add(table.column(name).orElseThrow(() -> new TargetChangedException("mapping " + mapping.id()
                    + ": target " + table.id() + " has no column " + name + " any more; the parked row cannot be"
                    + " resolved here", Optional.empty(), binary())));
        }
        return columns;
    }

    private java.util.Set<String> binary() {
        return table.columns().stream().filter(c -> c.kind() == dev.tablesync.schema.ValueKind.BYTES)
                .map(Column::name).collect(java.util.stream.Collectors.toSet());
    }

    private UnknownConflictException unknown(long id) {
        return new UnknownConflictException("mapping " + mapping.id() + " has no parked conflict " + id
                + " (resolved already?); GET /api/mappings/" + mapping.id() + "/conflicts lists them");
    }

    static String describe(RowImage key) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.columns().size(); i++) {
            byte[] v = key.values().get(i);
            parts.add(key.columns().get(i) + "=" + (v == null ? "NULL"
                    : new String(v, java.nio.charset.StandardCharsets.UTF_8)));
        }
        return "(" + String.join(", ", parts) + ")";
    }
}
