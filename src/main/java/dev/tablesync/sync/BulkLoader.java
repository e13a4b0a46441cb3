package dev.tablesync.sync;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.RuntimeProperty;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.JdbcStatement;

import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.TabText;

/**
 * Fills a snapshot's still-empty key range with {@code LOAD DATA LOCAL}, streamed from memory:
 * the target parses it far more cheaply than multi-row INSERT text, and the client only copies
 * bytes. Used only where no target row can collide, so it inserts exactly what an upsert would;
 * anything unexpected (a duplicate, a skipped row, a warning) makes {@link #load} decline, and the
 * caller rolls the batch back and upserts it instead. Each batch still commits with its checkpoint.
 */
final class BulkLoader {

    private static final Logger LOG = Logger.getLogger(BulkLoader.class);
    private static final Pattern INFO = Pattern.compile("Records:\\s*(\\d+)\\s+Deleted:\\s*(\\d+)\\s+"
            + "Skipped:\\s*(\\d+)\\s+Warnings:\\s*(\\d+)");

    private final SyncPlan plan;
    private final String sql;

    private BulkLoader(SyncPlan plan) {
        this.plan = plan;
        this.sql = plan.targetDialect().loadData(plan.target().id(), plan.columns());
    }

    /**
     * A loader when the target holds no row after {@code after} and accepts local loads; empty
     * otherwise (the snapshot then upserts as usual).
     */
    static Optional<BulkLoader> forEmptyRange(SyncPlan plan, Connection target, Optional<Cursor> after)
            throws SQLException {
        if (!localInfileEnabled(target)) {
            LOG.infof("Mapping %s: target server has local_infile=OFF, so the snapshot uses INSERT statements;"
                    + " SET GLOBAL local_infile = ON on the target makes snapshots faster", plan.mapping().id());
            return Optional.empty();
        }
        String probe = plan.targetDialect().anyRowAfter(plan.target().id(), plan.source().key(), after.isPresent());
        try (PreparedStatement ps = target.prepareStatement(probe)) {
            SourceReader.bindCursor(ps, 1, plan.keyColumns(), after);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.empty() : Optional.of(new BulkLoader(plan));
            }
        } finally {
            target.commit();
        }
    }

    private static boolean localInfileEnabled(Connection target) throws SQLException {
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery(Dialect.LOCAL_INFILE)) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /**
     * Inserts the batch's text without committing.
     *
     * @return the counts, or empty when the server did not insert every row exactly (the caller
     *         must roll back and write the batch another way)
     */
    Optional<WriteCounts> load(Connection target, SnapshotBatch batch) throws SQLException {
        // Rows marked deleted are not in this empty range, so under hard deletes they are simply left out.
        TabText text = batch.text().orElseThrow();
        if (text.rows() == 0) {
            return Optional.of(WriteCounts.NONE);
        }
        // Allowed only while our own stream is set, so a server can never make the driver read a file.
        RuntimeProperty<Boolean> allow = target.unwrap(JdbcConnection.class).getPropertySet()
                .getBooleanProperty(PropertyKey.allowLoadLocalInfile);
        allow.setValue(true);
        try (Statement st = target.createStatement()) {
            st.unwrap(JdbcStatement.class).setLocalInfileInputStream(
                    new ByteArrayInputStream(text.bytes(), 0, text.length()));
            long affected = st.executeLargeUpdate(sql);
            String info = st.unwrap(JdbcStatement.class).getResultSetInternal().getServerInfo();
            if (exact(affected, info, text.rows())) {
                return Optional.of(new WriteCounts(text.rows(), 0, 0));
            }
            LOG.warnf("Mapping %s: bulk load into %s did not insert every row exactly (%s); the batch is"
                    + " written with INSERT statements instead", plan.mapping().id(), plan.target().id(), info);
            return Optional.empty();
        } finally {
            allow.setValue(false);
        }
    }

    private static boolean exact(long affected, String info, int rows) {
        Matcher m = info == null ? null : INFO.matcher(info);
        return affected == rows && m != null && m.find() && Long.parseLong(m.group(1)) == rows
                && m.group(2).equals("0") && m.group(3).equals("0") && m.group(4).equals("0");
    }
}
