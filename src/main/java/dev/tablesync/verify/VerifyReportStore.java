package dev.tablesync.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tablesync.checkpoint.StateSetup;
import dev.tablesync.checkpoint.UtcText;
import dev.tablesync.sql.DataSources;
import dev.tablesync.sql.StateDialect;

/**
 * Verify reports in the target's state schema, one row per verify run keyed by the run key of its
 * run-history entry. The table is created on first use, so an existing installation gets it
 * without a migration.
 */
final class VerifyReportStore {

    private final StateDialect sql;

    private VerifyReportStore(StateDialect sql) {
        this.sql = sql;
    }

    /** The store on a target connection's server; call after the state schema exists (CheckpointStore.on). */
    static VerifyReportStore on(DataSources dataSources, String connectionName, Connection c, String stateSchema)
            throws SQLException {
        VerifyReportStore store = new VerifyReportStore(new StateDialect(dataSources.dialect(connectionName, c),
                stateSchema));
        dataSources.once("verify-table:" + connectionName + ":" + stateSchema, () -> StateSetup.serialised(c,
                store.sql, () -> {
                    try (Statement s = c.createStatement()) {
                        s.execute(store.sql.createSchema());
                        s.execute(store.sql.createVerifyTable());
                    }
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }));
        return store;
    }

    void save(Connection c, VerifyReport r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.insertVerify())) {
            ps.setString(1, r.runKey());
            ps.setString(2, r.mappingId());
            ps.setString(3, UtcText.format(r.startedAt()));
            ps.setString(4, UtcText.format(r.startedAt().plus(r.duration())));
            ps.setBoolean(5, r.repair());
            ps.setString(6, r.status());
            ps.setString(7, r.method());
            long[] numbers = {r.chunks(), r.differingChunks(), r.missing(), r.extra(), r.different(), r.upserted(),
                r.deleted(), r.unrepaired()};
            for (int i = 0; i < numbers.length; i++) {
                ps.setLong(8 + i, numbers[i]);
            }
            text(ps, 16, r.notCompared().isEmpty() ? null : String.join("\n", r.notCompared()));
            text(ps, 17, r.sample().isEmpty() ? null : String.join("\n", r.sample()));
            text(ps, 18, r.error().orElse(null));
            ps.executeUpdate();
        }
    }

    /** Reports by run key, for the given runs of a mapping. */
    Map<String, VerifyReport> byRunKeys(Connection c, String mappingId, List<String> runKeys) throws SQLException {
        Map<String, VerifyReport> reports = new HashMap<>();
        if (runKeys.isEmpty()) {
            return reports;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.selectVerify(runKeys.size()))) {
            ps.setString(1, mappingId);
            for (int i = 0; i < runKeys.size(); i++) {
                ps.setString(2 + i, runKeys.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    VerifyReport r = read(rs);
                    reports.put(r.runKey(), r);
                }
            }
        }
        return reports;
    }

    Optional<VerifyReport> latest(Connection c, String mappingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.selectLastVerify())) {
            ps.setString(1, mappingId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static VerifyReport read(ResultSet rs) throws SQLException {
        Instant started = instant(rs.getString(3));
        return new VerifyReport(rs.getString(2), rs.getString(1), started,
                Duration.between(started, instant(rs.getString(4))), rs.getBoolean(5), rs.getString(6),
                rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
                rs.getLong(13), rs.getLong(14), rs.getLong(15), lines(rs.getString(16)), lines(rs.getString(17)),
                Optional.ofNullable(rs.getString(18)));
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : Arrays.asList(text.split("\n"));
    }

    private static Instant instant(String text) {
        return UtcText.parse(text);
    }

    private static void text(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
