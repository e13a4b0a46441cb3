package dev.tablesync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tablesync.schema.Mode;
import dev.tablesync.testsupport.TestConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

/** Validation of a real {@link TablesyncConfig} built by SmallRye Config from properties. */
class ConfigValidatorTest {

    private static final String PREFIX = "Invalid tablesync configuration:\n  - ";
    private static final String M = "tablesync.mappings.orders.";

    /** Two connections and one mapping with nothing but the required keys. */
    private static Map<String, String> valid() {
        Map<String, String> p = new HashMap<>();
        p.put("tablesync.connections.src.url", "jdbc:mysql://source:3306/shop");
        p.put("tablesync.connections.dst.url", "jdbc:mysql://target:3306/copy");
        p.put(M + "source", "src");
        p.put(M + "source-table", "shop.orders");
        p.put(M + "target", "dst");
        return p;
    }

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> p = valid();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static TablesyncConfig config(Map<String, String> properties) {
        return TestConfig.of(properties);
    }

    private static Map<String, Mapping> validate(Map<String, String> properties) {
        return ConfigValidator.validate(config(properties)).mappings();
    }

    private static String failure(Map<String, String> properties) {
        return assertThrows(ConfigurationException.class, () -> validate(properties)).getMessage();
    }

    @Test
    void shouldApplyDocumentedDefaultsToAMinimalMapping() {
        Map<String, Mapping> mappings = validate(valid());

        Mapping expected = TestConfig.mapping("orders", "src", "shop.orders", "dst", "orders");
        assertEquals(Map.of("orders", expected), mappings);
    }

    @Test
    void shouldReadEveryExplicitSetting() {
        Mapping m = validate(with(M + "target-table", "archive.orders_copy", M + "mode", "timestamp",
                M + "tracking-column", "changed_on", M + "batch-size", "100000", M + "bulk-batch-size", "50000",
                M + "conflict", "newer-wins",
                M + "commit-delay", "0s", M + "schedule", " 5m ", M + "max-lag", "1h", M + "enabled", "false")).get("orders");

        assertEquals(TestConfig.edit(TestConfig.mapping("orders", "src", "shop.orders", "dst", "archive.orders_copy"))
                .withMode(Mode.TIMESTAMP, "changed_on").withBatchSize(100_000).withConflict(ConflictPolicy.NEWER_WINS)
                .withCommitDelay(Duration.ZERO).withSchedule("5m").withMaxLag(Duration.ofHours(1)).withEnabled(false)
                .withBulkBatchSize(50_000).build(), m);
    }

    @Test
    void shouldParseTheScheduleAndCarryTheVerifySettingsIntoTheMapping() {
        Mapping m = validate(with(M + "schedule", "0 */5 * * * ?", M + "verify-schedule", " PT12H ",
                M + "verify-repair", "true")).get("orders");

        assertEquals(new Schedule("0 */5 * * * ?", false), m.schedule());
        assertEquals(Optional.of(new Schedule("PT12H", true)), m.verifySchedule());
        assertTrue(m.verifyRepair());
        assertEquals(Optional.empty(), validate(valid()).get("orders").verifySchedule());
    }

    @Test
    void shouldParseNewerWinsConflictPolicy() {
        assertEquals(ConflictPolicy.NEWER_WINS, validate(with(M + "conflict", "newer-wins")).get("orders").conflict());
    }

    @Test
    void shouldTakeScheduleNeverAsManualOnly() {
        Schedule never = validate(with(M + "schedule", " never ")).get("orders").schedule();
        assertTrue(never.manual(), never.text());
        assertFalse(validate(with(M + "schedule", "0 */5 * * * ?")).get("orders").schedule().manual());
    }

    @Test
    void shouldAcceptQuartzCronSchedule() {
        assertEquals("0 */5 * * * ?", validate(with(M + "schedule", "0 */5 * * * ?")).get("orders").schedule().text());
    }

    @Test
    void shouldReturnMappingsInIdOrder() {
        Map<String, String> p = with("tablesync.mappings.alpha.source", "src",
                "tablesync.mappings.alpha.source-table", "shop.customers", "tablesync.mappings.alpha.target", "dst");
        assertEquals(List.of("alpha", "orders"), List.copyOf(validate(p).keySet()));
    }

    @Test
    void shouldNameUnknownConnectionAndListTheDefinedOnes() {
        assertEquals(PREFIX + M + "source: no connection named 'nope'; define tablesync.connections.nope.url"
                + " or use one of [dst, src]", failure(with(M + "source", "nope")));
    }

