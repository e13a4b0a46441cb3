package dev.tablesync.checkpoint;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as the state tables store them and as TIMESTAMP bounds are bound: {@code
 * yyyy-MM-dd HH:mm:ss.SSSSSS} in UTC (as text: Connector/J drops the fraction of bound temporals
 * on MariaDB). The one formatter of that text in tablesync. Written out
 * by hand because every run reads and writes a few of them, mostly in the interpreter (one run per
 * second never gets java.time's formatters compiled), where a {@link DateTimeFormatter} costs a
 * quarter of a millisecond per value; anything unusual goes through java.time as before.
 */
public final class UtcText {

    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private UtcText() {
    }

    public static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 1 || t.getYear() > 9999) {
            return FORMAT.format(instant);
        }
        char[] text = new char[26];
        digits(text, 0, t.getYear(), 4);
        text[4] = '-';
        digits(text, 5, t.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, t.getDayOfMonth(), 2);
        text[10] = ' ';
        digits(text, 11, t.getHour(), 2);
        text[13] = ':';
        digits(text, 14, t.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, t.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, t.getNano() / 1000, 6);
        return new String(text);
    }

    /** Reads {@code yyyy-MM-dd HH:mm:ss[.fraction]}, and whatever else ISO local date-time text allows. */
    public static Instant parse(String text) {
        int n = text.length();
        if (n >= 19 && n != 20 && n <= 29 && text.charAt(4) == '-' && text.charAt(7) == '-'
                && text.charAt(10) == ' ' && text.charAt(13) == ':' && text.charAt(16) == ':'
                && (n == 19 || text.charAt(19) == '.')) {
            int year = number(text, 0, 4);
            int month = number(text, 5, 7);
            int day = number(text, 8, 10);
            int hour = number(text, 11, 13);
            int minute = number(text, 14, 16);
            int second = number(text, 17, 19);
            int fraction = n == 19 ? 0 : number(text, 20, n);
            if (Math.min(Math.min(Math.min(year, month), Math.min(day, hour)), Math.min(Math.min(minute, second),
                    fraction)) >= 0) {
                for (int i = n; i < 29; i++) {
                    fraction *= 10;
                }
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second, fraction)
                            .toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e) {
                    // out of range: java.time below reports it in its own words
                }
            }
        }
        return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when anything there is not a digit. */
    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void digits(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
