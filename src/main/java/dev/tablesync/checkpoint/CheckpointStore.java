package dev.tablesync.checkpoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tablesync.binlog.BinlogPosition;
import dev.tablesync.schema.Mode;
import dev.tablesync.schema.SyncedSchema;
import dev.tablesync.schema.TableId;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.sql.StateDialect;

/**
 * Checkpoints and run history, kept in the target server's state schema. {@link #save} never
 * commits: the caller commits it together with the batch it describes. Times are bound as text
 * ({@link UtcText}): Connector/J drops the fraction of bound temporals on MariaDB.
 */
public final class CheckpointStore {

    private final StateDialect sql;

    public CheckpointStore(StateDialect sql) {
        this.sql = sql;
    }

    /**
     * The store on a target connection's server, its tables created on first use in this process
     * (not on every run: DDL takes metadata locks).
     */
    public static CheckpointStore on(DataSources dataSources, String connectionName, Connection c, String stateSchema)
            throws SQLException {
        CheckpointStore store = new CheckpointStore(new StateDialect(dataSources.dialect(connectionName, c),
                stateSchema));
        dataSources.once("state-tables:" + connectionName + ":" + stateSchema, () -> store.ensureTables(c));
        return store;
    }

    /** Creates the state schema and tables if missing; safe to call on every start, from many processes at once. */
    public void ensureTables(Connection c) throws SQLException {
        StateSetup.serialised(c, sql, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(sql.createSchema());
                s.execute(sql.createCheckpointTable());
                s.execute(sql.createRunTable());
                s.execute(sql.createControlTable());
            }
            addMissingColumns(c);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        });
    }

    /** State tables created by an older version lack later columns; added once per process, not per run. */
    private void addMissingColumns(Connection c) throws SQLException {
        java.util.Set<String> have = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql.stateColumns())) {
            ps.setString(1, sql.schemaName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    have.add(rs.getString(1).toLowerCase(java.util.Locale.ROOT) + "."
                            + rs.getString(2).toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String[] added : sql.addedColumns()) {
                if (!have.contains(added[0] + "." + added[1])) {
                    s.execute(added[2]);
                }
            }
        }
    }

    public Optional<Checkpoint> load(Connection c, String mappingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.loadCheckpoint())) {
            ps.setString(1, mappingId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(checkpoint(rs)) : Optional.empty();
            }
        }
    }

    /**
     * What a run reads first, in one round trip.
     *
     * @param targetKeys {@code SchemaSql.ENGINE_AND_UNIQUE_KEYS} of the target table; empty when it does not exist
     * @param paused     whether the mapping is paused
     * @param targetRows whether the target table holds any row; empty when it does not exist
     */
    public record Loaded(Optional<Checkpoint> checkpoint, Optional<String> targetKeys, boolean paused,
            Optional<Boolean> targetRows) {
    }

    public Loaded loadForRun(Connection c, String mappingId, TableId target) throws SQLException {
        try {
            return loadForRun(c, mappingId, target, Optional.of(target));
        } catch (SQLException e) {
            // The table is gone (dropped, or not created yet): asked again without looking into it.
            if (!SqlErrors.isNoSuchTable(e)) {
                throw e;
            }
            return loadForRun(c, mappingId, target, Optional.empty());
        }
    }

    private Loaded loadForRun(Connection c, String mappingId, TableId target, Optional<TableId> rowsOf)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.loadForRun(rowsOf))) {
            String schema = target.schema().orElseThrow(() -> new IllegalArgumentException("target " + target
                    + " has no schema"));
            for (int i = 0; i < 3; i++) {
                ps.setString(2 * i + 1, schema);
                ps.setString(2 * i + 2, target.table());
            }
            ps.setString(7, mappingId);
            ps.setString(8, mappingId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Optional<Checkpoint> cp = rs.getString(1) == null ? Optional.empty() : Optional.of(checkpoint(rs));
                Optional<String> keys = Optional.ofNullable(rs.getString(13));
                boolean paused = rs.getBoolean(14);
                boolean rows = rs.getBoolean(15);
                Optional<Boolean> targetRows = keys.isEmpty() || rs.wasNull() ? Optional.empty() : Optional.of(rows);
                return new Loaded(cp, keys, paused, targetRows);
            }
        }
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getString(1), Phase.valueOf(rs.getString(2)), Mode.valueOf(rs.getString(3)),
                rs.getString(4), cursor(rs.getString(5)), cursor(rs.getString(6)), instant(rs.getString(7)),
                instant(rs.getString(8)), rs.getLong(9), instant(rs.getString(10)).orElseThrow(),
                Optional.ofNullable(rs.getString(11)).map(SyncedSchema::fromJson),
                Optional.ofNullable(rs.getString(12)).map(BinlogPosition::fromJson));
    }

    public void save(Connection c, Checkpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.saveCheckpoint())) {
            ps.setString(1, cp.mappingId());
            ps.setString(2, cp.phase().name());
            ps.setString(3, cp.mode().name());
            ps.setString(4, cp.fingerprint());
            setNullable(ps, 5, cp.cursor().map(Cursor::toJson));
            setNullable(ps, 6, cp.incrementalStart().map(Cursor::toJson));
            setNullable(ps, 7, cp.snapshotStart().map(UtcText::format));
            setNullable(ps, 8, cp.completeUpTo().map(UtcText::format));
            ps.setLong(9, cp.rowsCopied());
            ps.setString(10, UtcText.format(cp.updatedAt()));
            setNullable(ps, 11, cp.syncedSchema().map(SyncedSchema::toJson));
            setNullable(ps, 12, cp.binlogPosition().map(BinlogPosition::toJson));
            ps.executeUpdate();
        }
    }

    public void delete(Connection c, String mappingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.deleteCheckpoint())) {
            ps.setString(1, mappingId);
            ps.executeUpdate();
        }
    }

    public void recordRun(Connection c, RunRecord run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.insertRun())) {
            setNullable(ps, 1, run.runKey());
            ps.setString(2, run.mappingId());
            ps.setString(3, UtcText.format(run.startedAt()));
            ps.setString(4, UtcText.format(run.finishedAt()));
            ps.setString(5, run.kind());
            ps.setString(6, run.status());
            ps.setLong(7, run.rowsRead());
            ps.setLong(8, run.inserted());
            ps.setLong(9, run.updated());
            ps.setLong(10, run.unchanged());
            ps.setLong(11, run.deleted());
            setNullable(ps, 12, run.error());
            setNullable(ps, 13, run.checkpoint());
            ps.executeUpdate();
        }
    }

    public List<RunRecord> runs(Connection c, String mappingId, int limit, int offset) throws SQLException {
        List<RunRecord> runs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.selectRuns())) {
            ps.setString(1, mappingId);
            ps.setInt(2, limit);
            ps.setInt(3, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(new RunRecord(rs.getLong(1), Optional.ofNullable(rs.getString(2)), mappingId,
                            instant(rs.getString(3)).orElseThrow(), instant(rs.getString(4)).orElseThrow(),
                            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                            rs.getLong(10), rs.getLong(13), Optional.ofNullable(rs.getString(11)),
                            Optional.ofNullable(rs.getString(12))));
                }
            }
        }
        return runs;
    }

    public boolean isPaused(Connection c, String mappingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.loadPaused())) {
            ps.setString(1, mappingId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    public void setPaused(Connection c, String mappingId, boolean paused, Instant at, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.savePaused())) {
            ps.setString(1, mappingId);
            ps.setBoolean(2, paused);
            ps.setString(3, UtcText.format(at));
            setNullable(ps, 4, Optional.ofNullable(by));
            ps.executeUpdate();
        }
    }

    private static void setNullable(PreparedStatement ps, int i, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(i, value.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static Optional<Cursor> cursor(String json) {
        return Optional.ofNullable(json).map(Cursor::fromJson);
    }

    private static Optional<Instant> instant(String text) {
        return Optional.ofNullable(text).map(UtcText::parse);
    }
}
