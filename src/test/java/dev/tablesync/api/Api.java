package dev.tablesync.api;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.tablesync.testsupport.TestServers;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** What the API tests share: authenticated requests, waiting for runs, and reading the target's state schema. */
final class Api {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Api() {
    }

    /** JSON, as the API's clients send it (a form post passes too: ConsolePagesTest). */
    static RequestSpecification asOperator() {
        return given().contentType(ContentType.JSON).auth().preemptive().basic(ApiTestProfile.OPERATOR, ApiTestProfile.OPERATOR_PASSWORD);
    }

    static RequestSpecification asViewer() {
        return given().contentType(ContentType.JSON).auth().preemptive().basic(ApiTestProfile.VIEWER, ApiTestProfile.VIEWER_PASSWORD);
    }

    /** Starts a run and returns its id. */
    static String trigger(String mapping) {
        return asOperator().post("/api/mappings/{id}/runs", mapping).then().statusCode(202).extract().path("runId");
    }

    /**
     * The history entry of a triggered run, once the run has finished. The entry is written to the
     * target before the service updates the mapping's state in memory, so also wait for the mapping
     * to stop running: only then does GET /api/mappings/{id} show the run's outcome.
     */
    static Map<String, Object> awaitRun(String mapping, String runId) {
        Map<String, Object> run = await("run " + runId + " of " + mapping + " in the history", () -> history(mapping)
                .stream().filter(r -> runId.equals(r.get("runId"))).findFirst());
        await("mapping " + mapping + " no longer running", () -> Optional.of(mapping).filter(m -> !asViewer()
                .get("/api/mappings/{id}", m).then().statusCode(200).extract().<Boolean>path("running")));
        return run;
    }

    /** The newest runs of a mapping, as the API returns them. */
    static List<Map<String, Object>> history(String mapping) {
        return asViewer().queryParam("limit", 500).get("/api/mappings/{id}/runs", mapping).then().statusCode(200)
                .extract().jsonPath().getList("runs");
    }

    static <T> T await(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting for " + what);
            }
            sleep(Duration.ofMillis(100));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A connection to the target server's state schema, the way another replica or an operator sees it. */
    static Connection stateStore() throws SQLException {
        return TestServers.get().target().connect(ApiTestProfile.STATE_DB);
    }

    static Connection source() throws SQLException {
        return TestServers.get().source().connect(ApiTestProfile.SOURCE_DB);
    }

    /** One row of a state table, as text by column, or empty when the mapping has none. */
    static Optional<Map<String, String>> stateRow(String table, String mapping, String... columns) {
        String sql = "SELECT " + String.join(", ", columns) + " FROM " + table + " WHERE mapping_id = ?";
        try (Connection c = stateStore(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, mapping);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, String> row = new java.util.LinkedHashMap<>();
                for (String column : columns) {
                    row.put(column, rs.getString(column));
                }
                return Optional.of(row);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The name of the lock a replica holds while it runs {@code mapping} (see the engine's TargetLock). */
    static String lockName(String mapping) {
        return "tablesync:" + ApiTestProfile.STATE_DB + ":" + mapping;
    }
}
