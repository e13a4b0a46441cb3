package dev.tablesync.binlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MariaDB GTID position: per replication domain, the last transaction included
 * ({@code domain-server-sequence}). Sequence numbers grow within a domain whichever server wrote them, so
 * "included" compares sequences of one domain; server ids only name the writer.
 *
 * @param last per domain id, {@code {serverId, sequence}}
 */
record MariadbGtids(Map<Long, long[]> last) implements Gtids {

    private static final Pattern GTID = Pattern.compile("([0-9]{1,10})-([0-9]{1,10})-([0-9]{1,20})");
    private static final long MAX_U32 = 0xFFFF_FFFFL;

    MariadbGtids {
        TreeMap<Long, long[]> copy = new TreeMap<>();
        last.forEach((d, v) -> copy.put(d, v.clone()));
        last = Collections.unmodifiableMap(copy);
    }

    static MariadbGtids parse(String text) {
        String t = text.replaceAll("\\s", "");
        Map<Long, long[]> last = new TreeMap<>();
        if (t.isEmpty()) {
            return new MariadbGtids(last);
        }
        for (String part : t.split(",", -1)) {
            long[] gtid = one(text, part);
            if (last.put(gtid[0], new long[] {gtid[1], gtid[2]}) != null) {
                throw new IllegalArgumentException("not a MariaDB GTID position: '" + text + "' (domain " + gtid[0]
                        + " appears twice)");
            }
        }
        return new MariadbGtids(last);
    }

    /** {@code {domain, server, sequence}} of one {@code domain-server-sequence}. */
    private static long[] one(String text, String gtid) {
        Matcher m = GTID.matcher(gtid);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a MariaDB GTID position: '" + text
                    + "' (expected domain-server-sequence,…, e.g. 0-1-42)");
        }
        long domain = Long.parseLong(m.group(1));
        long server = Long.parseLong(m.group(2));
        java.math.BigInteger seq = new java.math.BigInteger(m.group(3));
        if (domain > MAX_U32 || server > MAX_U32 || seq.bitLength() > 63) {
            throw new IllegalArgumentException("not a MariaDB GTID position: '" + text + "' (" + gtid + " out of range)");
        }
        return new long[] {domain, server, seq.longValue()};
    }

    @Override
    public boolean containsAll(Gtids other) {
        return mariadb(other).last.entrySet().stream().allMatch(e -> includes(e.getKey(), e.getValue()[1]));
    }

    @Override
    public boolean containsTransaction(String gtid) {
        long[] g = one(gtid, gtid);
        return includes(g[0], g[2]);
    }

    private boolean includes(long domain, long sequence) {
        long[] mine = last.get(domain);
        return mine != null && mine[1] >= sequence;
    }

    @Override
    public Gtids plus(String gtid) {
        long[] g = one(gtid, gtid);
        Map<Long, long[]> next = new TreeMap<>(last);
        if (!includes(g[0], g[2])) {
            next.put(g[0], new long[] {g[1], g[2]});
        }
        return new MariadbGtids(next);
    }

    /** Per domain both know, the earlier of the two; a domain only one knows is not included in both. */
    @Override
    public Gtids intersect(Gtids other) {
        Map<Long, long[]> common = new TreeMap<>();
        mariadb(other).last.forEach((domain, theirs) -> {
            long[] mine = last.get(domain);
            if (mine != null) {
                common.put(domain, mine[1] <= theirs[1] ? mine : theirs);
            }
        });
        return new MariadbGtids(common);
    }

    private static MariadbGtids mariadb(Gtids other) {
        if (other instanceof MariadbGtids m) {
            return m;
        }
        throw new IllegalArgumentException("MariaDB GTIDs cannot be compared with the MySQL GTID set " + other.text());
    }

    @Override
    public String text() {
        List<String> parts = new ArrayList<>();
        last.forEach((d, v) -> parts.add(d + "-" + v[0] + "-" + v[1]));
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariadbGtids m && m.text().equals(text());
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
