package dev.tablesync.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/**
 * When a job runs, parsed once from configuration: an interval ({@code 30s}, {@code 5m}, {@code 1h},
 * {@code 1d} or an ISO-8601 duration such as {@code PT30S}), a Quartz cron expression, or {@code never}
 * (no job: the mapping runs only when triggered). The scheduler takes the text as it is;
 * {@link #interval()} says which of its two settings it goes to.
 *
 * @param text     as configured, trimmed
 * @param interval true for an interval, false for a cron expression
 */
public record Schedule(String text, boolean interval) {

    /** The schedule of a mapping that runs only when triggered (API, console, run-once). */
    public static final String NEVER = "never";
    private static final Pattern INTERVAL = Pattern.compile("\\d+[smhd]");
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /**
     * @throws IllegalArgumentException naming the problem and the fix (without the configuration key,
     *         which the caller knows)
     */
    public static Schedule parse(String configured) {
        String s = configured.trim();
        if (s.equals(NEVER)) {
            return new Schedule(s, false);
        }
        if (INTERVAL.matcher(s).matches()) {
            return positiveInterval(s, !s.matches("0+[smhd]"));
        }
        if (s.startsWith("P")) {
            Duration interval;
            try {
                interval = Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + s + "' is not an ISO-8601 duration (e.g. PT30S); write 30s,"
                        + " 5m, 1h or 1d");
            }
            return positiveInterval(s, !interval.isNegative() && !interval.isZero());
        }
        try {
            CRON.parse(s).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is neither an interval (30s, 5m, 1h, 1d) nor a Quartz cron"
                    + " expression (e.g. '0 */5 * * * ?'): " + e.getMessage() + "; or never (only when triggered)",
                    e);
        }
        return new Schedule(s, false);
    }

    /** An interval of zero (or less) would run the job back to back without pause, or not at all. */
    private static Schedule positiveInterval(String interval, boolean positive) {
        if (!positive) {
            throw new IllegalArgumentException("the interval '" + interval + "' must be positive; write e.g. 30s, 5m,"
                    + " 1h or 1d");
        }
        return new Schedule(interval, true);
    }

    /** Whether no job runs it: {@code never}. */
    public boolean manual() {
        return text.equals(NEVER);
    }

    @Override
    public String toString() {
        return text;
    }
}
