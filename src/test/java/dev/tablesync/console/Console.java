package dev.tablesync.console;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
