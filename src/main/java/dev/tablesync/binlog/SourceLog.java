package dev.tablesync.binlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tablesync.sql.BinlogDialect;

/**
 * What one source server's binary log holds right now, read over a plain connection before the stream connects
 * and once a second while it runs: which server it is, the files it still has, where the log ends, which
 * transactions it has written and which it has purged, and its clock. It answers whether a saved position is still
 * on the server ({@link #gapOf}) without asking the replication protocol, which only says "error 1236".
 *
 * <p>File names are compared only within this one server's list: a position of another server (another
 * {@code server_uuid}, or MariaDB's id-and-host hash) is found here by its GTIDs or not at all.
 *
 * @param serverTime when the server was asked, by its own clock; read before the end, so every transaction that
 *                   committed before it lies before {@code endFile:endOffset}
 */
record SourceLog(String server, boolean mariadb, Optional<Gtids> written, Optional<Gtids> purged,
        List<LogFile> files, String endFile, long endOffset, Instant serverTime) {

    /** One file of {@code SHOW BINARY LOGS}. */
    record LogFile(String name, long size) {
    }

    static SourceLog read(Connection c, BinlogDialect dialect) throws SQLException {
        try (Statement s = c.createStatement()) {
            Instant time = Instant.EPOCH.plus(Long.parseLong(one(s, BinlogDialect.SERVER_TIME_MICROS)),
                    ChronoUnit.MICROS);
            String endFile;
            long endOffset;
            try (ResultSet rs = s.executeQuery(dialect.logStatus())) {
                if (!rs.next()) {
                    throw new SQLException("the source writes no binary log (" + dialect.logStatus() + " is empty)");
                }
                endFile = rs.getString(1);
                endOffset = rs.getLong(2);
            }
            String server = one(s, dialect.serverIdentity());
            List<LogFile> files = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(BinlogDialect.BINARY_LOGS)) {
                while (rs.next()) {
                    files.add(new LogFile(rs.getString(1), rs.getLong(2)));
                }
            }
            boolean mariadb = dialect.isMariaDb();
            String writtenText = one(s, dialect.currentGtids());
            Optional<Gtids> written = Optional.empty();
            Optional<Gtids> purged = Optional.empty();
            if (mariadb || writtenText != null && !writtenText.isBlank() || gtidModeOn(s, dialect)) {
                written = Optional.of(Gtids.parse(mariadb, writtenText == null ? "" : writtenText));
                purged = Optional.of(Gtids.parse(mariadb, purgedText(c, s, mariadb, files)));
            }
            return new SourceLog(server, mariadb, written, purged, List.copyOf(files), endFile, endOffset, time);
        }
    }

    private static boolean gtidModeOn(Statement s, BinlogDialect dialect) throws SQLException {
        try (ResultSet rs = s.executeQuery(dialect.settings())) {
            return rs.next() && "ON".equalsIgnoreCase(rs.getString(6));
        }
    }

    private static String purgedText(Connection c, Statement s, boolean mariadb, List<LogFile> files)
            throws SQLException {
        if (!mariadb) {
            return nonNull(one(s, BinlogDialect.MYSQL_PURGED_GTIDS));
        }
        if (files.isEmpty()) {
            return "";
        }
        try (PreparedStatement ps = c.prepareStatement(BinlogDialect.MARIADB_GTIDS_AT_FILE_START)) {
            ps.setString(1, files.get(0).name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? nonNull(rs.getString(1)) : "";
            }
        }
    }

    private static String nonNull(String text) {
        return text == null ? "" : text.replaceAll("\\s", "");
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * Why {@code p} is no longer on this server, or empty when a stream can start there. By GTIDs when both have
     * them: the server must have written every transaction {@code p} includes (else it is another server's log, or
     * it was reset) and {@code p} must include every transaction the server purged. Without GTIDs only the same
     * server's files can tell: the file must still be listed, and the offset within it.
     */
    Optional<String> gapOf(BinlogPosition p) {
        if (p.isMariadb() != mariadb) {
            return Optional.of("the position is of a " + (p.isMariadb() ? "MariaDB" : "MySQL")
                    + " server and this source is not");
        }
        if (p.gtids().isPresent() && written.isPresent()) {
            Gtids mine = p.gtids().get();
            if (!written.get().containsAll(mine)) {
                return Optional.of("the server has not written transactions the mapping applied (it has GTIDs '"
                        + written.get().text() + "'): another server's log, or it was reset (RESET MASTER)");
            }
            if (!mine.containsAll(purged.get())) {
                return Optional.of("the server purged transactions the mapping has not applied yet");
            }
            return Optional.empty();
        }
        if (!p.server().equals(server)) {
            return Optional.of("the position is of another server (" + p.server() + ", this is " + server
                    + "), and without GTIDs a position cannot be found in another server's log");
        }
        Optional<LogFile> file = files.stream().filter(f -> f.name().equals(p.file())).findFirst();
        if (file.isEmpty()) {
            return Optional.of("the file " + p.file() + " is no longer listed by SHOW BINARY LOGS (purged, or the"
                    + " log was reset)");
        }
        if (p.offset() > file.get().size()) {
            return Optional.of("the file " + p.file() + " is shorter than the position (" + file.get().size()
                    + " bytes): the log was reset (RESET MASTER)");
        }
        return Optional.empty();
    }

    /** The oldest point the server can still stream from, for messages. */
    String oldest() {
        String first = files.isEmpty() ? endFile + ":4" : files.get(0).name() + ":4";
        if (purged.isPresent()) {
            String text = purged.get().text();
            return (mariadb ? "GTID position '" + text + "' at " : "after purged GTIDs '" + text + "', ") + first
                    + " on " + server;
        }
        return first + " on " + server;
    }

    /**
     * Bytes between {@code file:offset} of this server's log and its end, counting the whole of every file in
     * between; -1 when the file is not one of this server's listed files.
     */
    long bytesBehind(String file, long offset) {
        long behind = 0;
        boolean counting = false;
        for (LogFile f : files) {
            if (f.name().equals(file)) {
                counting = true;
                behind -= offset;
            }
            if (f.name().equals(endFile)) {
                return counting ? Math.max(0, behind + endOffset) : -1;
            }
            if (counting) {
                behind += f.size();
            }
        }
        return -1;
    }

    /** Whether the log has been read up to this log's end: {@code file:offset} is at or after it. */
    boolean endReachedAt(String file, long offset) {
        if (file.equals(endFile)) {
            return offset >= endOffset;
        }
        int read = indexOf(file);
        int end = indexOf(endFile);
        return read >= 0 && end >= 0 && read > end;
    }

    private int indexOf(String name) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
