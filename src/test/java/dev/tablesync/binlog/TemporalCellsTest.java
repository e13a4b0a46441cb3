package dev.tablesync.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

/** Temporal cells decoded from hand-packed binlog bytes, printed as the server prints them (zero-padded). */
class TemporalCellsTest {

    @Test
    void shouldPrintADatetimeWithItsFractionZeroPadded() throws IOException {
        assertEquals("2020-01-02 03:04:05.000123", datetime(2020, 1, 2, 3, 4, 5, 123, 6));
        assertEquals("0987-11-30 23:59:09.12", datetime(987, 11, 30, 23, 59, 9, 120_000, 2));
        assertEquals("2026-12-07 00:00:00", datetime(2026, 12, 7, 0, 0, 0, 0, 0));
    }

    @Test
    void shouldPrintZeroDatesThatJavaDatesCannotHold() throws IOException {
        assertEquals("0000-00-00 00:00:00.000000", datetime(0, 0, 0, 0, 0, 0, 0, 6));
        assertEquals("0000-00-00", read(ColumnType.DATE, 0, 0, 0, 0));
        assertEquals("2024-00-15", read(ColumnType.DATE, 0, ((2024 << 9) | 15) & 0xFF, ((2024 << 9) | 15) >> 8 & 0xFF,
                (2024 << 9) >> 16));
    }

    @Test
    void shouldPrintTimesBeyondTwoDigitHoursAndNegative() throws IOException {
        long hms = (838L << 12) | (59 << 6) | 59;
        assertEquals("838:59:59", time3(0x80_0000L + hms));
        assertEquals("-838:59:59", time3(0x80_0000L - hms));
        assertEquals("01:02:03", time3(0x80_0000L + ((1L << 12) | (2 << 6) | 3)));
    }

    private static String datetime(int y, int mo, int d, int h, int mi, int s, int micros, int fsp) throws IOException {
        long packed = ((((long) (y * 13 + mo) << 5) | d) << 17) | ((long) h << 12) | ((long) mi << 6) | s;
        int fracBytes = (fsp + 1) / 2;
        byte[] b = new byte[5 + fracBytes];
        bigEndian(b, 0, 5, packed + 0x80_0000_0000L);
        long frac = fracBytes == 1 ? micros / 10_000 : fracBytes == 2 ? micros / 100 : micros;
        bigEndian(b, 5, fracBytes, frac);
        return (String) TemporalCells.read(ColumnType.DATETIME_V2, fsp, new ByteArrayInputStream(b));
    }

    private static String time3(long stored) throws IOException {
        byte[] b = new byte[3];
        bigEndian(b, 0, 3, stored);
        return (String) TemporalCells.read(ColumnType.TIME_V2, 0, new ByteArrayInputStream(b));
    }

    private static String read(ColumnType type, int meta, int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return (String) TemporalCells.read(type, meta, new ByteArrayInputStream(b));
    }

    private static void bigEndian(byte[] b, int at, int n, long v) {
        for (int i = n - 1; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
