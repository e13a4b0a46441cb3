package dev.tablesync.sql;

import java.util.Collections;

/**
 * SQL for conflict policy {@code park}, in the state schema of the target: the digest of the row
 * image the sync last wrote per key ({@value #DIGEST_TABLE}), the rows parked for a person to
 * resolve ({@value #PARKED_TABLE}) and the resolutions ({@value #HISTORY_TABLE}). Keys are told
 * apart by a 16-byte digest of their cells, so one index serves every key shape.
 */
public final class ConflictSql {

    public static final String DIGEST_TABLE = "row_digest";
    public static final String PARKED_TABLE = "parked";
    public static final String HISTORY_TABLE = "conflict_history";
    private static final String PARKED_COLUMNS = "`id`, `key_image`, `source_image`, `target_image`, `parked_at`,"
            + " `checkpoint`";

    private final Dialect dialect;
    private final String digests;
    private final String parked;
    private final String history;

    public ConflictSql(Dialect dialect, String stateSchema) {
        this.dialect = dialect;
        String schema = Dialect.quote(stateSchema) + ".";
        this.digests = schema + Dialect.quote(DIGEST_TABLE);
        this.parked = schema + Dialect.quote(PARKED_TABLE);
        this.history = schema + Dialect.quote(HISTORY_TABLE);
    }

    public String createDigestTable() {
        return "CREATE TABLE IF NOT EXISTS " + digests + " (`mapping_id` VARCHAR(190) NOT NULL,"
                + " `key_digest` BINARY(16) NOT NULL, `row_digest` BINARY(20) NOT NULL,"
                + " PRIMARY KEY (`mapping_id`, `key_digest`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    public String createParkedTable() {
        return "CREATE TABLE IF NOT EXISTS " + parked + " (`id` BIGINT NOT NULL AUTO_INCREMENT,"
                + " `mapping_id` VARCHAR(190) NOT NULL, `key_digest` BINARY(16) NOT NULL, `key_image` BLOB NOT NULL,"
                + " `source_image` LONGBLOB NOT NULL, `target_image` LONGBLOB NULL, `parked_at` DATETIME(6) NOT NULL,"
                + " `updated_at` DATETIME(6) NOT NULL, `checkpoint` MEDIUMTEXT NULL, PRIMARY KEY (`id`),"
                + " UNIQUE KEY `mapping_key` (`mapping_id`, `key_digest`))"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    public String createHistoryTable() {
        return "CREATE TABLE IF NOT EXISTS " + history + " (`id` BIGINT NOT NULL AUTO_INCREMENT,"
                + " `mapping_id` VARCHAR(190) NOT NULL, `conflict_id` BIGINT NOT NULL, `key_image` BLOB NOT NULL,"
                + " `action` VARCHAR(16) NOT NULL, `resolved_by` VARCHAR(190) NOT NULL,"
                + " `resolved_at` DATETIME(6) NOT NULL, PRIMARY KEY (`id`), KEY `mapping_resolved` (`mapping_id`, `id`))"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    /** The digests of some keys of a mapping, locked until the batch commits. Bound: mapping, then each key digest. */
    public String selectDigests(int keys) {
        return "SELECT `key_digest`, `row_digest` FROM " + digests + " WHERE `mapping_id` = ? AND `key_digest` IN ("
                + placeholders(keys) + ") FOR UPDATE";
    }

    /** Records what the sync wrote: {@code rows} triples (mapping, key digest, row digest). */
    public String saveDigests(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(digests)
                .append(" (`mapping_id`, `key_digest`, `row_digest`) VALUES ")
                .append(String.join(", ", Collections.nCopies(rows, "(?, ?, ?)")));
        if (dialect.usesRowAlias()) {
            sql.append(" AS ").append(Dialect.NEW_ROW_ALIAS);
        }
        return sql.append(" ON DUPLICATE KEY UPDATE `row_digest` = ").append(dialect.inserted("row_digest"))
                .toString();
    }

    /** The parked keys among some keys of a mapping, locked. Bound: mapping, then each key digest. */
    public String selectParkedKeys(int keys) {
        return "SELECT `key_digest` FROM " + parked + " WHERE `mapping_id` = ? AND `key_digest` IN ("
                + placeholders(keys) + ") FOR UPDATE";
    }

    /**
     * Parks a row, or replaces the parked source image of its key (the newest source change wins;
     * the target image, the time and the checkpoint that first met it stay).
     */
    public String park() {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(parked)
                .append(" (`mapping_id`, `key_digest`, `key_image`, `source_image`, `target_image`, `parked_at`,"
                        + " `updated_at`, `checkpoint`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (dialect.usesRowAlias()) {
            sql.append(" AS ").append(Dialect.NEW_ROW_ALIAS);
        }
        return sql.append(" ON DUPLICATE KEY UPDATE `source_image` = ").append(dialect.inserted("source_image"))
                .append(", `updated_at` = ").append(dialect.inserted("updated_at")).toString();
    }

    public String countParked() {
        return "SELECT COUNT(*) FROM " + parked + " WHERE `mapping_id` = ?";
    }

    /** Oldest first. Bound: mapping, limit. */
    public String selectParked() {
        return "SELECT " + PARKED_COLUMNS + " FROM " + parked + " WHERE `mapping_id` = ? ORDER BY `id` LIMIT ?";
    }

    /** One parked row, locked. Bound: mapping, id. */
    public String selectParkedRow(boolean lock) {
        return "SELECT " + PARKED_COLUMNS + " FROM " + parked + " WHERE `mapping_id` = ? AND `id` = ?"
                + (lock ? " FOR UPDATE" : "");
    }

    public String deleteParked() {
        return "DELETE FROM " + parked + " WHERE `mapping_id` = ? AND `id` = ?";
    }

    /** Bound: mapping, conflict id, key image, action, user, time. */
    public String insertHistory() {
        return "INSERT INTO " + history + " (`mapping_id`, `conflict_id`, `key_image`, `action`, `resolved_by`,"
                + " `resolved_at`) VALUES (?, ?, ?, ?, ?, ?)";
    }

    /** Newest first. Bound: mapping, limit. */
    public String selectHistory() {
        return "SELECT `id`, `conflict_id`, `key_image`, `action`, `resolved_by`, `resolved_at` FROM " + history
                + " WHERE `mapping_id` = ? ORDER BY `id` DESC LIMIT ?";
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
