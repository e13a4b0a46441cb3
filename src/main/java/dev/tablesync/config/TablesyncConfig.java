package dev.tablesync.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.tablesync.schema.Mode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The whole configuration of tablesync, under the prefix {@code tablesync}. Start-up validates
 * it (see {@link ConfigValidator}) and refuses to start with a message naming each bad key.
 */
@ConfigMapping(prefix = "tablesync")
public interface TablesyncConfig {

    /** Named database servers, e.g. {@code tablesync.connections.orders-db.url}. One pool each. */
    Map<String, ConnectionConfig> connections();

    /** Tables to keep in sync, keyed by mapping id, e.g. {@code tablesync.mappings.orders.source}. */
    Map<String, MappingConfig> mappings();

    /**
     * Sync every enabled mapping once, print one summary line per mapping and exit: 0 when all
     * succeeded, 1 otherwise. For Kubernetes CronJobs and benchmarks.
     */
    @WithDefault("false")
    boolean runOnce();

    /**
     * Schema, on each target server, that holds the checkpoint and run-history tables. Created
     * when missing; the target user needs CREATE on it the first time.
     */
    @WithDefault("tablesync")
    String stateSchema();

    /**
     * At most this many mapping runs at once in this process. A scheduled run that finds them all
     * busy waits in line and starts when a run ends, before mappings that ran more recently.
     */
    @WithDefault("4")
    int maxConcurrentRuns();

    /** A run still going after this long counts as wedged: liveness turns DOWN so Kubernetes restarts the pod. */
    @WithDefault("1h")
    Duration maxRunDuration();

    /**
     * On shutdown, runs in flight finish their current batch and stop; this is how long shutdown
     * waits for them. Runs still going near its end (e.g. waiting for a lock) have their database
     * connections aborted, so their uncommitted batch is rolled back and the process exits in time.
     * Keep it below the pod's terminationGracePeriodSeconds.
     */
    @WithDefault("20s")
    Duration shutdownTimeout();

    /**
     * How long one statement waits for a lock another session holds on a table it reads or writes
     * (a metadata lock from {@code LOCK TABLES} or {@code ALTER TABLE}, or a row lock) before the run
     * fails naming the lock and retries with backoff. Set on every pooled session as
     * {@code lock_wait_timeout} and {@code innodb_lock_wait_timeout}, in whole seconds (rounded up).
     */
    @WithDefault("30s")
    Duration lockTimeout();

    /** Backoff after failed runs. */
    Retry retry();

    /** How this process reads sources' binary logs (mappings with {@code mode=binlog}). */
    Binlog binlog();

    /** The binlog client's identity towards every source. */
    interface Binlog {
        /**
         * The {@code server_id} this process presents to sources when it reads their binlog, 1 to 4294967295. It
         * must differ from every real replica's and every other tablesync replica's: a source keeps one stream per
         * id and ends the older one. Unset (the default), it is derived from the host name (the pod's name), in
         * 3000000000 to 3999999999; set it when host names are not unique (two processes on one host) or that range
         * is taken. A mapping catching up on a private stream of its own uses an id derived from this one.
         */
        Optional<Long> serverId();
    }

    /** Exponential backoff with jitter; fatal errors start 16 times higher than transient ones. */
    interface Retry {
        /** Wait after the first transient failure. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait between attempts. */
        @WithDefault("5m")
        Duration maxBackoff();
    }

    /** One database server. */
    interface ConnectionConfig {
        /** JDBC URL, e.g. {@code jdbc:mysql://db:3306/shop}. The database part is the default schema. */
        String url();

        /** User name; credentials should come from a Kubernetes Secret via environment variables. */
        Optional<String> username();

        /** Password; never logged nor shown by the API. */
        Optional<String> password();

        /** Maximum connections in this connection's pool. Each running mapping uses one or two. */
        @WithDefault("4")
        int maxPoolSize();
    }

    /** One source table copied into one target table. */
    interface MappingConfig {
        /** Name of the connection to read from (a key of {@code tablesync.connections}). */
        String source();

        /** Source table as {@code schema.table}, or {@code table} in the connection's default schema. */
        String sourceTable();

        /** Name of the connection to write to (a key of {@code tablesync.connections}). */
        String target();

