package dev.tablesync.health;

import dev.tablesync.testsupport.TestConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

import dev.tablesync.config.Mapping;
import dev.tablesync.sql.FailureReason;
import dev.tablesync.sync.MappingStatus;
import dev.tablesync.sync.RunResult;
import dev.tablesync.sync.RunStatus;
import dev.tablesync.verify.VerifyReport;

/** When one mapping's health check is DOWN, and what its data says. */
class MappingHealthCheckTest {

    private static final Mapping ORDERS = TestConfig.edit(TestConfig.mapping("orders", "shop", "shop.orders", "warehouse", "orders"))
            .withMaxLag(Duration.ofMinutes(15)).build();
    private static final Instant SUCCESS = Instant.parse("2026-11-28T06:41:51Z");

    @Test
    void shouldBeUpBeforeTheFirstRun() {
        HealthCheckResponse response = MappingHealthCheck.describe(status(null, null, null, 0));

        assertEquals(Status.UP, response.getStatus());
        assertEquals("mapping-orders", response.getName());
        assertFalse(data(response).containsKey("lagSeconds"));
        assertEquals(0L, data(response).get("consecutiveFailures"));
    }

    @Test
    void shouldBeUpWithLagAndLastSuccessWhenSyncing() {
        HealthCheckResponse response = MappingHealthCheck.describe(status(Duration.ofSeconds(7), SUCCESS, null, 0));

        assertEquals(Status.UP, response.getStatus());
        assertEquals(7L, data(response).get("lagSeconds"));
        assertEquals(900L, data(response).get("maxLagSeconds"));
        assertEquals("2026-11-28T06:41:51Z", data(response).get("lastSuccess"));
        assertEquals(false, data(response).get("paused"));
    }

    @Test
    void shouldShowTheLastVerifysUnrepairedDifferencesAsDataAndStayUp() {
        VerifyReport verify = new VerifyReport("orders", "k", SUCCESS, Duration.ofSeconds(2), false,
                RunStatus.SUCCESS.label(), "chunks", 4, 1, 2, 3, 1, 0, 0, 6, List.of(), List.of(), Optional.empty());

        HealthCheckResponse response = MappingHealthCheck.describe(status(Duration.ofSeconds(7), SUCCESS, null, 0),
                Optional.of(verify), java.util.OptionalLong.empty());

        assertEquals(Status.UP, response.getStatus());
        assertEquals("2026-11-28T06:41:53Z", data(response).get("lastVerify"));
        assertEquals(6L, data(response).get("verifyMismatchedRows"));
        assertEquals(6L, data(response).get("verifyUnrepairedRows"));
    }

    @Test
    void shouldShowParkedConflictsAsDataAndStayUp() {
        HealthCheckResponse response = MappingHealthCheck.describe(status(Duration.ofSeconds(7), SUCCESS, null, 0),
                Optional.empty(), java.util.OptionalLong.of(3));

        assertEquals(Status.UP, response.getStatus());
        assertEquals(3L, data(response).get("parkedConflicts"));
    }

    @Test
    void shouldBeDownWhenTheLagExceedsMaxLag() {
        HealthCheckResponse response = MappingHealthCheck.describe(
                status(Duration.ofMinutes(16), SUCCESS, "lost connection to source", 12));

        assertEquals(Status.DOWN, response.getStatus());
        assertEquals("checkpoint lag 960s exceeds max-lag 900s", data(response).get("reason"));
        assertEquals("lost connection to source", data(response).get("lastError"));
        assertEquals(12L, data(response).get("consecutiveFailures"));
    }

    @Test
    void shouldStayUpWhileFailingWithinMaxLag() {
        HealthCheckResponse response = MappingHealthCheck.describe(
                status(Duration.ofMinutes(2), SUCCESS, "lost connection to source", 3));

        assertEquals(Status.UP, response.getStatus());
        assertEquals("lost connection to source", data(response).get("lastError"));
    }

    @Test
    void shouldBeDownWhenFailingWithoutEverHavingSynced() {
        HealthCheckResponse response = MappingHealthCheck.describe(
                status(null, null, "source table shop.orders does not exist on connection shop", 2));

        assertEquals(Status.DOWN, response.getStatus());
        assertEquals("2 failed runs and no successful one since start-up", data(response).get("reason"));
        assertEquals("source table shop.orders does not exist on connection shop", data(response).get("lastError"));
    }

    @Test
    void shouldHideJdbcUrlsQuotedInErrors() {
        HealthCheckResponse response = MappingHealthCheck.describe(
                status(null, null, "cannot connect to jdbc:mysql://u:pw@db:3306/shop?x=1 now", 1));

        String error = (String) data(response).get("lastError");
        assertFalse(error.contains("jdbc:"), error);
        assertTrue(error.startsWith("cannot connect to "), error);
    }

    @Test
    void shouldPutMultiLineDriverErrorsOnOneLine() {
        HealthCheckResponse response = MappingHealthCheck.describe(
                status(null, null, "Communications link failure\n\nThe last packet sent", 1));

        assertEquals("Communications link failure The last packet sent", data(response).get("lastError"));
        assertEquals("1 failed run and no successful one since start-up", data(response).get("reason"));
    }

    @Test
    void shouldBeDownAtOnceWhenSchemaDriftStoppedTheMappingAlthoughTheLagIsSmall() {
        String drift = "schema drift: source table shop.orders of mapping orders changed: column `note` varchar(20)"
                + " NULL was dropped. ...";
        HealthCheckResponse response = MappingHealthCheck.describe(
                status(Duration.ofSeconds(3), SUCCESS, drift, 1, FailureReason.SCHEMA_DRIFT));

        assertEquals(Status.DOWN, response.getStatus());
        assertEquals("the source schema changed and the mapping is stopped until the target is aligned: " + drift,
                data(response).get("reason"));
        assertEquals("schema_drift", data(response).get("lastErrorCategory"));
    }

    @Test
    void shouldShowTheTrackingWarningOfADaylightSavingZone() {
        MappingStatus healthy = status(Duration.ofSeconds(3), SUCCESS, null, 0);
        MappingStatus warned = new MappingStatus(ORDERS, false, Optional.empty(), Optional.empty(),
                Optional.of("tracking column changed" + RunResult.WARNING + "daylight saving time"), Optional.empty(),
                Optional.empty(), healthy.completeUpTo(), healthy.lag(), Optional.empty(), healthy.lastSuccess(),
                Optional.empty(), Optional.empty(), 0, Optional.empty());
        HealthCheckResponse response = MappingHealthCheck.describe(warned);
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals("daylight saving time", data(response).get("trackingWarning"));
    }

    private static MappingStatus status(Duration lag, Instant lastSuccess, String lastError, int failures) {
        return status(lag, lastSuccess, lastError, failures, FailureReason.FATAL);
    }

    private static MappingStatus status(Duration lag, Instant lastSuccess, String lastError, int failures,
            FailureReason category) {
        return new MappingStatus(ORDERS, false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.ofNullable(lag).map(l -> SUCCESS.minus(l)),
                Optional.ofNullable(lag), Optional.empty(), Optional.ofNullable(lastSuccess),
                Optional.ofNullable(lastError), Optional.ofNullable(lastError).map(e -> category), failures,
                Optional.empty());
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }
}
