package dev.tablesync.console;

import static dev.tablesync.console.Console.CSRF_FIELD;
import static dev.tablesync.console.Console.asOperator;
import static dev.tablesync.console.Console.asViewer;
import static dev.tablesync.console.Console.csrf;
import static dev.tablesync.console.Console.parkByHand;
import static dev.tablesync.console.Console.paused;
import static dev.tablesync.console.Console.runAndWait;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.tablesync.console.Console.Csrf;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The console's pages and form actions over HTTP: who sees what, who may act, and the CSRF check. */
@QuarkusTest
@TestProfile(ConsoleTestProfile.class)
class ConsolePagesTest {

    private static final Pattern RESOLVE_BUTTON = Pattern.compile("id=\"resolve-\\d+-take-source\"");

    @Test
    void shouldListEveryMappingWithModeStateAndLagForAViewer() {
        runAndWait("orders");
        String page = asViewer().get("/console").then().statusCode(200).contentType(ContentType.HTML).extract()
                .asString();
        for (String id : ConsoleTestProfile.MAPPINGS) {
            assertTrue(page.contains("data-mapping=\"" + id + "\""), id + " listed: " + page);
        }
        String orders = row(page, "orders");
        assertTrue(Pattern.compile("class=\"lag-value\">\\d+ s<").matcher(orders).find(), "lag in seconds: " + orders);
        assertTrue(orders.contains("success"), "last run shown: " + orders);
        assertTrue(orders.contains("auto"), "mode shown: " + orders);
    }

    /** A mapping with schedule never has no next run: the pages say it runs when asked, not "in 26322 d". */
    @Test
    void shouldShowAMappingScheduledNeverAsManualOnly() {
        String list = row(asViewer().get("/console").then().statusCode(200).extract().asString(), "customers");
        assertTrue(list.contains("manual only") && !list.contains(" d<"), list);
        String page = asViewer().get("/console/mappings/customers").then().statusCode(200).extract().asString();
        String next = page.substring(page.indexOf("<dt>Next run</dt>"), page.indexOf("<dt>Parked conflicts</dt>"));
        assertTrue(next.contains("manual only") && !next.contains("—"), next);
        assertTrue(asViewer().get("/api/mappings/customers").then().statusCode(200).extract().path("nextRun") == null,
                "no job, no next run");
    }

