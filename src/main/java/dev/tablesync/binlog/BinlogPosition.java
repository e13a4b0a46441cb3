package dev.tablesync.binlog;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a mapping stands in one source server's binary log: the point right after the last source transaction
 * applied. Immutable and validated; stored as JSON in the mapping's checkpoint, in the target transaction that
 * applied the rows.
 *
 * <p>The stream resumes by {@link #gtids} when the server has them (MariaDB always; MySQL with
 * {@code gtid_mode=ON}): they survive a failover to a replica and a purge reports them exactly. The binlog file
 * and offset are kept too, always, for "bytes behind" and for servers without GTIDs. A file's number is compared
 * only with files of the same server: another server's {@code binlog.000042} says nothing about this one's, which
 * is what {@link #server} is for (a replaced server, a {@code RESET MASTER}).
 *
 * @param server  which server wrote the log: {@code mysql:<server_uuid>} or
 *                {@code mariadb:<server_id>:<12 hex digits of a hash of host, port and data directory>}
 * @param gtids   the transactions applied, where the server has GTIDs
 * @param file    binlog file name, e.g. {@code binlog.000003}
 * @param offset  byte offset in {@code file} right after the last applied transaction's commit (at least 4)
 */
public record BinlogPosition(String server, Optional<Gtids> gtids, String file, long offset) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERVER = Pattern.compile(
            "mysql:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mariadb:[0-9]{1,10}:[0-9a-f]{12}");
    /** What MySQL and MariaDB name binlog files: a base name, a dot, a sequence of at least six digits. */
    private static final Pattern FILE = Pattern.compile("([A-Za-z0-9_.+-]{1,200})\\.([0-9]{6,10})");
    /** Every binlog file starts with a 4-byte magic number: no event starts before offset 4. */
    private static final long FIRST_EVENT = 4;

    public BinlogPosition {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(gtids, "gtids");
        Objects.requireNonNull(file, "file");
        if (!SERVER.matcher(server).matches()) {
            throw new IllegalArgumentException("not a binlog server identity: '" + server
                    + "' (expected mysql:<server_uuid> or mariadb:<server_id>:<hash>)");
        }
        if (!FILE.matcher(file).matches()) {
            throw new IllegalArgumentException("not a binlog file name: '" + file + "' (expected e.g. binlog.000003)");
        }
        if (offset < FIRST_EVENT) {
            throw new IllegalArgumentException("binlog offset " + offset + " in " + file + " is before the first event (4)");
        }
        if (gtids.isPresent() && (gtids.get() instanceof MariadbGtids) != server.startsWith("mariadb:")) {
            throw new IllegalArgumentException("GTIDs " + gtids.get().text() + " are not of the server's flavour: " + server);
        }
    }

    public boolean isMariadb() {
        return server.startsWith("mariadb:");
    }

    /** The same point, with {@code gtid} (the transaction just committed) included and the log read up to {@code nextOffset}. */
    public BinlogPosition after(Optional<String> gtid, String nextFile, long nextOffset) {
        return new BinlogPosition(server, gtid.isPresent() ? gtids.map(g -> g.plus(gtid.get())) : gtids, nextFile,
                nextOffset);
    }

    /**
     * Whether everything up to {@code other} is included here. By GTIDs when both have them; else by file and
     * offset, which only the same server's log can answer.
     *
     * @throws IllegalArgumentException naming both positions when they are of different servers without GTIDs
     */
    public boolean includes(BinlogPosition other) {
        if (gtids.isPresent() && other.gtids.isPresent()) {
            return gtids.get().containsAll(other.gtids.get());
        }
        requireSameLog(other);
        int byFile = Long.compare(fileNumber(file), fileNumber(other.file));
        return byFile > 0 || byFile == 0 && offset >= other.offset;
    }

    /** Whether the transaction that ends at {@code end} (with {@code gtid}, if the server has them) is already included. */
    public boolean includesTransaction(Optional<String> gtid, String endFile, long endOffset) {
        if (gtids.isPresent() && gtid.isPresent()) {
            return gtids.get().containsTransaction(gtid.get());
        }
        return includes(new BinlogPosition(server, Optional.empty(), endFile, endOffset));
    }

    /** The position from which a stream serves both: nothing either still needs is skipped. */
    public BinlogPosition oldest(BinlogPosition other) {
        if (gtids.isPresent() && other.gtids.isPresent()) {
            BinlogPosition earlierFile = fileComparable(other) && !includes(withoutGtids(other)) ? this : other;
            return new BinlogPosition(server, Optional.of(gtids.get().intersect(other.gtids.get())), earlierFile.file,
                    earlierFile.offset);
        }
        return includes(other) ? other : this;
    }

    private boolean fileComparable(BinlogPosition other) {
        return server.equals(other.server) && baseName(file).equals(baseName(other.file));
    }

    private static BinlogPosition withoutGtids(BinlogPosition p) {
        return new BinlogPosition(p.server, Optional.empty(), p.file, p.offset);
    }

    private void requireSameLog(BinlogPosition other) {
        if (!fileComparable(other)) {
            throw new IllegalArgumentException("binlog positions " + this + " and " + other
                    + " are of different servers (or logs) without GTIDs and cannot be ordered");
        }
    }

    private static String baseName(String file) {
        return file.substring(0, file.lastIndexOf('.'));
    }

    private static long fileNumber(String file) {
        return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("server", server);
        gtids.ifPresent(g -> node.put("gtids", g.text()));
        node.put("file", file);
        node.put("offset", offset);
        return node.toString();
    }

    /** @throws IllegalArgumentException naming the text and what is wrong with it */
    public static BinlogPosition fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject() || !node.path("server").isTextual() || !node.path("file").isTextual()
                    || !node.path("offset").canConvertToExactIntegral() || node.has("gtids") && !node.get("gtids").isTextual()) {
                throw new IllegalArgumentException("expected {\"server\": text, \"gtids\": text (optional),"
                        + " \"file\": text, \"offset\": integer}");
            }
            String server = node.get("server").asText();
            Optional<Gtids> gtids = node.has("gtids")
                    ? Optional.of(Gtids.parse(server.startsWith("mariadb:"), node.get("gtids").asText()))
                    : Optional.empty();
            return new BinlogPosition(server, gtids, node.get("file").asText(), node.get("offset").longValue());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unreadable binlog position " + json + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return gtids.map(g -> "GTIDs '" + g.text() + "' (").orElse("(") + file + ":" + offset + " on " + server + ")";
    }
}
