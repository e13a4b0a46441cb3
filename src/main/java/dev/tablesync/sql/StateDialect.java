package dev.tablesync.sql;

/**
 * SQL for tablesync's own tables on a target server: one checkpoint row per mapping and the run
 * history. Kept beside {@link Dialect}, which it shares quoting and upsert syntax with.
 */
public final class StateDialect {

    public static final String CHECKPOINT_TABLE = "checkpoint";
    public static final String RUN_TABLE = "run";
    public static final String CONTROL_TABLE = "mapping_control";
    /** One row per verify run, keyed by the run's key in the run history: a table of its own, so older installations need no migration. */
    public static final String VERIFY_TABLE = "verify_report";
    private static final String VERIFY_COLUMNS = "`run_key`, `mapping_id`, `started_at`, `finished_at`, `repair`,"
            + " `status`, `method`, `chunks`, `differing_chunks`, `missing`, `extra`, `different`, `upserted`,"
            + " `deleted`, `unrepaired`, `not_compared`, `sample`, `error`";
    private static final String COLUMNS = "`mapping_id`, `phase`, `mode`, `fingerprint`, `cursor_values`,"
            + " `incremental_start`, `snapshot_start`, `complete_up_to`, `rows_copied`, `updated_at`, `synced_schema`,"
            + " `binlog_position`";

    /** Waits up to the bound number of seconds for the named lock; 1 when taken. */
    public static final String WAIT_FOR_LOCK = "SELECT GET_LOCK(?, ?)";
    public static final String RELEASE_LOCK = Dialect.RELEASE_LOCK;

    private final Dialect dialect;
    private final String checkpoint;
    private final String run;
    private final String control;
    private final String verify;
    private final String schema;
    private final String schemaName;

    public StateDialect(Dialect dialect, String stateSchema) {
        this.schemaName = stateSchema;
        this.dialect = dialect;
        this.schema = Dialect.quote(stateSchema);
        this.checkpoint = schema + "." + Dialect.quote(CHECKPOINT_TABLE);
        this.run = schema + "." + Dialect.quote(RUN_TABLE);
        this.control = schema + "." + Dialect.quote(CONTROL_TABLE);
        this.verify = schema + "." + Dialect.quote(VERIFY_TABLE);
    }

    public String createSchema() {
        return "CREATE DATABASE IF NOT EXISTS " + schema + " CHARACTER SET utf8mb4";
    }