    @Test
    void shouldRefuseNonMySqlUrlWithoutPrintingAllOfIt() {
        assertEquals(PREFIX + "tablesync.connections.src.url: expected jdbc:mysql://host:port/database, got a URL"
                + " starting with 'jdbc:postgresql:'", failure(with("tablesync.connections.src.url",
                        "jdbc:postgresql://user:secret@db/shop")));
    }

    @Test
    void shouldRefuseAMariaDbUrlNamingTheKeyAndTheJdbcMysqlFixWithoutQuotingIt() {
        String message = failure(with("tablesync.connections.dst.url", "jdbc:mariadb://copy:s3cret-Pw@target:3306/copy"));

        assertEquals(PREFIX + "tablesync.connections.dst.url: jdbc:mariadb: URLs need the MariaDB driver, which"
                + " tablesync does not ship; write it as jdbc:mysql://host:port/database (MySQL Connector/J serves"
                + " MariaDB servers too)", message);
        assertFalse(message.contains("s3cret") || message.contains("target:3306"), message);
    }

    @Test
    void shouldNotQuoteAnyPartOfAMalformedUrlThatMayBeASecret() {
        for (String url : List.of("s3cr3tPassw0rd", "hunter2://db/shop", "Pa55:word@db")) {
            String message = failure(with("tablesync.connections.src.url", url));
            assertEquals(PREFIX + "tablesync.connections.src.url: expected jdbc:mysql://host:port/database, got a URL"
                    + " that is not shown (it may hold a secret)", message);
        }
    }

    @Test
    void shouldRefuseBatchSizeZero() {
        assertEquals(PREFIX + M + "batch-size: must be between 1 and 100000, got 0", failure(with(M + "batch-size", "0")));
    }

    @Test
    void shouldRefuseABulkBatchSizeOutsideItsRangeNamingTheKey() {
        assertEquals(PREFIX + M + "bulk-batch-size: must be between 1 and 100000, got 0",
                failure(with(M + "bulk-batch-size", "0")));
        assertEquals(PREFIX + M + "bulk-batch-size: must be between 1 and 100000, got 100001",
                failure(with(M + "bulk-batch-size", "100001")));
    }

    @Test
    void shouldRefuseAMaxParkedOutsideItsRangeNamingTheKeyAndDefaultTo10000() {
        assertEquals(PREFIX + M + "max-parked: must be between 1 and 1000000, got 0",
                failure(with(M + "max-parked", "0")));
        assertEquals(10_000, validate(valid()).get("orders").maxParked());
        Mapping parked = validate(with(M + "conflict", "park", M + "max-parked", "5")).get("orders");
        assertEquals(ConflictPolicy.PARK, parked.conflict());
        assertEquals(5, parked.maxParked());
    }

    @Test
    void shouldRefuseBatchSizeAboveTheMaximum() {
        assertEquals(PREFIX + M + "batch-size: must be between 1 and 100000, got 100001",
                failure(with(M + "batch-size", "100001")));
    }

    @Test
    void shouldRefuseALockTimeoutThatIsNotPositiveNamingTheKey() {
        assertTrue(failure(with("tablesync.lock-timeout", "0s")).contains("tablesync.lock-timeout: must be positive"));
        assertTrue(failure(with("tablesync.lock-timeout", "-3s")).contains("tablesync.lock-timeout: must be positive"));
        assertEquals(1, validate(with("tablesync.lock-timeout", "500ms")).size());
    }

    @Test
    void shouldRefuseNegativeCommitDelay() {
        assertEquals(PREFIX + M + "commit-delay: must not be negative, got PT-1S",
                failure(with(M + "commit-delay", "-1s")));
    }

    @Test
    void shouldRefuseScheduleThatIsNeitherIntervalNorCron() {
        String message = failure(with(M + "schedule", "every tuesday"));
        assertTrue(message.startsWith(PREFIX + M + "schedule: 'every tuesday' is neither an interval (30s, 5m, 1h, 1d)"
                + " nor a Quartz cron expression (e.g. '0 */5 * * * ?'): "), message);
    }

    @Test
    void shouldRefuseAVerifyScheduleThatIsNeitherIntervalNorCronAndAcceptAValidOne() {
        String message = failure(with(M + "verify-schedule", "nightly"));
        assertTrue(message.startsWith(PREFIX + M + "verify-schedule: 'nightly' is neither an interval"), message);
        assertEquals(1, validate(with(M + "verify-schedule", "0 0 3 * * ?", M + "verify-repair", "true")).size());
    }

