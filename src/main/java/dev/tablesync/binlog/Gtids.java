package dev.tablesync.binlog;

/**
 * The transactions a position includes, in the form the source's flavour writes them: MySQL's GTID set
 * ({@code uuid:1-5:7,uuid2:1-3}) or MariaDB's per-domain position ({@code 0-1-42,1-2-7}). Immutable.
 */
public sealed interface Gtids permits MysqlGtids, MariadbGtids {

    /** Parses the text the server prints ({@code @@gtid_executed}, {@code @@gtid_binlog_pos}); empty is allowed. */
    static Gtids parse(boolean mariadb, String text) {
        return mariadb ? MariadbGtids.parse(text) : MysqlGtids.parse(text);
    }

    /** Whether every transaction of {@code other} is included here; {@code other} must be of the same flavour. */
    boolean containsAll(Gtids other);

    /** Whether the one transaction {@code gtid} ({@code uuid:n} or {@code domain-server-seq}) is included. */
    boolean containsTransaction(String gtid);

    /** This set with the transaction {@code gtid} added (on MariaDB: its domain moved to it). */
    Gtids plus(String gtid);

    /** What both include: where a stream serving both must start. */
    Gtids intersect(Gtids other);

    /** The server's own notation, canonical (sorted, merged), so that equal sets have equal text. */
    String text();
}