    @Test
    void shouldAskForCredentialsOnEveryPage() {
        for (String path : List.of("/console", "/console/mappings/orders", "/console/mappings/orders/conflicts")) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", containsString("Basic"));
        }
    }

    @Test
    void shouldShowNoActionsToAViewerAndRefuseTheirPostWith403() {
        String page = asViewer().get("/console/mappings/customers").then().statusCode(200).extract().asString();
        assertFalse(page.contains("action-pause"), "no pause button for a viewer");
        assertTrue(page.contains("actions need role operator"), page);

        Csrf csrf = csrf(asViewer(), "/console/mappings/customers");
        String refused = post(asViewer(), csrf, "/console/mappings/customers/pause").then().statusCode(403)
                .contentType(ContentType.HTML).extract().asString();
        assertTrue(refused.contains("needs role operator"), "the API's problem detail on the page: " + refused);
        assertFalse(paused("customers"), "a viewer paused nothing");
    }

    @Test
    void shouldRefuseAnOperatorsPostWithoutTheCsrfToken() {
        Csrf csrf = csrf(asOperator(), "/console/mappings/customers");
        // no token and no cookie, as a cross-site form would send it
        asOperator().redirects().follow(false).contentType(ContentType.URLENC).formParam("x", "1")
                .post("/console/mappings/customers/pause").then().statusCode(400);
        // the cookie but no token in the form
        asOperator().redirects().follow(false).cookies(csrf.cookies()).contentType(ContentType.URLENC)
                .formParam("x", "1").post("/console/mappings/customers/pause").then().statusCode(400);
        // a token that is not the cookie's
        asOperator().redirects().follow(false).cookies(csrf.cookies()).contentType(ContentType.URLENC)
                .formParam(CSRF_FIELD, "A" + csrf.token().substring(1)).post("/console/mappings/customers/pause")
                .then().statusCode(400);
        // not a form at all: the actions take forms only
        asOperator().redirects().follow(false).contentType(ContentType.TEXT).body("x")
                .post("/console/mappings/customers/pause").then().statusCode(415);
        assertFalse(paused("customers"), "nothing paused without the token");
    }

    @Test
    void shouldPauseAndResumeWithTheTokenAndSayWhatHappened() {
        Csrf csrf = csrf(asOperator(), "/console/mappings/customers");
        post(asOperator(), csrf, "/console/mappings/customers/pause").then().statusCode(303)
                .header("Location", endsWith("/console/mappings/customers?done=paused"));
        assertTrue(paused("customers"), "paused through the API's own code");
        asOperator().get("/console/mappings/customers?done=paused").then().statusCode(200)
                .body(containsString("Paused: scheduled runs are skipped")).body(containsString("action-resume"));

        post(asOperator(), csrf, "/console/mappings/customers/resume").then().statusCode(303);
        assertFalse(paused("customers"), "resumed");
    }

    @Test
    void shouldResetOnlyWhenTheFormNamesTheMapping() {
        runAndWait("audited");
        Csrf csrf = csrf(asOperator(), "/console/mappings/audited");
        String refused = post(asOperator(), csrf, "/console/mappings/audited/reset", "confirm", "orders").then()
                .statusCode(400).extract().asString();
        assertTrue(refused.contains("type the mapping id audited to confirm"), refused);
        assertNotNull(asViewer().get("/api/mappings/audited").path("checkpoint"), "checkpoint kept");

        post(asOperator(), csrf, "/console/mappings/audited/reset", "confirm", "audited").then().statusCode(303);
        assertNull(asViewer().get("/api/mappings/audited").path("checkpoint"), "checkpoint deleted");
    }

    @Test
    void shouldShowTheApisProblemsOnThePage() {
        asViewer().get("/console/mappings/nope").then().statusCode(404).contentType(ContentType.HTML)
                .body(containsString("Unknown mapping")).body(containsString("orders"));
        Csrf csrf = csrf(asOperator(), "/console/mappings/orders");
        post(asOperator(), csrf, "/console/mappings/nope/pause").then().statusCode(404)
                .body(containsString("Unknown mapping"));
        asViewer().get("/console/mappings/orders/conflicts").then().statusCode(200)
                .body(containsString("No parked conflicts"));
    }

    @Test
    void shouldStartAVerifyFromThePageAndShowItsReportThere() {
        runAndWait("orders");
        Csrf csrf = csrf(asOperator(), "/console/mappings/orders");
        post(asOperator(), csrf, "/console/mappings/orders/verify", "repair", "true").then().statusCode(303)
                .header("Location", endsWith("/console/mappings/orders?done=verify-repair"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        String page;
        do {
            Console.sleep(200);
            page = asViewer().get("/console/mappings/orders").then().statusCode(200).extract().asString();
        } while (!page.contains("<td>verify+repair</td>") && System.nanoTime() < deadline);
        String reports = page.substring(page.indexOf("id=\"verifies\""));
        assertTrue(reports.contains("<td>verify+repair</td>"), "the report is listed: " + reports);
    }

    /**
     * The CSRF token is the console's: a script's form post to the API (curl -d '') needs none, a console form
     * post without it is refused (see above), and a browser's form post to the API, which could come from another
     * site with the browser's cached credentials, is refused whatever it carries.
     */
    @Test
    void shouldTakeAFormPostToTheApiWithoutTheTokenButNotFromABrowser() {
        asOperator().contentType(ContentType.URLENC).header("Origin", "http://elsewhere.example")
                .formParam("x", "1").post("/api/mappings/customers/pause").then().statusCode(403);
        assertFalse(paused("customers"), "the cross-site form paused nothing");

        asOperator().contentType(ContentType.URLENC).post("/api/mappings/customers/pause").then().statusCode(200);
        assertTrue(paused("customers"));
        asOperator().contentType(ContentType.URLENC).formParam("x", "1").post("/api/mappings/customers/resume")
                .then().statusCode(200);
        assertFalse(paused("customers"));
    }

    /**
     * Row values are the users' data: the page escapes them, so a value cannot add markup or script.
     * A real conflict, parked by mapping escaped after a hand edit on the target.
     */
    @Test
    void shouldEscapeParkedValuesAndShowResolveButtonsToOperatorsOnly() throws SQLException {
        runAndWait("escaped");
        parkByHand("escaped", "escaped_items", 1, "<script>alert(1)</script>", "x");
        String asViewer = asViewer().get("/console/mappings/escaped/conflicts").then().statusCode(200).extract()
                .asString();
        assertFalse(asViewer.contains("<script>alert(1)"), asViewer);
        assertTrue(asViewer.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), asViewer);
        assertFalse(RESOLVE_BUTTON.matcher(asViewer).find(), "no resolve buttons for a viewer");
        assertTrue(RESOLVE_BUTTON.matcher(asOperator().get("/console/mappings/escaped/conflicts").asString()).find());
        assertTrue(row(asViewer().get("/console").asString(), "escaped").matches("(?s).*\\d+ parked conflicts.*"),
                "the list counts them");
    }

    /**
     * The API's 409 on the page: the target row changed again after it was parked, so take-source is
     * refused, nothing is written, the row stays parked, and the page shows the row as it is now.
     */
    @Test
    void shouldRefuseAResolutionWhoseTargetRowChangedAndShowTheRowAsItIsNow() throws SQLException {
        runAndWait("escaped");
        parkByHand("escaped", "escaped_items", 2, "from the source", "edited once");
        String id = asViewer().get("/api/mappings/escaped/conflicts").jsonPath()
                .getString("conflicts.find { it.key.id == '2' }.id");
        Console.targetSql("UPDATE escaped_items SET name = 'edited twice' WHERE id = 2");
        Csrf csrf = csrf(asOperator(), "/console/mappings/escaped/conflicts");
        String page = post(asOperator(), csrf, "/console/mappings/escaped/conflicts/" + id + "/resolve", "action",
                "take-source").then().statusCode(409).contentType(ContentType.HTML).extract().asString();
        assertTrue(page.contains("Target row changed"), page);
        String now = page.substring(page.indexOf("id=\"target-now\""));
        assertTrue(now.contains("edited twice"), "the target row as it is now: " + now);
        assertEquals("edited twice", Console.targetName("escaped_items", 2), "nothing written");
        assertTrue(asViewer().get("/console/mappings/escaped/conflicts").asString().contains("id=\"conflict-" + id
                + "\""), "still parked");
    }

    /**
     * The decoy's source is unreachable with a recognisable password, so its error reaches the pages;
     * the other secrets are the console users' passwords, JDBC URLs and the word itself.
     */
    @Test
    void shouldNeverShowAPasswordOnAnyPage() {
        runAndWait("decoy");
        List<String> pages = new ArrayList<>();
        for (RequestSpecification user : List.of(asViewer(), asOperator())) {
            pages.add(user.get("/console").then().statusCode(200).extract().asString());
        }
        for (String id : ConsoleTestProfile.MAPPINGS) {
            pages.add(asOperator().get("/console/mappings/{id}", id).then().statusCode(200).extract().asString());
            pages.add(asViewer().get("/console/mappings/{id}/conflicts", id).then().statusCode(200).extract().asString());
        }
        pages.add(asViewer().get("/console/mappings/nope").then().statusCode(404).extract().asString());
        assertTrue(row(pages.get(0), "decoy").contains("failing"), "the decoy's failure is on the list");
        for (String page : pages) {
            String lower = page.toLowerCase(Locale.ROOT);
            for (String secret : List.of("jdbc:", "password", ConsoleTestProfile.DECOY_PASSWORD.toLowerCase(Locale.ROOT),
                    ConsoleTestProfile.OPERATOR_PASSWORD, ConsoleTestProfile.VIEWER_PASSWORD)) {
                assertFalse(lower.contains(secret), "'" + secret + "' in " + page);
            }
        }
    }

    private static io.restassured.response.Response post(RequestSpecification user, Csrf csrf, String path,
            String... fields) {
        RequestSpecification request = user.redirects().follow(false).cookies(csrf.cookies())
                .contentType(ContentType.URLENC).formParam(CSRF_FIELD, csrf.token());
        for (int i = 0; i + 1 < fields.length; i += 2) {
            request = request.formParam(fields[i], fields[i + 1]);
        }
        return request.post(path);
    }

    /** The list's table row of one mapping. */
    private static String row(String page, String id) {
        int start = page.indexOf("data-mapping=\"" + id + "\"");
        assertTrue(start >= 0, id + " not listed");
        int end = page.indexOf("</tr>", start);
        return page.substring(start, end);
    }

}
