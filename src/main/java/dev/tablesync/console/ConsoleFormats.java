package dev.tablesync.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** How the console's pages write times and durations: {@code {fmt:when(m.nextRun)}} in a template. */
@TemplateExtension(namespace = "fmt")
public final class ConsoleFormats {

    static final String NONE = "—";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsoleFormats() {
    }

    /** An instant in UTC to the second, or a dash. */
    static String when(Instant instant) {
        return instant == null ? NONE : WHEN.format(instant);
    }

    /** "12 s ago", "in 4 s", or a dash. */
    static String ago(Instant instant) {
        if (instant == null) {
            return NONE;
        }
        Duration d = Duration.between(instant, Instant.now());
        return d.isNegative() ? "in " + span(d.negated().toSeconds()) : span(d.toSeconds()) + " ago";
    }

    /** Seconds as "45 s", "3 m 05 s", "2 h 03 m", "3 d 04 h"; a dash for none. */
    static String seconds(Long seconds) {
        return seconds == null ? NONE : span(seconds);
    }

    /** Milliseconds as "0.042 s" or a longer span. */
    static String millis(long millis) {
        return millis < 60_000 ? String.format(java.util.Locale.ROOT, "%.3f s", millis / 1000.0) : span(millis / 1000);
    }

    static String span(long s) {
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format("%d m %02d s", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%d h %02d m", s / 3600, s % 3600 / 60);
        }
        return String.format("%d d %02d h", s / 86_400, s % 86_400 / 3600);
    }
}
