package dev.tablesync.sync;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import dev.tablesync.sql.Dialect;

/**
 * The upper end of what one run may copy, from the source server's own clock: {@code NOW(6)}
 * minus the commit delay, lowered to the start of the oldest source transaction that has
 * written rows. A row stamped before that bound but committed after it cannot exist (short of a
 * writer inventing timestamps), so a cursor that moves up to the bound never skips a row.
 * One instance per mapping: it remembers whether the open transactions are readable.
 */
public final class ChangeWindow {

    private static final Logger LOG = Logger.getLogger(ChangeWindow.class);
    private static final DateTimeFormatter UTC_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    /**
     * InnoDB refreshes information_schema.INNODB_TRX at most every 100 ms, so a transaction that
     * began in the last 100 ms may be missing from it; the bound never comes closer to now than this.
     */
    static final Duration STALENESS_OF_OPEN_TRANSACTIONS = Duration.ofMillis(100);
    /** Access denied errors when the user lacks PROCESS for information_schema.INNODB_TRX. */
    private static final int[] DENIED = {1227, 1142, 1044, 1045, 1356};

    /**
     * @param value      the bound as the tracking column's text (UTC for TIMESTAMP, server zone for DATETIME)
     * @param sourceTime the same instant, for the checkpoint's completeness time and lag
     */
    public record Bound(String value, Instant sourceTime) {
    }

    private final String mappingId;
    private volatile boolean openTransactionsReadable = true;

    public ChangeWindow(String mappingId) {
        this.mappingId = mappingId;
    }

    /**
     * @param serverZone whether the tracking column is a DATETIME, whose values writers stamp in
     *                   the server's time zone; TIMESTAMP values are compared in UTC
     */
    public Bound compute(Connection source, Dialect dialect, Duration commitDelay, boolean serverZone)
            throws SQLException {
        if (!serverZone) {
            return query(source, dialect, commitDelay, false, UnaryOperator.identity());
        }
        if (dialect.inServerZone("").isPresent()) {
            return query(source, dialect, commitDelay, true, sql -> dialect.inServerZone(sql).orElseThrow());
        }
        try (Statement s = source.createStatement()) {
            s.execute(Dialect.setTimeZone(true));
            try {
                return query(source, dialect, commitDelay, true, UnaryOperator.identity());
            } finally {
                s.execute(Dialect.setTimeZone(false));
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
                return read(source, inZone.apply(dialect.watermark(true)), margin, serverZone);
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
        return read(source, inZone.apply(dialect.watermark(false)), delay, serverZone);
    }

    private static Bound read(Connection source, String sql, Duration delay, boolean serverZone) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            ps.setLong(1, delay.toNanos() / 1000);
            // execute, not executeQuery: Connector/J refuses the latter for SET STATEMENT ... FOR SELECT
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                String local = new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
                BigDecimal epoch = rs.getBigDecimal(2);
                Instant instant = Instant.ofEpochSecond(epoch.longValue(),
                        epoch.remainder(BigDecimal.ONE).movePointRight(9).longValue());
                return new Bound(serverZone ? local : UTC_TEXT.format(instant), instant);
            }
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
