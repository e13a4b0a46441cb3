package dev.tablesync.sync;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import dev.tablesync.sql.ReadSql;
import dev.tablesync.checkpoint.Checkpoint;
import dev.tablesync.checkpoint.Cursor;
import dev.tablesync.checkpoint.UtcText;
import dev.tablesync.schema.Column;
import dev.tablesync.schema.TableId;
import dev.tablesync.sql.Dialect;

/**
 * The upper end of what one run may copy, from the source server's own clock: {@code NOW(6)}
 * minus the commit delay, lowered to the start of the oldest source transaction that has
 * written rows and of the oldest statement another session runs (its rows carry its start). A
 * row stamped before that bound but committed after it cannot exist (short of a writer stamping
 * a value taken before its transaction first wrote), so a cursor that moves up to the bound never
 * skips a row. In id mode the bound is the highest id no open writer can still commit below; for
 * a DATETIME column in a zone with daylight saving the bound also says where to re-read from.
 * One instance per mapping: it remembers whether the open transactions are readable, id mode's
 * candidates and whether the server's zone has daylight saving.
 */
public final class ChangeWindow {

    private static final Logger LOG = Logger.getLogger(ChangeWindow.class);
    /**
     * InnoDB refreshes information_schema.INNODB_TRX at most every 100 ms, so a transaction that
     * began in the last 100 ms may be missing from it; the bound never comes closer to now than this.
     */
    static final Duration STALENESS_OF_OPEN_TRANSACTIONS = Duration.ofMillis(100);
    /**
     * Access denied errors when the user lacks PROCESS for information_schema.INNODB_TRX; without it
     * PROCESSLIST shows only the user's own sessions, so both go together.
     */
    private static final int[] DENIED = {1227, 1142, 1044, 1045, 1356};

    /**
     * @param value      the bound as the tracking column's text (UTC for TIMESTAMP, server zone for DATETIME)
     * @param sourceTime the same instant, for the checkpoint's completeness time and lag
     */
    /**
     * @param rereadFrom where this run must read from (inclusive, wall-clock text) because the
     *                   server's clock went back since the previous bound; DATETIME tracking only
     */
    public record Bound(String value, Instant sourceTime, Optional<String> rereadFrom) {

        public Bound(String value, Instant sourceTime) {
            this(value, sourceTime, Optional.empty());
        }

        /**
         * Where the run reads from: after the source's wall clock went back (daylight saving ended),
         * rows of the repeated hour carry values below the cursor, so the run reads again from the
         * earliest value they can carry. Rows read twice are upserted twice, to the same result.
         */
        Checkpoint readFrom(Checkpoint cp, SyncPlan plan, Instant now) {
            Optional<String> from = rereadFrom
                    .filter(f -> cp.cursor().map(c -> f.compareTo(c.values().get(0)) < 0).orElse(false));
            if (from.isEmpty()) {
                return cp;
            }
            LOG.infof("Mapping %s: the source's clock went back (daylight saving ended); re-reading %s from %s",
                    plan.mapping().id(), plan.source().id(), from.get());
            Column ts = plan.tracking().column().orElseThrow();
            return cp.advance(Cursor.at(List.of(ts), List.of(from.get().getBytes(StandardCharsets.UTF_8))), 0, now);
        }
    }

    private final String mappingId;
    private volatile boolean openTransactionsReadable = true;
    private final FallBack fallBack;
    /** Tests only: the source time (SET timestamp) at which the window's bound is computed. */
    volatile Optional<Instant> pretendSourceTime = Optional.empty();
    /** Id mode's candidates for the safe id, oldest first, and the highest proven safe. */
    private final IdCandidates ids = new IdCandidates();

    public ChangeWindow(String mappingId) {
        this.mappingId = mappingId;
        this.fallBack = new FallBack(mappingId);
    }

    /** Why this mapping's window needs care that its user should know of (daylight saving), once found. */
    public Optional<String> warning() {
        return fallBack.warning();
    }

    /**
     * @param serverZone whether the tracking column is a DATETIME, whose values writers stamp in
     *                   the server's time zone; TIMESTAMP values are compared in UTC
     */
    public Bound compute(Connection source, Dialect dialect, Duration commitDelay, boolean serverZone)
            throws SQLException {
        return compute(source, dialect, commitDelay, serverZone, Optional.empty());
    }

    /**
     * @param previous the previous run's bound instant (up to which the target is complete); in a
     *                 zone with daylight saving, where this run must re-read from is derived from it
     */
    public Bound compute(Connection source, Dialect dialect, Duration commitDelay, boolean serverZone,
            Optional<Instant> previous) throws SQLException {
        Optional<Instant> pretend = pretendSourceTime;
        if (pretend.isEmpty()) {
            return computeNow(source, dialect, commitDelay, serverZone, previous);
        }
        try (PreparedStatement ps = source.prepareStatement(ReadSql.SET_SESSION_TIME)) {
            ps.setBigDecimal(1, FallBack.epoch(pretend.get()));
            ps.execute();
        }
        try {
            return computeNow(source, dialect, commitDelay, serverZone, previous);
        } finally {
            try (Statement s = source.createStatement()) {
                s.execute(ReadSql.RESET_SESSION_TIME);
            }
        }
    }