    public String createCheckpointTable() {
        return "CREATE TABLE IF NOT EXISTS " + checkpoint + " ("
                + "`mapping_id` VARCHAR(190) NOT NULL, `phase` VARCHAR(16) NOT NULL, `mode` VARCHAR(16) NOT NULL,"
                + " `fingerprint` CHAR(64) NOT NULL, `cursor_values` MEDIUMTEXT NULL,"
                + " `incremental_start` MEDIUMTEXT NULL, `snapshot_start` DATETIME(6) NULL,"
                + " `complete_up_to` DATETIME(6) NULL,"
                + " `rows_copied` BIGINT NOT NULL DEFAULT 0, `updated_at` DATETIME(6) NOT NULL,"
                + " `synced_schema` MEDIUMTEXT NULL, `binlog_position` MEDIUMTEXT NULL,"
                + " PRIMARY KEY (`mapping_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    public String createRunTable() {
        return "CREATE TABLE IF NOT EXISTS " + run + " ("
                + "`id` BIGINT NOT NULL AUTO_INCREMENT, `run_key` CHAR(36) NULL, `mapping_id` VARCHAR(190) NOT NULL,"
                + " `started_at` DATETIME(6) NOT NULL, `finished_at` DATETIME(6) NOT NULL,"
                + " `kind` VARCHAR(32) NOT NULL, `status` VARCHAR(16) NOT NULL, `rows_read` BIGINT NOT NULL,"
                + " `inserted` BIGINT NOT NULL, `updated` BIGINT NOT NULL, `unchanged` BIGINT NOT NULL,"
                + " `deleted` BIGINT NOT NULL DEFAULT 0, `error` TEXT NULL, `checkpoint` MEDIUMTEXT NULL,"
                + " PRIMARY KEY (`id`), KEY `mapping_run` (`mapping_id`, `id`))"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    public String loadCheckpoint() {
        return "SELECT " + COLUMNS + " FROM " + checkpoint + " WHERE `mapping_id` = ?";
    }

    /**
     * What a run reads before it starts, in one round trip: the checkpoint (all NULL when there is
     * none), {@link Dialect#ENGINE_AND_UNIQUE_KEYS} of the mapping's target table, the pause flag
     * and, given the target table, whether it holds any row (a target emptied behind the
     * checkpoint's back must be copied again). A statement naming a table that does not exist fails,
     * so the caller asks without {@code rowsOf} when the table is missing.
     * Bound: target schema and table three times, then the mapping id twice.
     */
    public String loadForRun(java.util.Optional<dev.tablesync.schema.TableId> rowsOf) {
        return "SELECT " + COLUMNS + ", (" + SchemaSql.ENGINE_AND_UNIQUE_KEYS + "), (SELECT `paused` FROM " + control
                + " WHERE `mapping_id` = ?)"
                + rowsOf.map(t -> ", EXISTS (SELECT 1 FROM " + Dialect.table(t) + ")").orElse(", NULL")
                + " FROM (SELECT 1 AS `one`) AS `one` LEFT JOIN " + checkpoint + " ON `mapping_id` = ?";
    }

    /** Written inside the batch's transaction, so the checkpoint moves exactly when the rows land. */
    public String saveCheckpoint() {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(checkpoint).append(" (").append(COLUMNS)
                .append(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (dialect.usesRowAlias()) {
            sql.append(" AS ").append(Dialect.NEW_ROW_ALIAS);
        }
        sql.append(" ON DUPLICATE KEY UPDATE ");
        String[] updated = {"phase", "mode", "fingerprint", "cursor_values", "incremental_start", "snapshot_start",
            "complete_up_to", "rows_copied", "updated_at", "synced_schema", "binlog_position"};
        for (int i = 0; i < updated.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(Dialect.quote(updated[i])).append(" = ")
                    .append(dialect.inserted(updated[i]));
        }
        return sql.toString();
    }

    /**
     * Columns later versions added to the state tables, with the statement that adds each to a table
     * an older version created: {@code {table, column, ALTER TABLE ...}}.
     */
    public java.util.List<String[]> addedColumns() {
        return java.util.List.of(
                new String[] {CHECKPOINT_TABLE, "synced_schema",
                    "ALTER TABLE " + checkpoint + " ADD COLUMN `synced_schema` MEDIUMTEXT NULL"},
                new String[] {CHECKPOINT_TABLE, "binlog_position",
                    "ALTER TABLE " + checkpoint + " ADD COLUMN `binlog_position` MEDIUMTEXT NULL"},
                new String[] {RUN_TABLE, "deleted",
                    "ALTER TABLE " + run + " ADD COLUMN `deleted` BIGINT NOT NULL DEFAULT 0 AFTER `unchanged`"});
    }

    /** The state schema's name, unquoted, for binding. */
    public String schemaName() {
        return schemaName;
    }

    /** The columns of the state tables, to find those {@link #addedColumns()} must add. */
    public String stateColumns() {
        return "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?";
    }

    public String deleteCheckpoint() {
        return "DELETE FROM " + checkpoint + " WHERE `mapping_id` = ?";
    }

    public String insertRun() {
        return "INSERT INTO " + run + " (`run_key`, `mapping_id`, `started_at`, `finished_at`, `kind`, `status`,"
                + " `rows_read`, `inserted`, `updated`, `unchanged`, `deleted`, `error`, `checkpoint`)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /** Pause state, shared by every replica through the target server. */
    public String createControlTable() {
        return "CREATE TABLE IF NOT EXISTS " + control + " (`mapping_id` VARCHAR(190) NOT NULL,"
                + " `paused` TINYINT(1) NOT NULL, `changed_at` DATETIME(6) NOT NULL, `changed_by` VARCHAR(190) NULL,"
                + " PRIMARY KEY (`mapping_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    public String loadPaused() {
        return "SELECT `paused` FROM " + control + " WHERE `mapping_id` = ?";
    }

    public String savePaused() {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(control)
                .append(" (`mapping_id`, `paused`, `changed_at`, `changed_by`) VALUES (?, ?, ?, ?)");
        if (dialect.usesRowAlias()) {
            sql.append(" AS ").append(Dialect.NEW_ROW_ALIAS);
        }
        return sql.append(" ON DUPLICATE KEY UPDATE `paused` = ").append(dialect.inserted("paused"))
                .append(", `changed_at` = ").append(dialect.inserted("changed_at"))
                .append(", `changed_by` = ").append(dialect.inserted("changed_by")).toString();
    }

    public String selectRuns() {
        return "SELECT `id`, `run_key`, `started_at`, `finished_at`, `kind`, `status`, `rows_read`, `inserted`, `updated`,"
                + " `unchanged`, `error`, `checkpoint`, `deleted` FROM " + run
                + " WHERE `mapping_id` = ? ORDER BY `id` DESC"
                + " LIMIT ? OFFSET ?";
    }

    public String createVerifyTable() {
        return "CREATE TABLE IF NOT EXISTS " + verify + " (`run_key` CHAR(36) NOT NULL, `mapping_id` VARCHAR(190) NOT NULL,"
                + " `started_at` DATETIME(6) NOT NULL, `finished_at` DATETIME(6) NOT NULL, `repair` TINYINT(1) NOT NULL,"
                + " `status` VARCHAR(16) NOT NULL, `method` VARCHAR(16) NOT NULL, `chunks` BIGINT NOT NULL,"
                + " `differing_chunks` BIGINT NOT NULL, `missing` BIGINT NOT NULL, `extra` BIGINT NOT NULL,"
                + " `different` BIGINT NOT NULL, `upserted` BIGINT NOT NULL, `deleted` BIGINT NOT NULL,"
                + " `unrepaired` BIGINT NOT NULL, `not_compared` TEXT NULL, `sample` TEXT NULL, `error` TEXT NULL,"
                + " PRIMARY KEY (`run_key`), KEY `mapping_verify` (`mapping_id`, `finished_at`))"
                + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    public String insertVerify() {
        return "INSERT INTO " + verify + " (" + VERIFY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?)";
    }

    /** The reports of some runs of a mapping, for its run history. */
    public String selectVerify(int runKeys) {
        return "SELECT " + VERIFY_COLUMNS + " FROM " + verify + " WHERE `mapping_id` = ? AND `run_key` IN ("
                + String.join(", ", java.util.Collections.nCopies(runKeys, "?")) + ")";
    }

    /** The latest report of a mapping whose verify compared the tables completely. */
    public String selectLastVerify() {
        return "SELECT " + VERIFY_COLUMNS + " FROM " + verify + " WHERE `mapping_id` = ? AND `status` = 'success'"
                + " ORDER BY `finished_at` DESC LIMIT 1";
    }
}
