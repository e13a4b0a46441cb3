package dev.tablesync.health;

import java.util.regex.Pattern;

/**
 * Error messages shown in health output come from drivers and pools; they name connections and
 * tables, but a driver could quote a JDBC URL (which may carry credentials). Such URLs are cut out,
 * and multi-line driver messages are put on one line.
 */
final class SafeText {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:\\S+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private SafeText() {
    }

    static String of(String message) {
        if (message == null) {
            return "";
        }
        String oneLine = WHITESPACE.matcher(message).replaceAll(" ").trim();
        return JDBC_URL.matcher(oneLine).replaceAll("<JDBC URL hidden>");
    }
}
