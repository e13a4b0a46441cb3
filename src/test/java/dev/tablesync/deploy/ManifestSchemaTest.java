package dev.tablesync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every object under {@code k8s/} passes a strict check against its Kubernetes API schema (see
 * {@link ManifestSchemas}), and the check does reject unknown fields, missing required fields and
 * unknown kinds, in built-in and prometheus-operator objects alike.
 */
class ManifestSchemaTest {

    @Test
    void shouldRenderAndValidateEveryObjectOfTheBase() {
        List<ObjectNode> objects = Kustomize.render(Manifests.BASE);

        assertEquals(Set.of("ServiceAccount", "ConfigMap", "Deployment", "Service", "PodDisruptionBudget",
                "NetworkPolicy", "ServiceMonitor", "PrometheusRule"), kinds(objects));
        assertValid(objects);
    }

    @Test
    void shouldRenderAndValidateEveryObjectOfTheExampleOverlay() {
        List<ObjectNode> objects = Kustomize.render(Manifests.OVERLAY);

        assertEquals(kinds(Kustomize.render(Manifests.BASE)), kinds(objects));
        assertValid(objects);
    }

    @Test
    void shouldRenderAndValidateTheRunOnceCronJob() {
        List<ObjectNode> objects = Kustomize.render(Manifests.CRONJOB);

        assertEquals(Set.of("CronJob"), kinds(objects));
        assertValid(objects);
    }

    @Test
    void shouldValidateTheSecretExample() {
        List<ObjectNode> objects = Kustomize.readAll(Manifests.SECRET_EXAMPLE);

        assertEquals(Set.of("Secret"), kinds(objects));
        assertValid(objects);
    }

    @Test
    void shouldRejectTheDeliberatelyBrokenManifest() {
        ObjectNode broken = Kustomize.readAll(Path.of("src/test/resources/deploy/broken-deployment.yaml")).get(0);

        assertProblem(broken, "The field `replica` in the JSON string is not defined in the `V1DeploymentSpec` properties");
    }

    @Test
    void shouldRejectAnUnknownFieldDeepInThePodTemplate() {
        ObjectNode deployment = Manifests.only(Kustomize.render(Manifests.BASE), "Deployment");
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0/securityContext")).put("runAsNonRot", true);

        assertProblem(deployment, "The field `runAsNonRot` in the JSON string is not defined in the `V1SecurityContext`");
    }

    @Test
    void shouldRejectAMissingRequiredField() {
        ObjectNode deployment = Manifests.only(Kustomize.render(Manifests.BASE), "Deployment");
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).remove("name");

        assertProblem(deployment, "The required field `name` is not found");
    }

    @Test
    void shouldRejectAnUnknownApiVersion() {
        ObjectNode pdb = Manifests.only(Kustomize.render(Manifests.BASE), "PodDisruptionBudget");
        pdb.put("apiVersion", "policy/v1beta1");

        assertProblem(pdb, "no schema for policy/v1beta1/PodDisruptionBudget");
    }

    @Test
    void shouldRejectAnUnknownFieldInTheServiceMonitor() {
        ObjectNode monitor = Manifests.only(Kustomize.render(Manifests.BASE), "ServiceMonitor");
        ((ObjectNode) monitor.at("/spec/endpoints/0")).put("intervall", "30s");

        assertProblem(monitor, "the field `intervall` at .spec.endpoints[0] is not defined in Endpoint");
    }

    @Test
    void shouldRejectAServiceMonitorWithoutEndpoints() {
        ObjectNode monitor = Manifests.only(Kustomize.render(Manifests.BASE), "ServiceMonitor");
        ((ObjectNode) monitor.at("/spec")).remove("endpoints");

        assertProblem(monitor, "the required field `endpoints` is missing in spec");
    }

    @Test
    void shouldRejectAnAlertWithoutExpressionOrWithAMisspelledField() {
        ObjectNode rule = Manifests.only(Kustomize.render(Manifests.BASE), "PrometheusRule");
        ObjectNode first = (ObjectNode) rule.at("/spec/groups/0/rules/0");
        first.set("expression", first.remove("expr"));

        List<String> problems = ManifestSchemas.problems(rule);
        assertTrue(problems.stream().anyMatch(p -> p.contains("the field `expression` at .spec.groups[0].rules[0]")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("the required field `expr` is missing in rule "
                + first.path("alert").asText())), problems.toString());
    }

    @Test
    void shouldRejectAWrongShapeInAPrometheusRule() {
        ObjectNode rule = Manifests.only(Kustomize.render(Manifests.BASE), "PrometheusRule");
        ArrayNode rules = (ArrayNode) rule.at("/spec/groups/0/rules");
        rules.addObject().putArray("labels").add("severity");

        assertProblem(rule, "from Array value (token `JsonToken.START_ARRAY`) at .spec.groups[0].rules["
                + (rules.size() - 1) + "].labels");
    }

    private static void assertValid(List<ObjectNode> objects) {
        List<String> problems = objects.stream().flatMap(o -> ManifestSchemas.problems(o).stream()).toList();
        assertEquals(List.of(), problems);
        System.out.println("valid: " + objects.stream().map(Kustomize::key).toList());
    }

    private static void assertProblem(ObjectNode object, String expected) {
        List<String> problems = ManifestSchemas.problems(object);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected '" + expected + "' in " + problems);
    }

    private static Set<String> kinds(List<ObjectNode> objects) {
        Set<String> kinds = new TreeSet<>();
        objects.forEach(o -> kinds.add(o.path("kind").asText()));
        return kinds;
    }
}