    @Test
    void shouldRefuseAScheduleThatOnlyLooksLikeAnIsoDuration() {
        assertTrue(failure(with(M + "schedule", "Potato")).contains(M + "schedule: 'Potato' is not an ISO-8601 duration"));
        assertTrue(failure(with(M + "schedule", "PT")).contains(M + "schedule: 'PT' is not an ISO-8601 duration"));
    }

    @Test
    void shouldRefuseNewerWinsWithModeId() {
        assertEquals(PREFIX + M + "conflict: newer-wins compares tracking timestamps, so it needs mode timestamp or"
                + " auto (got mode id); use conflict=overwrite or mode=timestamp",
                failure(with(M + "conflict", "newer-wins", M + "mode", "id")));
    }

    @Test
    void shouldRefuseTrackingColumnWithModeFull() {
        assertEquals(PREFIX + M + "tracking-column: mode full copies the whole table and uses no tracking column;"
                + " remove the tracking column or choose mode timestamp or id",
                failure(with(M + "mode", "full", M + "tracking-column", "updated_at")));
    }

    @Test
    void shouldRefuseUnparseableTableName() {
        assertEquals(PREFIX + M + "source-table: empty schema or table name; write schema.table or table",
                failure(with(M + "source-table", "shop.")));
    }

    @Test
    void shouldRefuseTwoMappingsWritingTheSameTargetTable() {
        Map<String, String> p = with("tablesync.mappings.archive.source", "src",
                "tablesync.mappings.archive.source-table", "legacy.orders",
                "tablesync.mappings.archive.target", "dst",
                "tablesync.mappings.archive.target-table", "orders");
        assertEquals(PREFIX + M + "target-table: mapping 'archive' already writes orders on connection dst;"
                + " two mappings must not write the same table", failure(p));
    }

    @Test
    void shouldAllowSameTargetTableNameOnDifferentConnections() {
        Map<String, String> p = with("tablesync.connections.other.url", "jdbc:mysql://other:3306/copy",
                "tablesync.mappings.archive.source", "src", "tablesync.mappings.archive.source-table", "shop.orders",
                "tablesync.mappings.archive.target", "other");
        assertEquals(2, validate(p).size());
    }

