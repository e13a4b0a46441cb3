package dev.tablesync.verify;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableSchema;
import dev.tablesync.sql.ChecksumDialect;
import dev.tablesync.sync.RunStoppedException;
import dev.tablesync.sync.SyncPlan;

/**
 * Compares a mapping's two tables: a whole-table fast path when both servers can produce the same
 * checksum cheaply and without locks, else chunk by chunk in key order. A chunk's size adapts so
 * that its checksum takes about {@link #CHUNK_TIME_MS} on the slower server (pt-table-checksum's
 * chunk-time idea): no statement keeps either server busy for long, whatever the row size. After a
 * differing chunk the next one is drilled into at once, since differences come in clusters and the
 * drill-down tells all a checksum would.
 */
final class TableComparison {

    private static final Logger LOG = Logger.getLogger(TableComparison.class);

    static final long CHUNK_TIME_MS = 500;
    static final long FIRST_CHUNK_ROWS = 1000;
    static final long MIN_CHUNK_ROWS = 100;
    static final long MAX_CHUNK_ROWS = 2_000_000;
    /** A chunk grows at most this much from one to the next, so one fast chunk cannot make the next huge. */
    static final long MAX_GROWTH = 4;

    /** How the comparison went; the differences themselves went to {@link Differences}. */
    record Outcome(String method, long chunks, long differingChunks) {
    }

    private final SyncPlan plan;
    private final ChecksumDialect.RowHash hash;
    private final Connection source;
    private final Connection target;
    private final Executor executor;
    private final BooleanSupplier stopRequested;

    TableComparison(SyncPlan plan, ChecksumDialect.RowHash hash, Connection source, Connection target,
            Executor executor, BooleanSupplier stopRequested) {
        this.plan = plan;
        this.hash = hash;
        this.source = source;
        this.target = target;
        this.executor = executor;
        this.stopRequested = stopRequested;
    }

    Outcome compare(Differences out) throws SQLException {
        if (wholeTableEqual()) {
            return new Outcome("checksum-table", 1, 0);
        }
        ChunkComparison chunks = new ChunkComparison(plan, hash, source, target, executor);
        long rows = FIRST_CHUNK_ROWS;
        long count = 0;
        long differing = 0;
        boolean drill = false;
        byte[][] lower = null;
        byte[][] upper;
        do {
            upper = chunks.chunkEnd(lower, rows);
            long started = System.nanoTime();
            boolean differs;
            if (drill) {
                differs = chunks.drillDown(lower, upper, out) > 0;
            } else {
                ChunkComparison.Sums[] sums = chunks.checksums(lower, upper);
                differs = !sums[0].equals(sums[1]);
                if (differs) {
                    chunks.drillDown(lower, upper, out);
                }
            }
            out.flush();
            rows = nextSize(rows, (System.nanoTime() - started) / 1_000_000);
            count++;
            differing += differs ? 1 : 0;
            drill = differs;
            lower = upper;
            if (stopRequested.getAsBoolean() && upper != null) {
                throw new RunStoppedException("mapping " + plan.mapping().id() + ": verify stopped for shutdown after "
                        + count + " chunks");
            }
        } while (upper != null);
        return new Outcome("chunks", count, differing);
    }

    /** The next chunk's size for the time target, from how long this one took. */
    static long nextSize(long rows, long elapsedMs) {
        long target = elapsedMs <= 0 ? rows * MAX_GROWTH : rows * CHUNK_TIME_MS / elapsedMs;
        return Math.max(MIN_CHUNK_ROWS, Math.min(Math.min(target, rows * MAX_GROWTH), MAX_CHUNK_ROWS));
    }

    /**
     * The fast path: both servers' {@code CHECKSUM TABLE} in parallel, when both are MariaDB of the
     * same version (the value depends on the server's record format) and both tables have exactly
     * the same columns, and the whole source table is to be compared (not under hard deletes). Equal
     * means equal; anything else falls back to chunks.
     */
    private boolean wholeTableEqual() throws SQLException {
        Optional<String> src = new ChecksumDialect(plan.sourceDialect().server()).wholeTableChecksum(plan.source().id());
        Optional<String> tgt = new ChecksumDialect(plan.targetDialect().server()).wholeTableChecksum(plan.target().id());
        if (src.isEmpty() || tgt.isEmpty() || !sameVersion() || !sameDefinition(plan.source(), plan.target())
                || !hash.notCompared().isEmpty()) {
            return false;
        }
        if (plan.hardDeletes()) {
            LOG.infof("Mapping %s: verify compares in chunks, not by CHECKSUM TABLE: under delete-mode hard the"
                    + " source's rows marked deleted by %s are not in the target and must be left out, which"
                    + " CHECKSUM TABLE cannot do", plan.mapping().id(), plan.softDelete().describe());
            return false;
        }
        CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> {
            try {
                return checksum(target, tgt.get());
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, executor);
        String mine = checksum(source, src.get());
        try {
            String theirs = other.join();
            return mine != null && mine.equals(theirs);
        } catch (CompletionException e) {
            throw ChunkComparison.unwrap(e);
        }
    }

    private boolean sameVersion() {
        var s = plan.sourceDialect().server();
        var t = plan.targetDialect().server();
        return s.flavor() == t.flavor() && s.major() == t.major() && s.minor() == t.minor();
    }

    static boolean sameDefinition(TableSchema source, TableSchema target) {
        List<Column> s = source.columns();
        List<Column> t = target.columns();
        if (s.size() != t.size() || !source.engine().equalsIgnoreCase("InnoDB")
                || !target.engine().equalsIgnoreCase("InnoDB")) {
            return false;
        }
        for (int i = 0; i < s.size(); i++) {
            Column a = s.get(i);
            Column b = t.get(i);
            if (!a.name().equals(b.name()) || !a.columnType().equalsIgnoreCase(b.columnType())
                    || a.nullable() != b.nullable() || !a.charset().equals(b.charset())
                    || !a.collation().equals(b.collation()) || a.isGenerated() || b.isGenerated()) {
                return false;
            }
        }
        return true;
    }

    private static String checksum(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(2) : null;
        }
    }
}
