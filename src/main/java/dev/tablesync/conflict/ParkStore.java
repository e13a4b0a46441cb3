package dev.tablesync.conflict;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.tablesync.checkpoint.StateSetup;
import dev.tablesync.checkpoint.UtcText;
import dev.tablesync.sql.ConflictSql;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.StateDialect;

/**
 * The park's state in the target's state schema: row digests, parked rows, resolutions. Never
 * commits: parking commits with the batch and its checkpoint, a resolution with its target write.
 * Keys are passed as their 16-byte digests and answered as hex text.
 */
public final class ParkStore {

    private final ConflictSql sql;

    public ParkStore(ConflictSql sql) {
        this.sql = sql;
    }

    /** The store on a target connection's server, its tables created on first use in this process. */
    public static ParkStore on(DataSources dataSources, String connectionName, Connection c, String stateSchema)
            throws SQLException {
        Dialect dialect = dataSources.dialect(connectionName, c);
        ParkStore store = new ParkStore(new ConflictSql(dialect, stateSchema));
        StateDialect state = new StateDialect(dialect, stateSchema);
        dataSources.once("park-tables:" + connectionName + ":" + stateSchema, () -> store.ensureTables(c, state));
        return store;
    }

    /** Creates the state schema and the park's tables if missing, one process at a time. */
    public void ensureTables(Connection c, StateDialect state) throws SQLException {
        StateSetup.serialised(c, state, () -> {
            try (Statement s = c.createStatement()) {
                s.execute(state.createSchema());
                s.execute(sql.createDigestTable());
                s.execute(sql.createParkedTable());
                s.execute(sql.createHistoryTable());
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        });
    }

    /** The row digests recorded for some keys, locked until the caller's transaction ends; by hex key digest. */
    public Map<String, byte[]> digests(Connection c, String mapping, List<byte[]> keys) throws SQLException {
        Map<String, byte[]> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.selectDigests(keys.size()))) {
            bindKeys(ps, mapping, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(hex(rs.getBytes(1)), rs.getBytes(2));
                }
            }
        }
        return found;
    }

    /** Records the digests of rows the sync (or a resolution) wrote: pairs of key digest and row digest. */
    public void saveDigests(Connection c, String mapping, List<byte[][]> pairs) throws SQLException {
        if (pairs.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.saveDigests(pairs.size()))) {
            int i = 1;
            for (byte[][] pair : pairs) {
                ps.setString(i++, mapping);
                ps.setBytes(i++, pair[0]);
                ps.setBytes(i++, pair[1]);
            }
            ps.executeUpdate();
        }
    }

    /** Which of some keys are parked, locked; as hex key digests. */
    public Set<String> parkedKeys(Connection c, String mapping, List<byte[]> keys) throws SQLException {
        Set<String> found = new HashSet<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.selectParkedKeys(keys.size()))) {
            bindKeys(ps, mapping, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(hex(rs.getBytes(1)));
                }
            }
        }
        return found;
    }

    /** Parks a row; a key already parked only gets the newer source image. */
    public void park(Connection c, String mapping, byte[] keyDigest, RowImage key, RowImage source,
            Optional<RowImage> target, Instant at, String checkpoint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.park())) {
            ps.setString(1, mapping);
            ps.setBytes(2, keyDigest);
            ps.setBytes(3, key.encode());
            ps.setBytes(4, source.encode());
            if (target.isPresent()) {
                ps.setBytes(5, target.get().encode());
            } else {
                ps.setNull(5, Types.LONGVARBINARY);
            }
            ps.setString(6, UtcText.format(at));
            ps.setString(7, UtcText.format(at));
            ps.setString(8, checkpoint);
            ps.executeUpdate();
        }
    }

    public long count(Connection c, String mapping) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.countParked())) {
            ps.setString(1, mapping);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The oldest parked rows of a mapping. */
    public List<ParkedRow> list(Connection c, String mapping, int limit) throws SQLException {
        List<ParkedRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.selectParked())) {
            ps.setString(1, mapping);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(parked(rs));
                }
            }
        }
        return rows;
    }

    /** One parked row, locked until the caller's transaction ends when {@code lock}. */
    public Optional<ParkedRow> find(Connection c, String mapping, long id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.selectParkedRow(lock))) {
            ps.setString(1, mapping);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(parked(rs)) : Optional.empty();
            }
        }
    }

    /** Removes a parked row and records who resolved it how, in the caller's transaction. */
    public void resolved(Connection c, String mapping, ParkedRow row, Resolution.Action action, String by, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.deleteParked())) {
            ps.setString(1, mapping);
            ps.setLong(2, row.id());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(sql.insertHistory())) {
            ps.setString(1, mapping);
            ps.setLong(2, row.id());
            ps.setBytes(3, row.key().encode());
            ps.setString(4, action.label());
            ps.setString(5, by);
            ps.setString(6, UtcText.format(at));
            ps.executeUpdate();
        }
    }

    /** The latest resolutions of a mapping, newest first. */
    public List<Resolution> history(Connection c, String mapping, int limit) throws SQLException {
        List<Resolution> done = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.selectHistory())) {
            ps.setString(1, mapping);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(new Resolution(rs.getLong(1), rs.getLong(2), RowImage.decode(rs.getBytes(3)),
                            Resolution.Action.of(rs.getString(4)).orElseThrow(), rs.getString(5),
                            UtcText.parse(rs.getString(6))));
                }
            }
        }
        return done;
    }

    private static ParkedRow parked(ResultSet rs) throws SQLException {
        byte[] target = rs.getBytes(4);
        return new ParkedRow(rs.getLong(1), RowImage.decode(rs.getBytes(2)), RowImage.decode(rs.getBytes(3)),
                Optional.ofNullable(target).map(RowImage::decode), UtcText.parse(rs.getString(5)), rs.getString(6));
    }

    private static void bindKeys(PreparedStatement ps, String mapping, List<byte[]> keys) throws SQLException {
        ps.setString(1, mapping);
        for (int i = 0; i < keys.size(); i++) {
            ps.setBytes(i + 2, keys.get(i));
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
