package dev.tablesync.console;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tablesync.testsupport.TestServers;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** What the console tests share: signed-in requests, the page's CSRF token, and waiting for runs. */
final class Console {

    static final String CSRF_FIELD = "csrf-token";
    private static final Pattern TOKEN = Pattern.compile("name=\"" + CSRF_FIELD + "\" value=\"([^\"]+)\"");

    private Console() {
    }

    static RequestSpecification asOperator() {
        return given().auth().preemptive().basic(ConsoleTestProfile.OPERATOR, ConsoleTestProfile.OPERATOR_PASSWORD);
    }

    static RequestSpecification asViewer() {
        return given().auth().preemptive().basic(ConsoleTestProfile.VIEWER, ConsoleTestProfile.VIEWER_PASSWORD);
    }

    /** A page's form token and the cookie it belongs to, as a browser holds them after loading the page. */
    record Csrf(String token, Map<String, String> cookies) {
    }

    /** Loads {@code path} as {@code user} and takes the CSRF token from its first form (or from the cookie). */
    static Csrf csrf(RequestSpecification user, String path) {
        Response page = user.get(path);
        page.then().statusCode(200);
        Matcher m = TOKEN.matcher(page.asString());
        String token = m.find() ? m.group(1) : page.getCookie(CSRF_FIELD);
        return new Csrf(token, page.getCookies());
    }

    /** Starts a run of {@code mapping} through the API and waits until it is in the history and the mapping idle. */
    static void runAndWait(String mapping) {
        String runId = asOperator().contentType(ContentType.JSON).post("/api/mappings/{id}/runs", mapping).then().statusCode(202).extract()
                .path("runId");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            boolean recorded = asViewer().queryParam("limit", 50).get("/api/mappings/{id}/runs", mapping).then()
                    .statusCode(200).extract().jsonPath().getList("runs.runId").contains(runId);
            if (recorded && !asViewer().get("/api/mappings/{id}", mapping).<Boolean>path("running")) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("run " + runId + " of " + mapping + " did not finish within 60 s");
    }

    static boolean paused(String mapping) {
        return asViewer().get("/api/mappings/{id}", mapping).then().statusCode(200).extract().<Boolean>path("paused");
    }

    /**
     * Makes a real parked conflict of row {@code id}: the README's one SQL line on the target, then a
     * change of the same row on the source, then runs of the (conflict=park) mapping until
     * one has parked it.
     */
    static void parkByHand(String mapping, String table, int id, String sourceName, String targetName)
            throws SQLException {
        sql(TestServers.get().target().connect(ConsoleTestProfile.TARGET_DB),
                "UPDATE " + table + " SET name = '" + targetName + "' WHERE id = " + id);
        sql(TestServers.get().source().connect(ConsoleTestProfile.SOURCE_DB),
                "UPDATE " + table + " SET name = '" + sourceName + "' WHERE id = " + id);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            // A run in the same second as the source change may leave it to the next run (README, Limits).
            sleep(200);
            runAndWait(mapping);
            if (asViewer().get("/api/mappings/{id}/conflicts", mapping).then().statusCode(200).extract().jsonPath()
                    .getList("conflicts.key.id", String.class).contains(String.valueOf(id))) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("row " + id + " of " + mapping + " was not parked within 30 s");
    }

    /** The target's {@code name} of row {@code id}; null when there is no such row. */
    static String targetName(String table, int id) throws SQLException {
        try (Connection c = TestServers.get().target().connect(ConsoleTestProfile.TARGET_DB);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM " + table + " WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** One statement on the target database, as an operator would type it. */
    static void targetSql(String statement) throws SQLException {
        sql(TestServers.get().target().connect(ConsoleTestProfile.TARGET_DB), statement);
    }

    private static void sql(Connection connection, String statement) throws SQLException {
        try (Connection c = connection; Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
