package dev.tablesync.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A target whose server is down: readiness turns DOWN naming the connection (never its URL or
 * password), liveness stays UP (restarting the pod would not bring the database back).
 */
@QuarkusTest
@TestProfile(UnreachableStateStoreTest.Profile.class)
class UnreachableStateStoreTest {

    static final String DEAD_PASSWORD = "Dead-Target-Secret-41c";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tablesync.connections.dead.url", "jdbc:mysql://127.0.0.1:" + closedPort() + "/nowhere",
                    "tablesync.connections.dead.username", "nobody",
                    "tablesync.connections.dead.password", DEAD_PASSWORD,
                    "tablesync.mappings.orphan.source", "dead",
                    "tablesync.mappings.orphan.source-table", "orders",
                    "tablesync.mappings.orphan.target", "dead",
                    "tablesync.mappings.orphan.target-table", "orders_copy",
                    "tablesync.mappings.orphan.schedule", "1h",
                    "quarkus.http.test-port", "0",
                    "quarkus.management.test-port", "0");
        }

        /** A loopback port nobody listens on: connections are refused at once. */
        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @Test
    void shouldBeUnreadyNamingTheUnreachableConnection() {
        String state = "checks.find { it.name == '" + StateStoreReadinessCheck.NAME + "' }";
        given().get(health + "/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body(state + ".data.unreachable", equalTo("dead"))
                .body(state + ".data.stateStores", equalTo("dead"))
                .body(state + ".data.'error.dead'", not(emptyOrNullString()));
    }

    @Test
    void shouldStayLiveWhileTheDatabaseIsDown() {
        given().get(health + "/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldShowNeitherTheUrlNorThePassword() {
        for (String path : List.of("", "/ready")) {
            String body = given().get(health + path).asString();
            assertFalse(body.contains("jdbc:"), body);
            assertFalse(body.contains("nowhere"), body);
            assertFalse(body.contains(DEAD_PASSWORD), body);
        }
    }
}