    private Bound computeNow(Connection source, Dialect dialect, Duration commitDelay, boolean serverZone,
            Optional<Instant> previous) throws SQLException {
        if (serverZone && fallBack.daylightSaving(source, dialect)) {
            // The wall clock of the repeated hour is ambiguous: the instant comes from UTC, then its rendering.
            Instant b = query(source, dialect, commitDelay, false, UnaryOperator.identity()).sourceTime();
            Instant a = previous.filter(p -> p.isBefore(b)).orElse(b);
            LocalDateTime[] local = fallBack.render(source, dialect, a, b);
            return new Bound(FallBack.TEXT.format(local[1]), b,
                    FallBack.rereadFrom(a, local[0], b, local[1], fallBack.lowestOffset()).map(FallBack.TEXT::format));
        }
        if (!serverZone) {
            return query(source, dialect, commitDelay, false, UnaryOperator.identity());
        }
        if (dialect.reads().inServerZone("").isPresent()) {
            return query(source, dialect, commitDelay, true, sql -> dialect.reads().inServerZone(sql).orElseThrow());
        }
        try (Statement s = source.createStatement()) {
            s.execute(ReadSql.setTimeZone(true));
            try {
                return query(source, dialect, commitDelay, true, UnaryOperator.identity());
            } finally {
                s.execute(ReadSql.setTimeZone(false));
            }
        }
    }

    /** @param inZone what runs the watermark query in the session time zone chosen by the caller */
    private Bound query(Connection source, Dialect dialect, Duration delay, boolean serverZone,
            UnaryOperator<String> inZone) throws SQLException {
        if (openTransactionsReadable) {
            try {
                Duration margin = delay.compareTo(STALENESS_OF_OPEN_TRANSACTIONS) < 0 ? STALENESS_OF_OPEN_TRANSACTIONS
                        : delay;
                return read(source, inZone.apply(dialect.reads().watermark(true)), margin, serverZone);
            } catch (SQLException e) {
                if (!isDenied(e)) {
                    throw e;
                }
                openTransactionsReadable = false;
                LOG.warnf("Mapping %s: cannot read information_schema.INNODB_TRX (%s); the change window relies on"
                        + " commit-delay alone, so a transaction open longer than %s may be skipped. Grant PROCESS"
                        + " to the source user to close that gap.", mappingId, e.getMessage(), delay);
            }
        }
        return read(source, inZone.apply(dialect.reads().watermark(false)), delay, serverZone);
    }

    private static Bound read(Connection source, String sql, Duration delay, boolean serverZone) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            ps.setLong(1, delay.toNanos() / 1000);
            // execute, not executeQuery: Connector/J refuses the latter for SET STATEMENT ... FOR SELECT
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                String local = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
                Instant instant = instant(rs.getBigDecimal(2));
                return new Bound(serverZone ? local : UtcText.format(instant), instant);
            }
        }
    }

    /**
     * Id mode's upper bound: the highest id below which no open writer can still commit a row. An
     * uncommitted id at or below MAX(id) belongs to a transaction (or statement) open when MAX was
     * read; MAX read at source time t is therefore safe once every writer open at t has ended,
     * which is when the window's held-back time (read at least the INNODB_TRX staleness later)
     * passes t. A new MAX is checked again after that staleness, so a quiet source gets its rows
     * in the same run.
     *
     * @param patience how long to keep checking while a newer MAX is not yet safe
     * @return empty until some id is known safe
     */
    public synchronized Optional<Bound> idBound(Connection source, Dialect dialect, TableId table, String id,
            Duration patience) throws SQLException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<IdCandidates.Candidate> read = readIds(source, dialect, table, id);
            if (read.isEmpty() || !ids.isAboveSafe(read.get())) {
                return ids.safe().map(c -> new Bound(c.id(), c.readAt()));
            }
            ids.add(read.get());
            sleep(STALENESS_OF_OPEN_TRANSACTIONS.plusMillis(5));
            if (openTransactionsReadable) {
                ids.settle(query(source, dialect, Duration.ZERO, false, UnaryOperator.identity()).sourceTime());
            }
            if (!ids.isAboveSafe(read.get()) || System.nanoTime() - deadline >= 0) {
                return ids.safe().map(c -> new Bound(c.id(), c.readAt()));
            }
        }
    }

    /** MAX(id) and when it was read; settles earlier candidates with the held-back time read alongside. */
    private Optional<IdCandidates.Candidate> readIds(Connection source, Dialect dialect, TableId table, String id)
            throws SQLException {
        if (openTransactionsReadable) {
            try {
                return readIds(source, dialect.reads().idWindow(table, id, true), true);
            } catch (SQLException e) {
                if (!isDenied(e)) {
                    throw e;
                }
                openTransactionsReadable = false;
                LOG.warnf("Mapping %s: cannot read information_schema.INNODB_TRX (%s); mode id then copies up to"
                        + " MAX(%s) and skips an id that a transaction still open at that moment commits later."
                        + " Grant PROCESS to the source user to close that gap.", mappingId, e.getMessage(), id);
            }
        }
        Optional<IdCandidates.Candidate> max = readIds(source, dialect.reads().idWindow(table, id, false), false);
        max.ifPresent(ids::trust);
        return max;
    }

    private Optional<IdCandidates.Candidate> readIds(Connection source, String sql, boolean withHeld)
            throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            if (withHeld) {
                ps.setLong(1, STALENESS_OF_OPEN_TRANSACTIONS.toNanos() / 1000);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (withHeld) {
                    ids.settle(instant(rs.getBigDecimal(3)));
                }
                String max = rs.getString(1);
                return max == null ? Optional.empty()
                        : Optional.of(new IdCandidates.Candidate(max, instant(rs.getBigDecimal(2))));
            }
        }
    }

    private static Instant instant(BigDecimal epoch) {
        return Instant.ofEpochSecond(epoch.longValue(), epoch.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isDenied(SQLException e) {
        for (int code : DENIED) {
            if (e.getErrorCode() == code) {
                return true;
            }
        }
        return false;
    }

    public boolean openTransactionsReadable() {
        return openTransactionsReadable;
    }
}
