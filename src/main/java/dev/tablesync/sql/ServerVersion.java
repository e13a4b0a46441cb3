package dev.tablesync.sql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which server a connection talks to, from {@code SELECT VERSION()}. MariaDB presents itself to
 * old clients as {@code 5.5.5-10.11.19-MariaDB}; the prefix is dropped.
 */
public record ServerVersion(Flavor flavor, int major, int minor, int patch) {

    public enum Flavor { MYSQL, MARIADB }

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    public static ServerVersion parse(String version) {
        Flavor flavor = version.contains("MariaDB") ? Flavor.MARIADB : Flavor.MYSQL;
        String v = version.startsWith("5.5.5-") && flavor == Flavor.MARIADB ? version.substring(6) : version;
        Matcher m = NUMBERS.matcher(v);
        if (!m.find()) {
            throw new IllegalArgumentException("cannot read a server version from '" + version + "'");
        }
        return new ServerVersion(flavor, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    public static ServerVersion mysql(int major, int minor, int patch) {
        return new ServerVersion(Flavor.MYSQL, major, minor, patch);
    }

    public static ServerVersion mariadb(int major, int minor, int patch) {
        return new ServerVersion(Flavor.MARIADB, major, minor, patch);
    }

    public boolean isMariaDb() {
        return flavor == Flavor.MARIADB;
    }

    public boolean atLeast(int maj, int min, int pat) {
        if (major != maj) {
            return major > maj;
        }
        if (minor != min) {
            return minor > min;
        }
        return patch >= pat;
    }

    @Override
    public String toString() {
        return (isMariaDb() ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
    }
}
