package dev.tablesync.sync;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;


import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.sql.Dialect;
import dev.tablesync.sql.SqlErrors;
import dev.tablesync.sql.TabText;

/**
 * Writes a batch of changed rows through a staging table: {@code LOAD DATA LOCAL} streams them
 * from memory into a session TEMPORARY table with the target's columns, then ONE
 * {@code INSERT ... SELECT ... ON DUPLICATE KEY UPDATE} with the upsert's own conflict clause
 * moves them. The target then parses tab-separated text instead of a long VALUES list, which is
 * what an upsert spends most of its time on; conflict policies, counts and the deletions of
 * delete-mode hard stay {@link BatchWriter}'s. It never commits. Whatever the target refuses or
 * does not load exactly is declined: the caller rolls the batch back and upserts it as before.
 */
final class StagedWriter {

    /** In the target table's schema; a temporary table is visible to its own session only. */
    static final String STAGING_TABLE = "_tablesync_staging";

    private static final Logger LOG = Logger.getLogger(StagedWriter.class);
    /** What each mapping was already told about its target: a schedule of seconds would repeat it. */
    private static final Set<String> TOLD = ConcurrentHashMap.newKeySet();

    private final SyncPlan plan;
    private final BatchWriter writer;
    private final String drop;
    private final List<String> fresh;
    private final String load;
    private final String insert;
    private final TabText text;
    private boolean created;

    private StagedWriter(SyncPlan plan, BatchWriter writer) {
        this.plan = plan;
        this.writer = writer;
        Dialect dialect = plan.targetDialect();
        TableId target = plan.target().id();
        TableId staging = new TableId(target.schema(), STAGING_TABLE);
        // Typed like the target's columns, so a value converts on load exactly as it would on insert;
        // sent as text or as bytes by the source column's kind, exactly as BatchWriter binds it.
        List<Column> targetColumns = plan.columns().stream()
                .map(c -> plan.target().column(c.name()).orElse(c)).toList();
        this.drop = dialect.dropStaging(staging);
        this.fresh = dialect.freshStaging(staging, targetColumns);
        this.load = dialect.loadData(staging, plan.columns());
        this.insert = dialect.upsertFromStaging(target, staging, plan.columns(), plan.source().key(),
                plan.mapping().conflict(), plan.trackingColumnName());
        this.text = TabText.forColumns(plan.columns(), 1 << 16);
    }

    /** A writer when the target takes local loads; empty otherwise (the run upserts). */
    static Optional<StagedWriter> open(SyncPlan plan, BatchWriter writer, Connection target) throws SQLException {
        if (plan.target().id().table().equals(STAGING_TABLE)) {
            return Optional.empty();
        }
        if (!LocalLoad.enabled(target)) {
            if (TOLD.add(plan.mapping().id() + " local_infile")) {
                LOG.infof("Mapping %s: target server has local_infile=OFF, so incremental runs use INSERT"
                        + " statements; SET GLOBAL local_infile = ON on the target makes them faster",
                        plan.mapping().id());
            }
            return Optional.empty();
        }
        return Optional.of(new StagedWriter(plan, writer));
    }

    /** @return the counts, or empty when declined (the caller must roll back and upsert the batch) */
    Optional<WriteCounts> write(Connection target, List<byte[][]> batch) throws SQLException {
        try {
            return Optional.of(writer.write(target, batch, this::upsert));
        } catch (Declined e) {
            // Once per mapping: a refusal that lasts (no CREATE TEMPORARY TABLES grant) recurs every run.
            LOG.logf(TOLD.add(plan.mapping().id() + " declined") ? Logger.Level.WARN : Logger.Level.DEBUG,
                    "Mapping %s: staged write into %s declined (%s); the run goes on with INSERT statements",
                    plan.mapping().id(), plan.target().id(), e.getMessage());
            return Optional.empty();
        }
    }

    private WriteCounts upsert(Connection target, List<byte[][]> rows) throws SQLException {
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
            writer.refuseTruncation(st.getWarnings(), rows);
            return WriteCounts.fromAffected(rows.size(), affected, BatchWriter.duplicates(st));
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
    void close(Connection target) {
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

    /** The target refused the staged write or did not take it exactly. */
    private static final class Declined extends RuntimeException {
        Declined(String message) {
            super(message, null, false, false);
        }
    }
}
