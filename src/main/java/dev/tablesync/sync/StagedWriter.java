package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.sql.TabText;

/**
 * Upserts a batch of changed rows through a staging table: {@code LOAD DATA LOCAL} streams them
 * from memory into a session TEMPORARY table with the target's columns, then ONE
 * {@code INSERT ... SELECT ... ON DUPLICATE KEY UPDATE} with the upsert's own conflict clause
 * moves them. The target then parses tab-separated text instead of a long VALUES list, which is
 * what an upsert spends most of its time on; conflict policies and the deletions of delete-mode
 * hard stay {@link BatchWriter}'s, which writes through it. It never commits. Whatever the target
 * refuses or does not load exactly is {@link Declined}.
 */
final class StagedWriter implements Upserts {

    /** In the target table's schema; a temporary table is visible to its own session only. */
    static final String STAGING_TABLE = "_tablesync_staging";

    private static final Logger LOG = Logger.getLogger(StagedWriter.class);

    private final SyncPlan plan;
    private final WriteOutcome outcome;
    private final String drop;
    private final List<String> fresh;
    private final String load;
    private final String insert;
    private final TabText text;
    private boolean created;

    StagedWriter(SyncPlan plan) {
        this.plan = plan;
        this.outcome = new WriteOutcome(plan, new RowKeys(plan));
        Dialect dialect = plan.targetDialect();
        TableId target = plan.target().id();
        TableId staging = new TableId(target.schema(), STAGING_TABLE);
        // Typed like the target's columns, so a value converts on load exactly as it would on insert;
        // sent as text or as bytes by the source column's kind, exactly as an upsert statement binds it.
        List<Column> targetColumns = plan.columns().stream()
                .map(c -> plan.target().column(c.name()).orElse(c)).toList();
        this.drop = dialect.writes().dropStaging(staging);
        this.fresh = dialect.writes().freshStaging(staging, targetColumns);
        this.load = dialect.writes().loadData(staging, plan.columns());
        this.insert = dialect.writes().upsertFromStaging(target, staging, plan.columns(), plan.source().key(),
                plan.mapping().conflict(), plan.trackingColumnName());
        this.text = TabText.forColumns(plan.columns(), 1 << 16);
    }

    /** Whether the mapped table can be written through a staging table: it is not itself named like one. */
    static boolean canStage(SyncPlan plan) {
        return !plan.target().id().table().equals(STAGING_TABLE);
    }

    @Override
    public String label() {
        return "staged write";
    }

    @Override
    public WriteCounts upsert(Connection target, List<byte[][]> rows) throws SQLException, Declined {
        text.reset();
        rows.forEach(text::append);
        try (Statement st = target.createStatement()) {
            // Made afresh for every batch: emptying it would cost more, and TRUNCATE commits.
            created = true;
            for (String sql : fresh) {
                st.execute(sql);
            }
            load(target, st);
            long affected = st.executeLargeUpdate(insert);
            // The staging table has no key: its rows come out in the order they went in.
            return outcome.counts(st, rows, affected);
        } catch (SQLException e) {
            // A lost connection fails the run like any other; a refusal is the upserts' to judge.
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            throw new Declined(e.getMessage());
        }
    }

    private void load(Connection target, Statement st) throws SQLException {
        Optional<String> inexact = LocalLoad.run(target, st, load, text);
        if (inexact.isPresent()) {
            throw new Declined("the staging table did not take every row exactly: " + inexact.get());
        }
    }

    /** Drops the staging table, so a pooled connection carries nothing into another mapping's run. */
    @Override
    public void close(Connection target) {
        if (!created) {
            return;
        }
        try (Statement st = target.createStatement()) {
            st.execute(drop);
            created = false;
        } catch (SQLException e) {
            // A broken connection: the server dropped the table with the session.
            LOG.debugf("Mapping %s: staging table not dropped: %s", plan.mapping().id(), e.getMessage());
        }
    }
}
