package dev.tablesync.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tablesync.testsupport.PackagedApp;
import dev.tablesync.testsupport.Promtool;

import dev.tablesync.health.TwoMappingsProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The live {@code /q/metrics} output passes {@code promtool check metrics} (Debian package
 * {@code prometheus}) as far as tablesync's own metrics go. Skipped without promtool on a developer
 * machine; fails without it in CI (environment variable {@code CI} set), so CI never skips silently.
 */
@QuarkusTest
@TestProfile(TwoMappingsProfile.class)
class PromtoolCheckTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeEach
    void onTheManagementPortTheApplicationListensOn() {
        metrics = PackagedApp.managementUrl(metrics);
    }

    @Test
    void shouldPassPromtoolForTablesyncMetrics() throws IOException, InterruptedException {
        Path promtool = Promtool.binary();
        Path scraped = Files.createTempFile("tablesync-metrics", ".txt");
        try {
            Files.writeString(scraped, given().accept("text/plain").get(metrics).asString());
            Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(scraped.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("promtool did not finish within 60s");
            }
            System.out.println("promtool check metrics (exit " + process.exitValue() + "):\n" + output);

            assertFalse(output.contains("error while linting"), "promtool cannot parse /q/metrics:\n" + output);
            List<String> ours = output.lines().filter(line -> line.startsWith("tablesync_")).toList();
            assertEquals(List.of(), ours, "promtool problems with tablesync metrics:\n" + output);
        } finally {
            Files.deleteIfExists(scraped);
        }
    }
}
