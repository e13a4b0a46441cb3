package dev.tablesync.verify;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.schema.ValueKind;
import dev.tablesync.sql.ChecksumDialect;
import dev.tablesync.sql.Values;
import dev.tablesync.sync.SyncPlan;

/**
 * Compares one key range of a mapping's two tables: the source finds where a chunk ends, both
 * servers compute the chunk's count and aggregate hash at the same time, and a differing chunk is
 * drilled into by streaming both sides' (key, row hash) pairs in key order and merging them.
 * Only plain SELECTs run: consistent reads that never block a writer. Bounds are raw key values
 * as the source printed them; {@code null} is an open bound.
 */
final class ChunkComparison {

    /** A chunk's row count and aggregate hash on one server. */
    record Sums(long rows, String hash) {
    }

    private final SyncPlan plan;
    private final ChecksumDialect.RowHash hash;
    private final ChecksumDialect sourceSql;
    private final ChecksumDialect targetSql;
    private final Connection source;
    private final Connection target;
    private final Executor executor;
    private final List<Column> key;
    private final List<Column> targetKey;
    private final List<String> keyNames;
    /** Under delete-mode hard, the source's rows this column marks deleted are not compared: the target has none. */
    private final Optional<Column> sourceSoftDelete;

    ChunkComparison(SyncPlan plan, ChecksumDialect.RowHash hash, Connection source, Connection target,
            Executor executor) {
        this.plan = plan;
        this.hash = hash;
        this.sourceSql = new ChecksumDialect(plan.sourceDialect().server());
        this.targetSql = new ChecksumDialect(plan.targetDialect().server());
        this.source = source;
        this.target = target;
        this.executor = executor;
        this.key = plan.keyColumns();
        this.keyNames = plan.source().key();
        this.targetKey = keyNames.stream().map(k -> plan.target().column(k).orElseThrow()).toList();
        this.sourceSoftDelete = plan.hardDeletes() ? plan.softDelete().column() : Optional.empty();
    }

    /** The key that ends a chunk of {@code rows} rows after {@code lower}; null when fewer remain (the last chunk). */
    byte[][] chunkEnd(byte[][] lower, long rows) throws SQLException {
        String sql = sourceSql.chunkEnd(plan.source().id(), keyNames, lower != null, rows, sourceSoftDelete);
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            bindBounds(ps, key, lower, null);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? keyOf(rs) : null;
            }
        }
    }

    /** Both servers' sums of the range, computed in parallel: {@code [source, target]}. */
    Sums[] checksums(byte[][] lower, byte[][] upper) throws SQLException {
        CompletableFuture<Sums> other = CompletableFuture.supplyAsync(() -> {
            try {
                return sums(target, targetSql, plan.target().id(), hash.target(), lower, upper, Optional.empty());
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, executor);
        Sums mine;
        try {
            mine = sums(source, sourceSql, plan.source().id(), hash.source(), lower, upper, sourceSoftDelete);
        } finally {
            // never leave the target statement running behind a failed source
            try {
                other.join();
            } catch (CompletionException ignored) {
                // reported below, if the source succeeded
            }
        }
        try {
            return new Sums[] {mine, other.join()};
        } catch (CompletionException e) {
            throw ChunkComparison.unwrap(e);
        }
    }

    private Sums sums(Connection c, ChecksumDialect sql, TableId table, List<ChecksumDialect.HashColumn> columns,
            byte[][] lower, byte[][] upper, Optional<Column> softDelete) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.chunkChecksum(table, columns, keyNames, lower != null,
                upper != null, softDelete))) {
            bindBounds(ps, c == source ? key : targetKey, lower, upper);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Sums(rs.getLong(1), Objects.toString(rs.getString(2), "0"));
            }
        }
    }

    /**
     * Streams both sides' (key, hash) pairs of the range and reports each difference.
     *
     * @return the differences found in this chunk
     */
    long drillDown(byte[][] lower, byte[][] upper, Differences out) throws SQLException {
        long before = out.total();
        try (PreparedStatement s = streaming(source, sourceSql.keyHashes(plan.source().id(), hash.source(), key,
                lower != null, upper != null, sourceSoftDelete));
                PreparedStatement t = streaming(target, targetSql.keyHashes(plan.target().id(), hash.target(),
                        targetKey, lower != null, upper != null))) {
            bindBounds(s, key, lower, upper);
            bindBounds(t, targetKey, lower, upper);
            try (ResultSet sr = s.executeQuery(); ResultSet tr = t.executeQuery()) {
                merge(sr, tr, out);
            }
        }
        return out.total() - before;
    }

    private void merge(ResultSet sr, ResultSet tr, Differences out) throws SQLException {
        int hashColumn = key.size() + 1;
        boolean hasS = sr.next();
        boolean hasT = tr.next();
        byte[][] sk = hasS ? keyOf(sr) : null;
        byte[][] tk = hasT ? keyOf(tr) : null;
        while (hasS || hasT) {
            int c = !hasS ? 1 : !hasT ? -1 : compare(sk, tk);
            if (c < 0) {
                out.add(Differences.Kind.MISSING, sk);
            } else if (c > 0) {
                out.add(Differences.Kind.EXTRA, tk);
            } else if (sr.getLong(hashColumn) != tr.getLong(hashColumn)) {
                out.add(Differences.Kind.DIFFERENT, sk);
            }
            if (c <= 0) {
                hasS = sr.next();
                sk = hasS ? keyOf(sr) : null;
            }
            if (c >= 0) {
                hasT = tr.next();
                tk = hasT ? keyOf(tr) : null;
            }
        }
    }

    /** The order of {@link ChecksumDialect#keyHashes}: numbers by value, everything else by its bytes. */
    private int compare(byte[][] a, byte[][] b) {
        for (int i = 0; i < key.size(); i++) {
            int c = key.get(i).kind() == ValueKind.NUMBER ? number(a[i]).compareTo(number(b[i]))
                    : Arrays.compareUnsigned(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static BigDecimal number(byte[] text) {
        return new BigDecimal(new String(text, StandardCharsets.US_ASCII));
    }

    private byte[][] keyOf(ResultSet rs) throws SQLException {
        byte[][] k = new byte[key.size()][];
        for (int i = 0; i < k.length; i++) {
            k[i] = rs.getBytes(i + 1);
        }
        return k;
    }

    private static PreparedStatement streaming(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        ps.setFetchSize(Integer.MIN_VALUE);
        return ps;
    }

    /** @param columns the key as the server the statement runs on defines it (an ENUM's members are its own) */
    private static void bindBounds(PreparedStatement ps, List<Column> columns, byte[][] lower, byte[][] upper)
            throws SQLException {
        int index = 1;
        for (byte[][] bound : new byte[][][] {lower, upper}) {
            if (bound != null) {
                for (int position : ChecksumDialect.boundBindOrder(columns.size())) {
                    Values.bindBound(ps, index++, columns.get(position), bound[position]);
                }
            }
        }
    }

    /** The SQL error a parallel query failed with; anything else is thrown as it is. */
    static SQLException unwrap(CompletionException e) {
        if (e.getCause() instanceof SQLException sql) {
            return sql;
        }
        throw e;
    }
}
