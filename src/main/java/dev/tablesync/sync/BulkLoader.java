package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import org.jboss.logging.Logger;


import dev.tablesync.checkpoint.Cursor;
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
        if (!LocalLoad.enabled(target)) {
            LOG.infof("Mapping %s: target server has local_infile=OFF, so the snapshot uses INSERT statements;"
                    + " SET GLOBAL local_infile = ON on the target makes snapshots faster", plan.mapping().id());
            return Optional.empty();
        }
        String probe = plan.targetDialect().anyRowAfter(plan.target().id(), plan.source().key(), after.isPresent());
        try (PreparedStatement ps = target.prepareStatement(probe)) {
            SourceReader.bindCursor(ps, 1, plan.targetKeyColumns(), after);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.empty() : Optional.of(new BulkLoader(plan));
            }
        } finally {
            target.commit();
        }
    }

    /**
     * Inserts the batch's text without committing.
     *
     * @return the counts, or empty when the server did not insert every row exactly (the caller
     *         must roll back and write the batch another way)
     */
    Optional<WriteCounts> load(Connection target, Batch batch) throws SQLException {
        // Rows marked deleted are not in this empty range, so under hard deletes they are simply left out.
        TabText text = batch.text().orElseThrow();
        if (text.rows() == 0) {
            return Optional.of(WriteCounts.NONE);
        }
        try (Statement st = target.createStatement()) {
            Optional<String> inexact = LocalLoad.run(target, st, sql, text);
            if (inexact.isEmpty()) {
                return Optional.of(new WriteCounts(text.rows(), 0, 0));
            }
            LOG.warnf("Mapping %s: bulk load into %s did not insert every row exactly (%s); the batch is"
                    + " written with INSERT statements instead", plan.mapping().id(), plan.target().id(),
                    inexact.get());
            return Optional.empty();
        }
    }
}
