package dev.tablesync.binlog;

import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

/**
 * Reads temporal and YEAR cells of a row image as the text the server prints for them, from the binlog's packed
 * form. The library's own decoding goes through Java dates, which cannot hold zero dates ({@code 0000-00-00},
 * {@code 2024-00-15}), and reads YEAR 0 as 1900. TIMESTAMP text is in UTC, as tablesync's sessions read it.
 */
final class TemporalCells {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private TemporalCells() {
    }

    static boolean handles(ColumnType type) {
        return switch (type) {
            case DATE, DATETIME_V2, TIMESTAMP_V2, TIME_V2, YEAR -> true;
            default -> false;
        };
    }

    /** The cell's text as a String; only for types {@link #handles} accepts. */
    static Serializable read(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> date(in.readInteger(3));
            case YEAR -> {
                int y = in.readInteger(1);
                yield y == 0 ? "0000" : String.valueOf(1900 + y);
            }
            case DATETIME_V2 -> datetime(bigEndian(in, 5) - 0x80_0000_0000L, fraction(meta, in), meta);
            case TIMESTAMP_V2 -> timestamp(bigEndian(in, 4), fraction(meta, in), meta);
            case TIME_V2 -> time(meta, in);
            default -> throw new IllegalArgumentException("not a temporal cell: " + type);
        };
    }

    // Padded by hand rather than String.format: a DATETIME(6) column costs two formats per cell, and formatting
    // was three quarters of the binlog reader thread's CPU in the catch-up benchmark (src/bench, --binlog).
    private static String date(int packed) {
        StringBuilder b = new StringBuilder(10);
        pad(b, packed >>> 9, 4).append('-');
        pad(b, (packed >>> 5) & 15, 2).append('-');
        return pad(b, packed & 31, 2).toString();
    }

    private static String datetime(long packed, int micros, int fsp) {
        long ymd = packed >>> 17;
        long ym = ymd >>> 5;
        long hms = packed & 0x1FFFF;
        StringBuilder b = new StringBuilder(26);
        pad(b, ym / 13, 4).append('-');
        pad(b, ym % 13, 2).append('-');
        pad(b, ymd & 31, 2).append(' ');
        pad(b, hms >>> 12, 2).append(':');
        pad(b, (hms >>> 6) & 63, 2).append(':');
        pad(b, hms & 63, 2);
        return fraction(b, micros, fsp).toString();
    }

    private static String timestamp(long seconds, int micros, int fsp) {
        if (seconds == 0 && micros == 0) {
            return "0000-00-00 00:00:00" + digits(0, fsp);
        }
        return UTC.format(Instant.ofEpochSecond(seconds)) + digits(micros, fsp);
    }

    /** MySQL's my_time_packed_from_binary, then TIME_from_longlong_time_packed. */
    private static String time(int fsp, ByteArrayInputStream in) throws IOException {
        long packed;
        if (fsp >= 5) {
            packed = bigEndian(in, 6) - 0x8000_0000_0000L;
        } else {
            long intPart = bigEndian(in, 3) - 0x80_0000L;
            long frac = 0;
            if (fsp >= 1) {
                int bytes = (fsp + 1) / 2;
                frac = bigEndian(in, bytes);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 1L << (8 * bytes);
                }
                frac *= bytes == 1 ? 10_000 : 100;
            }
            packed = (intPart << 24) + frac;
        }
        long abs = Math.abs(packed);
        long hms = abs >>> 24;
        long micros = abs % (1L << 24);
        StringBuilder b = new StringBuilder(18).append(packed < 0 ? "-" : "");
        pad(b, (hms >>> 12) % (1 << 10), 2).append(':');
        pad(b, (hms >>> 6) % 64, 2).append(':');
        pad(b, hms % 64, 2);
        return fraction(b, (int) micros, fsp).toString();
    }

    /** Microseconds of a DATETIME2/TIMESTAMP2 fraction: {@code (fsp + 1) / 2} big-endian bytes. */
    private static int fraction(int fsp, ByteArrayInputStream in) throws IOException {
        int bytes = (fsp + 1) / 2;
        if (bytes == 0) {
            return 0;
        }
        long v = bigEndian(in, bytes);
        return (int) (bytes == 1 ? v * 10_000 : bytes == 2 ? v * 100 : v);
    }

    private static String digits(int micros, int fsp) {
        return fraction(new StringBuilder(7), micros, fsp).toString();
    }

    /** Appends {@code .} and the first {@code fsp} of the six digits of {@code micros}; nothing for fsp 0. */
    private static StringBuilder fraction(StringBuilder b, int micros, int fsp) {
        if (fsp == 0) {
            return b;
        }
        int at = b.append('.').length();
        pad(b, micros, 6).setLength(at + fsp);
        return b;
    }

    /** Appends a non-negative number, zero-padded to at least {@code width} digits (as {@code %0<width>d}). */
    private static StringBuilder pad(StringBuilder b, long v, int width) {
        for (long limit = 10, i = 1; i < width; i++, limit *= 10) {
            if (v < limit) {
                b.append('0');
            }
        }
        return b.append(v);
    }

    private static long bigEndian(ByteArrayInputStream in, int bytes) throws IOException {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | in.read();
        }
        return v;
    }
}
