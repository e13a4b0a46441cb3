package dev.tablesync.health;

import java.util.regex.Pattern;

/**
 * Error messages shown in health output come from drivers and pools; they name connections and
 * tables, but a driver could quote a JDBC URL (which may carry credentials). Such URLs are cut out.
 */
final class SafeText {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:\\S+");

    private SafeText() {
    }

    static String of(String message) {
        return message == null ? "" : JDBC_URL.matcher(message).replaceAll("<JDBC URL hidden>");
    }
}
