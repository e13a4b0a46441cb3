package dev.tablesync.sync;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.tablesync.sql.ReadSql;
import dev.tablesync.sql.Dialect;

/**
 * A DATETIME tracking column holds the writers' wall-clock time in the server's zone. Where that
 * zone has daylight saving, the clock goes back an hour in autumn and rows of the repeated hour
 * carry values below the cursor. One instance per mapping: it knows whether the zone has DST,
 * renders instants as the server's wall clock and says from where a run must re-read.
 */
final class FallBack {

    private static final Logger LOG = Logger.getLogger(FallBack.class);
    static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final String mappingId;
    private volatile Optional<String> warning;
    private volatile Duration lowestOffset = Duration.ZERO;

    FallBack(String mappingId) {
        this.mappingId = mappingId;
    }

    /**
     * The earliest wall-clock value a row committed after {@code a} can carry, when the clock went
     * back between the instants {@code a} and {@code b}: by {@code shift}, the time that passed
     * beyond what the wall clock shows. Every instant after {@code a} shows at least
     * {@code localA - shift} in (a, b].
     */
    static Optional<LocalDateTime> rereadFrom(Instant a, LocalDateTime localA, Instant b, LocalDateTime localB) {
        Duration shift = Duration.between(a, b).minus(Duration.between(localA, localB));
        return !shift.isNegative() && !shift.isZero() ? Optional.of(localA.minus(shift)) : Optional.empty();
    }

    /**
     * As {@link #rereadFrom(Instant, LocalDateTime, Instant, LocalDateTime)}; but over more than a
     * day (a mapping that completed no run for months) the clock may have gone back and forward
     * again, so it is taken to have gone back to the zone's lowest offset.
     */
    static Optional<LocalDateTime> rereadFrom(Instant a, LocalDateTime localA, Instant b, LocalDateTime localB,
            Duration lowestOffset) {
        if (Duration.between(a, b).compareTo(Duration.ofDays(1)) <= 0) {
            return rereadFrom(a, localA, b, localB);
        }
        Duration back = Duration.between(LocalDateTime.ofInstant(a, ZoneOffset.UTC), localA).minus(lowestOffset);
        return !back.isNegative() && !back.isZero() ? Optional.of(localA.minus(back)) : Optional.empty();
    }

    /** The lowest offset from UTC the server's zone showed, once {@link #daylightSaving} asked. */
    Duration lowestOffset() {
        return lowestOffset;
    }

    /**
     * Whether the server's zone (SYSTEM resolved by the server) shows two instants half a year
     * apart with different offsets; asked once, warned about once.
     */
    boolean daylightSaving(Connection source, Dialect dialect) throws SQLException {
        if (warning == null) {
            Instant january = Year.now(ZoneOffset.UTC).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant july = january.plus(Duration.ofDays(181));
            LocalDateTime[] local = render(source, dialect, january, july);
            Duration winter = Duration.between(LocalDateTime.ofInstant(january, ZoneOffset.UTC), local[0]);
            Duration summer = Duration.between(LocalDateTime.ofInstant(july, ZoneOffset.UTC), local[1]);
            lowestOffset = winter.compareTo(summer) < 0 ? winter : summer;
            boolean dst = !winter.equals(summer);
            warning = dst ? Optional.of("the DATETIME tracking column holds wall-clock time of the source's zone,"
                    + " which has daylight saving time: each autumn, rows of the repeated hour are re-read with"
                    + " the hour before it; a TIMESTAMP column (UTC inside) or a zone without DST avoids that")
                    : Optional.empty();
            warning.ifPresent(w -> LOG.warnf("Mapping %s: %s", mappingId, w));
        }
        return warning.isPresent();
    }

    /** The warning about daylight saving, once {@link #daylightSaving} found it. */
    Optional<String> warning() {
        Optional<String> w = warning;
        return w == null ? Optional.empty() : w;
    }

    /** {@code a} and {@code b} as the server's wall clock shows them, in one statement. */
    LocalDateTime[] render(Connection source, Dialect dialect, Instant a, Instant b) throws SQLException {
        Optional<String> oneStatement = dialect.reads().inServerZone(ReadSql.LOCAL_TIMES);
        if (oneStatement.isPresent()) {
            return render(source, oneStatement.get(), a, b);
        }
        try (Statement s = source.createStatement()) {
            s.execute(ReadSql.setTimeZone(true));
            try {
                return render(source, ReadSql.LOCAL_TIMES, a, b);
            } finally {
                s.execute(ReadSql.setTimeZone(false));
            }
        }
    }

    private static LocalDateTime[] render(Connection source, String sql, Instant a, Instant b) throws SQLException {
        try (PreparedStatement ps = source.prepareStatement(sql)) {
            ps.setBigDecimal(1, epoch(a));
            ps.setBigDecimal(2, epoch(b));
            ps.execute();
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                return new LocalDateTime[] {parse(rs.getBytes(1)), parse(rs.getBytes(2))};
            }
        }
    }

    static BigDecimal epoch(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano() / 1000, 6));
    }

    private static LocalDateTime parse(byte[] text) {
        return LocalDateTime.parse(new String(text, java.nio.charset.StandardCharsets.UTF_8).replace(' ', 'T'));
    }
}