        /** Target table as {@code schema.table} or {@code table}; defaults to the source table's name. */
        Optional<String> targetTable();

        /**
         * How changed rows are found: {@code auto} (detect a timestamp column, else an auto-increment
         * key, else full), {@code timestamp}, {@code id} (append-only tables), {@code full}, or
         * {@code binlog} (a snapshot, then every insert, update and delete read from the source's binary
         * log; needs log_bin, binlog_format=ROW, binlog_row_image=FULL and replication privileges).
         */
        @WithDefault("auto")
        Mode mode();

        /** Column that finds changed rows; detected when absent. An explicit column always wins. */
        Optional<String> trackingColumn();

        /** Rows per read and per target transaction. */
        @WithDefault("1000")
        int batchSize();

        /**
         * Rows per target transaction while a snapshot bulk-loads ({@code LOAD DATA LOCAL}) the key
         * range the target does not hold yet; each such batch still commits with its checkpoint. A
         * batch also ends at 4 MiB of load text (a 32nd of the heap if less), so memory stays bounded
         * whatever the row width.
         * Upserts (incremental runs, and snapshots the target cannot bulk-load) use batch-size.
         */
        @WithDefault("10000")
        int bulkBatchSize();

        /** What happens when a row already exists in the target: overwrite, skip, newer-wins, error or park. */
        @WithDefault("overwrite")
        ConflictPolicy conflict();

        /**
         * Under conflict policy park: the most rows this mapping keeps parked for a person to resolve
         * (1 to 1000000). A run that would park one more fails, as policy error does, until parked
         * rows are resolved ({@code POST /api/mappings/<id>/conflicts/resolve}) or this is raised.
         */
        @WithDefault("10000")
        int maxParked();

        /**
         * Safety margin behind the source clock: rows stamped later than {@code NOW() - commit-delay}
         * wait for the next run, so transactions committing slightly out of order are not skipped.
         */
        @WithDefault("5s")
        Duration commitDelay();

        /**
         * When to run: an interval such as {@code 30s} or {@code 5m}, a cron expression, or {@code never} (only
         * when triggered).
         */
        @WithDefault("30s")
        String schedule();

        /** Checkpoint lag above this turns the mapping's health check DOWN. */
        @WithDefault("15m")
        Duration maxLag();

        /**
         * When to verify the target against the source (README, "Verify and repair"): an interval or a
         * cron expression like {@code schedule}, e.g. {@code 1d} or {@code 0 0 3 * * ?}. Absent: never
         * scheduled (a verify can still be started with POST /api/mappings/{id}/verify).
         */
        Optional<String> verifySchedule();

        /**
         * Whether scheduled verifies also repair what they find (upsert differing rows from the source,
         * delete target rows the source no longer has, which also removes hard-deleted rows).
         */
        @WithDefault("false")
        boolean verifyRepair();

        /** A disabled mapping is validated but never run. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Column that marks a row as deleted on the source: a DATETIME/TIMESTAMP/DATE (deleted when
         * not NULL) or an integer/BIT flag (deleted when not 0). Detected when absent: {@code deleted_at},
         * {@code is_deleted}, then {@code deleted}.
         */
        Optional<String> softDeleteColumn();

        /**
         * What a row marked deleted does to the target: {@code copy} (the flag is copied like any
         * column) or {@code hard} (the row is deleted from the target, with the batch's checkpoint).
         */
        @WithDefault("copy")
        DeleteMode deleteMode();

        /**
         * What a run does when the target lost the rows its checkpoint vouches for (the table was
         * dropped, or is empty while the source holds rows the checkpoint says were copied):
         * {@code resnapshot} (copy the table again, with a WARN) or {@code fail} (fail every run,
         * checkpoint kept, until the mapping is reset or resynced).
         */
        @WithDefault("resnapshot")
        OnTargetLoss onTargetLoss();

        /**
         * Mode binlog only: what a run does when the position it saved is no longer in the source's binary
         * log (purged, server replaced): {@code fail} (fail every run with reason binlog_gap until reset)
         * or {@code resnapshot} (copy the table again, with a WARN).
         */
        @WithDefault("fail")
        OnBinlogGap onBinlogGap();
    }
}
