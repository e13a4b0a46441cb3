package dev.tablesync.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a target column can hold every value of a source column unchanged. Strict mode refuses
 * some narrowed values only when a row brings one (VARCHAR too long), and quietly rounds or cuts
 * others (DATETIME into DATE, fractional seconds); so a target column narrowed by hand is refused
 * before any row moves. Spellings that differ between MySQL and MariaDB for the same type
 * ({@code int(11)} vs {@code int}, JSON vs LONGTEXT, {@code utf8} vs {@code utf8mb3}) fit;
 * collations are not compared. Types this class does not know, and character columns mapped to
 * binary ones or back (a deliberate conversion), are left to the write.
 */
public final class ColumnFit {

    private static final List<String> INTEGERS = List.of("tinyint", "smallint", "mediumint", "int", "bigint");
    private static final List<String> TEXTS = List.of("tinytext", "text", "mediumtext", "longtext");
    private static final List<String> BLOBS = List.of("tinyblob", "blob", "mediumblob", "longblob");
    private static final long[] LOB_BYTES = {255, 65_535, 16_777_215, 4_294_967_295L};
    private static final Set<String> SPATIAL = Set.of("geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection", "geomcollection");
    private static final Map<String, Integer> MAX_BYTES = Map.of("latin1", 1, "ascii", 1, "binary", 1, "utf8mb3", 3,
            "ucs2", 2, "gbk", 2, "big5", 2, "sjis", 2, "euckr", 2, "cp932", 2);
    private static final Pattern ARGS = Pattern.compile("^[a-z]+\\s*(?:\\((.*)\\))?");
    private static final Pattern MEMBER = Pattern.compile("'((?:[^']|'')*)'");

    private ColumnFit() {
    }

    /** Why {@code target} cannot hold every value of {@code source}; empty when it can (or cannot tell). */
    public static Optional<String> refusal(Column source, Column target) {
        if (target.isGenerated()) {
            return Optional.empty();
        }
        if (source.nullable() && !target.nullable()) {
            return Optional.of("it is NOT NULL but the source's may hold NULL");
        }
        String s = type(source);
        String t = type(target);
        if (normalized(source).equals(normalized(target))) {
            return charset(source, target);
        }
        Optional<String> typed = INTEGERS.contains(s) ? integer(source, s, target, t)
                : s.equals("decimal") ? decimal(source, target, t)
                : s.equals("float") || s.equals("double") ? floating(source, s, target, t)
                : source.isTemporal() || s.equals("year") ? temporal(source, s, target, t)
                : s.equals("enum") || s.equals("set") ? members(source, s, target, t)
                : isText(s) ? Optional.ofNullable(text(source, s, target, t))
                : isBinary(s) ? Optional.ofNullable(binary(source, s, target, t))
                : s.equals("bit") ? (t.equals("bit") && length(target) >= length(source) ? Optional.empty()
                        : Optional.of("it has fewer bits"))
                : SPATIAL.contains(s) ? (t.equals("geometry") ? Optional.empty()
                        : Optional.of("it is another spatial type"))
                : Optional.empty();
        return typed.isPresent() ? typed : charset(source, target);
    }

    private static Optional<String> integer(Column source, String s, Column target, String t) {
        if (!INTEGERS.contains(t)) {
            return t.equals("decimal") && digits(target)[0] - digits(target)[1] >= 20 ? Optional.empty()
                    : Optional.of("it is not an integer type of at least the source's range");
        }
        int rs = INTEGERS.indexOf(s);
        int rt = INTEGERS.indexOf(t);
        boolean sUnsigned = unsigned(source);
        boolean tUnsigned = unsigned(target);
        boolean fits = sUnsigned ? tUnsigned && rt >= rs || !tUnsigned && rt > rs : !tUnsigned && rt >= rs;
        return fits ? Optional.empty() : Optional.of("its integer range is smaller"
                + (sUnsigned != tUnsigned ? " (signed vs unsigned)" : ""));
    }

    private static Optional<String> decimal(Column source, Column target, String t) {
        if (!t.equals("decimal")) {
            return Optional.of("it is not a DECIMAL");
        }
        int[] s = digits(source);
        int[] d = digits(target);
        if (d[1] < s[1] || d[0] - d[1] < s[0] - s[1]) {
            return Optional.of("it has fewer digits before or after the decimal point");
        }
        return unsigned(target) && !unsigned(source) ? Optional.of("it is unsigned") : Optional.empty();
    }

    private static Optional<String> floating(Column source, String s, Column target, String t) {
        boolean wider = t.equals("double") || t.equals(s);
        boolean sameArgs = args(target).equals(args(source)) || args(target).isEmpty();
        return wider && sameArgs && (!unsigned(target) || unsigned(source)) ? Optional.empty()
                : Optional.of("it is a narrower floating-point type");
    }

    private static Optional<String> temporal(Column source, String s, Column target, String t) {
        boolean sameKind = s.equals(t) || s.equals("timestamp") && t.equals("datetime");
        if (!sameKind) {
            return Optional.of("it is " + t.toUpperCase(Locale.ROOT) + ", which cannot hold every "
                    + s.toUpperCase(Locale.ROOT) + " value unchanged");
        }
        return target.precision() < source.precision()
                ? Optional.of("it has fewer fractional-second digits (" + target.precision() + " < "
                        + source.precision() + "), so values would be rounded or cut")
                : Optional.empty();
    }

