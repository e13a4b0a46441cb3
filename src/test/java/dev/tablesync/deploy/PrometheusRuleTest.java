package dev.tablesync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tablesync.testsupport.Promtool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The PrometheusRule's rules pass {@code promtool check rules}, and its alerts pass the PromQL unit
 * tests of {@code k8s/tests/tablesync-alerts-test.yaml} ({@code promtool test rules}), among them
 * the lag alert firing and resolving. promtool comes from the Debian package {@code prometheus}:
 * skipped without it on a developer machine, failing without it in CI (environment variable CI set).
 */
class PrometheusRuleTest {

    static final Path DIR = Path.of("target", "promtool");
    static final Path RULES = DIR.resolve("tablesync-rules.yaml");

    @BeforeAll
    static void writeTheRulesNextToTheTests() throws IOException {
        Files.createDirectories(DIR);
        JsonNode rule = Manifests.only(Kustomize.render(Manifests.BASE), "PrometheusRule");
        Kustomize.YAML.writeValue(RULES.toFile(), rule.path("spec"));
        Files.copy(Manifests.ALERT_TESTS, DIR.resolve(Manifests.ALERT_TESTS.getFileName()),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void shouldPassPromtoolCheckRules() throws IOException, InterruptedException {
        String output = promtool("check", "rules", RULES.getFileName().toString());

        assertTrue(output.contains("SUCCESS: 6 rules found"), output);
    }

    @Test
    void shouldPassTheAlertUnitTests() throws IOException, InterruptedException {
        String output = promtool("test", "rules", Manifests.ALERT_TESTS.getFileName().toString());

        assertTrue(output.contains("SUCCESS"), output);
    }

    @Test
    void shouldTestTheLagAlertFiringAndThenResolving() throws IOException {
        List<Boolean> firing = new ArrayList<>();
        for (JsonNode test : Kustomize.YAML.readTree(Manifests.ALERT_TESTS.toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (check.path("alertname").asText().equals("TablesyncMappingLagHigh")) {
                    firing.add(!check.path("exp_alerts").isEmpty());
                }
            }
        }
        int fired = firing.indexOf(true);
        assertTrue(fired >= 0 && firing.subList(fired, firing.size()).contains(false),
                "the lag alert must be tested firing, then resolved: " + firing);
    }

    /** Runs promtool in {@link #DIR}; fails the test on a non-zero exit, printing what promtool said. */
    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Promtool.binary().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool did not finish within 60s");
        }
        System.out.println("promtool " + String.join(" ", args) + " (exit " + process.exitValue() + "):\n" + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
