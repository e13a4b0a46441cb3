package dev.tablesync.binlog;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The {@code server_id} a binlog client presents to a source. A source keeps one dump thread per id: a second
 * client with the same id silently ends the first one's stream, which reconnects and ends the second's, and so on.
 * So every process (every pod) needs its own id, distinct from every real replica's.
 *
 * <p>Unless configured, the id is derived from the host name (a pod's name in Kubernetes), in
 * [{@value #DERIVED_MIN}, {@value #DERIVED_MIN} + {@value #DERIVED_SPAN}); real replicas are conventionally
 * numbered far below that. Two host names share an id with a probability of one in a billion per pair; a
 * collision that happens anyway is detected by {@link ServerIdClaim}.
 *
 * @param value 1 to 4294967295, the range both servers accept
 */
public record ClientServerId(long value) {

    public static final long DERIVED_MIN = 3_000_000_000L;
    public static final long DERIVED_SPAN = 1_000_000_000L;
    private static final long MAX = 0xFFFF_FFFFL;

    public ClientServerId {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException("a binlog client's server_id must be 1 to 4294967295, got " + value);
        }
    }

    /** The id of this host name: the same on every restart of one pod, different between pods. */
    public static ClientServerId derivedFrom(String hostName) {
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("no host name to derive a binlog server_id from: configure one");
        }
        CRC32C crc = new CRC32C();
        crc.update(hostName.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return new ClientServerId(DERIVED_MIN + crc.getValue() % DERIVED_SPAN);
    }

    /** The id derived from this host's name: {@code HOSTNAME} (a pod's name), else what the system resolves. */
    public static ClientServerId ofThisHost() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                name = "localhost";
            }
        }
        return derivedFrom(name);
    }

    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
