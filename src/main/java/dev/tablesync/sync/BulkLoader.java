package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.sql.TabText;

/**
 * Fills a snapshot's still-empty key range with {@code LOAD DATA LOCAL}, streamed from memory:
 * the target parses it far more cheaply than multi-row INSERT text, and the client only copies
 * bytes. Used only where no target row can collide, so it inserts exactly what an upsert would;
 * anything unexpected (a duplicate, a skipped row, a warning) or a load the server refuses (a value
 * it would not take as text, say) is {@link Declined}, and the batch is upserted instead, which
 * refuses or takes it as it always does. Each batch still commits with its checkpoint.
 */
final class BulkLoader implements Sink {

    private final String sql;

    BulkLoader(SyncPlan plan) {
        this.sql = plan.targetDialect().writes().loadData(plan.target().id(), plan.columns());
    }

    /** Whether the target holds no row after {@code after}: only then can a bulk load not collide. */
    static boolean rangeEmpty(SyncPlan plan, Connection target, Optional<Cursor> after) throws SQLException {
        String probe = plan.targetDialect().writes().anyRowAfter(plan.target().id(), plan.source().key(), after.isPresent());
        try (PreparedStatement ps = target.prepareStatement(probe)) {
            SourceReader.bindCursor(ps, 1, plan.targetKeyColumns(), after);
            try (ResultSet rs = ps.executeQuery()) {
                return !rs.next();
            }
        } finally {
            target.commit();
        }
    }

    @Override
    public boolean takesText() {
        return true;
    }

    @Override
    public String label() {
        return "bulk load";
    }

    /** Inserts the batch's text without committing. */
    @Override
    public WriteCounts write(Connection target, Batch batch) throws SQLException, Declined {
        // Rows marked deleted are not in this empty range, so under hard deletes they are simply left out.
        TabText text = batch.text().orElseThrow();
        if (text.rows() == 0) {
            return WriteCounts.NONE;
        }
        try (Statement st = target.createStatement()) {
            Optional<String> inexact = LocalLoad.run(target, st, sql, text);
            if (inexact.isPresent()) {
                throw new Declined("it did not insert every row exactly: " + inexact.get());
            }
            return new WriteCounts(text.rows(), 0, 0);
        } catch (SQLException e) {
            // A lost connection fails the run and retries like any other.
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            throw new Declined("refused: " + e.getMessage());
        }
    }
}