    private static Optional<String> members(Column source, String s, Column target, String t) {
        List<String> have = memberList(source);
        if (t.equals(s)) {
            List<String> missing = new ArrayList<>(have);
            missing.removeAll(memberList(target));
            return missing.isEmpty() ? Optional.empty() : Optional.of("it lacks the members " + missing);
        }
        long longest = s.equals("set") ? String.join(",", have).length()
                : have.stream().mapToLong(String::length).max().orElse(0);
        return t.equals("varchar") && length(target) >= longest || TEXTS.contains(t) ? Optional.empty()
                : Optional.of("it is not an " + s.toUpperCase(Locale.ROOT) + " with the same members");
    }

    /** @return why not, or null */
    private static String text(Column source, String s, Column target, String t) {
        if (isBinary(t)) {
            return null; // bytes of text, deliberately: left to the write, which refuses a value too long
        }
        if (!isText(t)) {
            return "it is not a character type";
        }
        if (s.equals("varchar") && t.equals("char")) {
            return "CHAR drops the trailing spaces a VARCHAR keeps";
        }
        long chars = lob(TEXTS, s) >= 0 ? LOB_BYTES[lob(TEXTS, s)] : length(source);
        if (t.equals("char") || t.equals("varchar")) {
            return length(target) >= chars ? null
                    : "it holds fewer characters (" + length(target) + " < " + chars + ")";
        }
        long bytes = lob(TEXTS, s) >= 0 ? chars : chars * maxBytes(target);
        return LOB_BYTES[lob(TEXTS, t)] >= bytes ? null : "it holds fewer bytes than the source's values can take";
    }

    /** @return why not, or null */
    private static String binary(Column source, String s, Column target, String t) {
        if (isText(t)) {
            return null; // text of bytes, deliberately: left to the write, which refuses a value too long
        }
        if (!isBinary(t)) {
            return "it is not a binary type";
        }
        if (t.equals("binary")) {
            return s.equals("binary") && length(target) == length(source) ? null
                    : "BINARY pads values to its length, which changes them";
        }
        long bytes = lob(BLOBS, s) >= 0 ? LOB_BYTES[lob(BLOBS, s)] : length(source);
        long room = lob(BLOBS, t) >= 0 ? LOB_BYTES[lob(BLOBS, t)] : length(target);
        return room >= bytes ? null : "it holds fewer bytes (" + room + " < " + bytes + ")";
    }

    private static Optional<String> charset(Column source, Column target) {
        if (source.charset().isEmpty() || target.charset().isEmpty()) {
            return Optional.empty();
        }
        String s = charsetName(source.charset().get());
        String t = charsetName(target.charset().get());
        boolean fits = s.equals(t) || t.equals("utf8mb4") || s.equals("ascii")
                || t.equals("utf8mb3") && !s.equals("utf8mb4") && !s.startsWith("utf16") && !s.startsWith("utf32");
        return fits ? Optional.empty() : Optional.of("its character set " + t + " cannot hold every character of "
                + s);
    }

    private static String charsetName(String charset) {
        String c = charset.toLowerCase(Locale.ROOT);
        return c.equals("utf8") ? "utf8mb3" : c;
    }

    private static int maxBytes(Column c) {
        return c.charset().map(ColumnFit::charsetName).map(cs -> MAX_BYTES.getOrDefault(cs, 4)).orElse(1);
    }

    /** DATA_TYPE with synonyms folded; MySQL's JSON is MariaDB's LONGTEXT. */
    private static String type(Column c) {
        return switch (c.dataType()) {
            case "integer" -> "int";
            case "numeric" -> "decimal";
            case "real" -> "double";
            case "json" -> "longtext";
            default -> c.dataType();
        };
    }

    /** COLUMN_TYPE without integer display widths and ZEROFILL, which change no value. */
    private static String normalized(Column c) {
        String t = c.columnType().toLowerCase(Locale.ROOT).replace(" zerofill", "").trim();
        if (INTEGERS.contains(type(c))) {
            t = t.replaceFirst("^integer", "int").replaceFirst("^([a-z]+)\\(\\d+\\)", "$1");
        }
        return c.dataType().equals("json") ? "longtext" : t;
    }

    private static boolean isText(String t) {
        return t.equals("char") || t.equals("varchar") || TEXTS.contains(t);
    }

    private static boolean isBinary(String t) {
        return t.equals("binary") || t.equals("varbinary") || BLOBS.contains(t);
    }

    private static int lob(List<String> family, String t) {
        return family.indexOf(t);
    }

    private static boolean unsigned(Column c) {
        return c.columnType().toLowerCase(Locale.ROOT).contains("unsigned");
    }

    private static String args(Column c) {
        Matcher m = ARGS.matcher(c.columnType().toLowerCase(Locale.ROOT));
        return m.find() && m.group(1) != null ? m.group(1) : "";
    }

    private static long length(Column c) {
        String a = args(c);
        return a.isEmpty() ? 1 : Long.parseLong(a.split(",")[0].trim());
    }

    /** {precision, scale} of a DECIMAL. */
    private static int[] digits(Column c) {
        String[] a = args(c).isEmpty() ? new String[] {"10", "0"} : args(c).split(",");
        return new int[] {Integer.parseInt(a[0].trim()), a.length > 1 ? Integer.parseInt(a[1].trim()) : 0};
    }

    private static List<String> memberList(Column c) {
        List<String> members = new ArrayList<>();
        Matcher m = MEMBER.matcher(args(c));
        while (m.find()) {
            members.add(m.group(1).replace("''", "'"));
        }
        return members;
    }
}