    @Test
    void shouldListEveryErrorAtOnce() {
        String message = failure(with("tablesync.connections.dst.url", "mysql://target/copy",
                M + "batch-size", "0", M + "commit-delay", "-5s", M + "schedule", "every tuesday",
                M + "target", "missing"));

        assertTrue(message.startsWith(PREFIX), message);
        List<String> lines = List.of(message.substring(PREFIX.length()).split("\n  - "));
        assertEquals(5, lines.size(), message);
        assertTrue(lines.contains("tablesync.connections.dst.url: expected jdbc:mysql://host:port/database, got a URL"
                + " starting with 'mysql:'"), message);
        assertTrue(lines.contains(M + "target: no connection named 'missing'; define tablesync.connections.missing.url"
                + " or use one of [dst, src]"), message);
        assertTrue(lines.contains(M + "batch-size: must be between 1 and 100000, got 0"), message);
        assertTrue(lines.contains(M + "commit-delay: must not be negative, got PT-5S"), message);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(M + "schedule: 'every tuesday' is neither")), message);
    }

    @Test
    void shouldReadSoftDeleteColumnAndDeleteMode() {
        Mapping m = validate(with(M + "soft-delete-column", "removed_on", M + "delete-mode", "hard")).get("orders");

        assertEquals(Optional.of("removed_on"), m.softDeleteColumn());
        assertEquals(DeleteMode.HARD, m.deleteMode());
        assertEquals(DeleteMode.COPY, validate(valid()).get("orders").deleteMode());
    }

    @Test
    void shouldRefuseUnknownDeleteModeNamingTheKeyAndTheAllowedValues() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> validate(with(M + "delete-mode", "soft")));
        String message = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        assertTrue(message.contains(M + "delete-mode") && message.contains("soft"), message);
        assertTrue(message.contains("copy") && message.contains("hard"), message);
    }

    @Test
    void shouldReadOnTargetLossDefaultingToResnapshotAndRefuseAnUnknownValueByKey() {
        assertEquals(OnTargetLoss.RESNAPSHOT, validate(valid()).get("orders").onTargetLoss());
        assertEquals(OnTargetLoss.FAIL, validate(with(M + "on-target-loss", "fail")).get("orders").onTargetLoss());
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> validate(with(M + "on-target-loss", "ignore")));
        String message = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        assertTrue(message.contains(M + "on-target-loss") && message.contains("ignore"), message);
        assertTrue(message.contains("resnapshot") && message.contains("fail"), message);
    }

    @Test
    void shouldRefuseBlankSoftDeleteColumn() {
        assertEquals(PREFIX + M + "soft-delete-column: must not be blank; remove it to detect deleted_at, is_deleted"
                + " or deleted", failure(with(M + "soft-delete-column", " ")));
    }

    @Test
    void shouldRefuseHardDeletesWithModeId() {
        assertEquals(PREFIX + M + "delete-mode: hard needs to see rows updated after they were copied, but mode id"
                + " reads new rows only; use mode timestamp (or auto with an updated_at column) or delete-mode copy",
                failure(with(M + "delete-mode", "hard", M + "mode", "id")));
    }

    @Test
    void shouldRefuseANegativeShutdownTimeoutNamingTheKeyButAcceptZero() {
        assertEquals(PREFIX + "tablesync.shutdown-timeout: must not be negative, got PT-3S; use 0s not to wait for"
                + " runs in flight, or e.g. 20s", failure(with("tablesync.shutdown-timeout", "-3s")));
        assertEquals(1, validate(with("tablesync.shutdown-timeout", "0s")).size());
    }

    @Test
    void shouldRefuseAZeroOrNegativeScheduleIntervalNamingTheKey() {
        for (String interval : List.of("0s", "00m", "0d", "PT0S", "P0D", "PT-5S")) {
            assertEquals(PREFIX + M + "schedule: the interval '" + interval + "' must be positive; write e.g. 30s, 5m,"
                    + " 1h or 1d", failure(with(M + "schedule", interval)), interval);
        }
        assertEquals(PREFIX + M + "verify-schedule: the interval '0h' must be positive; write e.g. 30s, 5m, 1h or 1d",
                failure(with(M + "verify-schedule", "0h")));
        assertEquals("PT1S", validate(with(M + "schedule", "PT1S")).get("orders").schedule().text());
    }

    @Test
    void shouldRefuseAMappingIntoItsOwnSourceOnOneConnectionNamingBothKeys() {
        String problem = M + "source/.source-table ('src', shop.orders) and " + M + "target/.target-table ('src', %s)"
                + " name the same table shop.orders on the same server: the mapping would overwrite (with"
                + " delete-mode=hard, delete) the rows it reads; point the target at another table or server";
        assertEquals(PREFIX + String.format(problem, "orders"), failure(with(M + "target", "src")));
        assertEquals(PREFIX + String.format(problem, "shop.orders"),
                failure(with(M + "target", "src", M + "target-table", "shop.orders")));
        assertEquals(1, validate(with(M + "target", "src", M + "target-table", "orders_copy")).size());
        assertEquals(1, validate(with(M + "target", "src", M + "target-table", "archive.orders")).size());
    }

    @Test
    void shouldTakeABinlogServerIdInTheServersRangeAndRefuseOthersNamingTheKey() {
        for (String bad : List.of("0", "-1", "4294967296")) {
            assertEquals(PREFIX + "tablesync.binlog.server-id: must be 1 to 4294967295 (a MySQL/MariaDB server_id), got "
                    + bad + "; remove it to derive one from the host name",
                    failure(with("tablesync.binlog.server-id", bad)), bad);
        }
        assertEquals(java.util.Optional.of(4294967295L), ConfigValidator.validate(config(with("tablesync.binlog.server-id",
                "4294967295"))).binlogServerId());
        assertEquals(java.util.Optional.empty(), ConfigValidator.validate(config(valid())).binlogServerId(),
                "derived from the host name by default");
    }

    @Test
    void shouldReadModeBinlogAndItsGapPolicy() {
        Mapping m = validate(with(M + "mode", "binlog", M + "on-binlog-gap", "resnapshot")).get("orders");
        assertEquals(Mode.BINLOG, m.mode());
        assertEquals(OnBinlogGap.RESNAPSHOT, m.onBinlogGap());
        assertEquals(OnBinlogGap.FAIL, validate(valid()).get("orders").onBinlogGap(), "fail by default");
    }

    @Test
    void shouldRefuseNewerWinsAndATrackingColumnWithModeBinlogNamingTheKeys() {
        String message = failure(with(M + "mode", "binlog", M + "conflict", "newer-wins", M + "tracking-column",
                "updated_at"));
        assertTrue(message.contains(M + "conflict: newer-wins compares tracking timestamps, and mode binlog has none"),
                message);
        assertTrue(message.contains(M + "tracking-column: mode binlog reads changes from the binary log"), message);
    }
}
