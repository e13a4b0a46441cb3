package dev.tablesync.binlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set: per source UUID (and, from 8.3, tag) the ranges of transaction numbers.
 *
 * @param ranges key {@code uuid} or {@code uuid:tag} in lower case; value sorted, disjoint, non-adjacent
 *               {@code [first, last]} pairs
 */
record MysqlGtids(Map<String, List<long[]>> ranges) implements Gtids {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern TAG = Pattern.compile("[a-z_][a-z0-9_]{0,31}");
    private static final Pattern RANGE = Pattern.compile("[1-9][0-9]{0,18}(-[1-9][0-9]{0,18})?");

    MysqlGtids {
        TreeMap<String, List<long[]>> copy = new TreeMap<>();
        ranges.forEach((k, v) -> {
            List<long[]> merged = merge(v);
            if (!merged.isEmpty()) {
                copy.put(k, merged);
            }
        });
        ranges = java.util.Collections.unmodifiableMap(copy);
    }

    static MysqlGtids parse(String text) {
        String t = text.replaceAll("\\s", "").toLowerCase(java.util.Locale.ROOT);
        Map<String, List<long[]>> ranges = new TreeMap<>();
        if (t.isEmpty()) {
            return new MysqlGtids(ranges);
        }
        for (String part : t.split(",", -1)) {
            String[] fields = part.split(":", -1);
            if (fields.length < 2 || !UUID.matcher(fields[0]).matches()) {
                throw new IllegalArgumentException("not a MySQL GTID set: '" + text + "' (expected uuid:1-5,…)");
            }
            String key = fields[0];
            for (int i = 1; i < fields.length; i++) {
                if (TAG.matcher(fields[i]).matches()) {
                    key = fields[0] + ":" + fields[i];
                    continue;
                }
                ranges.computeIfAbsent(key, k -> new ArrayList<>()).add(range(text, fields[i]));
            }
        }
        return new MysqlGtids(ranges);
    }

    private static long[] range(String text, String field) {
        if (!RANGE.matcher(field).matches()) {
            throw new IllegalArgumentException("not a MySQL GTID set: '" + text + "' (bad interval '" + field + "')");
        }
        String[] ends = field.split("-");
        long first = Long.parseLong(ends[0]);
        long last = ends.length == 2 ? Long.parseLong(ends[1]) : first;
        if (last < first) {
            throw new IllegalArgumentException("not a MySQL GTID set: '" + text + "' (interval " + field + " ends before it starts)");
        }
        return new long[] {first, last};
    }

    private static List<long[]> merge(List<long[]> in) {
        List<long[]> sorted = new ArrayList<>(in.stream().map(long[]::clone).toList());
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(r);
            }
        }
        return java.util.Collections.unmodifiableList(out);
    }

    @Override
    public boolean containsAll(Gtids other) {
        for (Map.Entry<String, List<long[]>> e : mysql(other).ranges.entrySet()) {
            for (long[] r : e.getValue()) {
                if (!covers(ranges.get(e.getKey()), r[0], r[1])) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public boolean containsTransaction(String gtid) {
        int colon = gtid.lastIndexOf(':');
        long n = Long.parseLong(gtid.substring(colon + 1));
        return covers(ranges.get(gtid.substring(0, colon).toLowerCase(java.util.Locale.ROOT)), n, n);
    }

    private static boolean covers(List<long[]> list, long first, long last) {
        return list != null && list.stream().anyMatch(r -> r[0] <= first && last <= r[1]);
    }

    @Override
    public Gtids plus(String gtid) {
        MysqlGtids one = parse(gtid);
        Map<String, List<long[]>> sum = new TreeMap<>(ranges);
        one.ranges.forEach((k, v) -> {
            List<long[]> list = new ArrayList<>(sum.getOrDefault(k, List.of()));
            list.addAll(v);
            sum.put(k, list);
        });
        return new MysqlGtids(sum);
    }

    @Override
    public Gtids intersect(Gtids other) {
        Map<String, List<long[]>> common = new TreeMap<>();
        mysql(other).ranges.forEach((k, theirs) -> {
            List<long[]> mine = ranges.getOrDefault(k, List.of());
            List<long[]> both = new ArrayList<>();
            for (long[] a : mine) {
                for (long[] b : theirs) {
                    long first = Math.max(a[0], b[0]);
                    long last = Math.min(a[1], b[1]);
                    if (first <= last) {
                        both.add(new long[] {first, last});
                    }
                }
            }
            common.put(k, both);
        });
        return new MysqlGtids(common);
    }

    private static MysqlGtids mysql(Gtids other) {
        if (other instanceof MysqlGtids m) {
            return m;
        }
        throw new IllegalArgumentException("a MySQL GTID set cannot be compared with MariaDB GTIDs " + other.text());
    }

    @Override
    public String text() {
        List<String> parts = new ArrayList<>();
        ranges.forEach((k, list) -> {
            StringBuilder b = new StringBuilder(k);
            list.forEach(r -> b.append(':').append(r[0]).append(r[0] == r[1] ? "" : "-" + r[1]));
            parts.add(b.toString());
        });
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MysqlGtids m && m.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
