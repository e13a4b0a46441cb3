package dev.tablesync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Java renderer ({@link Kustomize}) that the schema tests rely on produces exactly what
 * {@code kubectl kustomize} produces for every kustomization under {@code k8s/}. Skipped where kubectl
 * is not installed: the schema tests still run there, on the Java rendering.
 */
class KustomizeRenderTest {

    @Test
    void shouldRenderEveryKustomizationLikeKubectl() throws IOException, InterruptedException {
        Path kubectl = kubectl();
        for (Path dir : Manifests.KUSTOMIZATIONS) {
            List<ObjectNode> expected = kubectlKustomize(kubectl, dir);
            System.out.println("kubectl kustomize " + dir + ": " + expected.stream().map(Kustomize::key).toList());
            assertEquals(expected, Kustomize.render(dir), "Java rendering differs from kubectl kustomize " + dir);
        }
    }

    @Test
    void shouldRenderTheExampleOverlayIntoItsNamespaceWithItsImage() {
        List<ObjectNode> objects = Kustomize.render(Manifests.OVERLAY);

        assertTrue(objects.stream().allMatch(o -> o.at("/metadata/namespace").asText().equals("tablesync")),
                objects.toString());
        assertEquals("registry.example.com/tablesync:1.0", Manifests.only(objects, "Deployment")
                .at("/spec/template/spec/containers/0/image").asText());
        assertEquals("kube-prometheus-stack", Manifests.only(objects, "ServiceMonitor")
                .at("/metadata/labels/release").asText());
    }

    @Test
    void shouldRefuseAKustomizationFieldItCannotRender(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: []\nnamePrefix: staging-\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir));
        assertTrue(e.getMessage().contains("'namePrefix' is not supported"), e.getMessage());
    }

    @Test
    void shouldRefuseAPatchWhoseTargetDoesNotExist(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources: []
                patches:
                  - patch: '[{"op": "replace", "path": "/spec/replicas", "value": 3}]'
                    target: {kind: Deployment, name: tablesync}
                """);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kustomize.render(dir));
        assertTrue(e.getMessage().contains("patch target Deployment/tablesync not found"), e.getMessage());
    }

    private static List<ObjectNode> kubectlKustomize(Path kubectl, Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).start();
        String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish within 60s");
        assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + " failed:\n" + errors);
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = Kustomize.YAML.readerFor(JsonNode.class).readValues(yaml)) {
            docs.readAll().stream().filter(ObjectNode.class::isInstance).map(ObjectNode.class::cast)
                    .forEach(objects::add);
        }
        objects.sort(Comparator.comparing(Kustomize::key));
        return objects;
    }

    private static Path kubectl() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(found.isPresent(),
                "kubectl is not on PATH: the comparison with kubectl kustomize is skipped (the Java rendering is still validated)");
        return found.get();
    }
}
