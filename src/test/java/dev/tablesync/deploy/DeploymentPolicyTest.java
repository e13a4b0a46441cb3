package dev.tablesync.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tablesync.config.TablesyncConfig;
import io.smallrye.config.WithDefault;

/**
 * What the manifests promise beyond their schema: two replicas probed on the management port, a
 * locked-down container, a grace period longer than the service's shutdown timeout, configuration
 * files where QUARKUS_CONFIG_LOCATIONS looks, and ports and selectors that find each other.
 */
class DeploymentPolicyTest {

    private final List<ObjectNode> base = Kustomize.render(Manifests.BASE);
    private final ObjectNode deployment = Manifests.only(base, "Deployment");
    private final JsonNode pod = deployment.at("/spec/template/spec");
    private final JsonNode container = pod.at("/containers/0");

    @Test
    void shouldRunTwoReplicasProbedOnTheManagementPort() {
        assertEquals(2, deployment.at("/spec/replicas").asInt());
        assertEquals(9000, containerPort(container, "management"));
        assertEquals(8080, containerPort(container, "http"));
        Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        probes.forEach((probe, path) -> {
            assertEquals(path, container.at("/" + probe + "/httpGet/path").asText(), probe);
            assertEquals("management", container.at("/" + probe + "/httpGet/port").asText(), probe);
        });
        assertEquals(0, deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt());
    }

    @Test
    void shouldLockDownThePodAndTheContainer() {
        for (JsonNode spec : List.of(pod, cronJobPod())) {
            JsonNode c = spec.at("/containers/0");
            assertFalse(spec.at("/automountServiceAccountToken").asBoolean(true));
            assertTrue(spec.at("/securityContext/runAsNonRoot").asBoolean());
            assertEquals("RuntimeDefault", spec.at("/securityContext/seccompProfile/type").asText());
            assertTrue(c.at("/securityContext/runAsNonRoot").asBoolean());
            assertTrue(c.at("/securityContext/readOnlyRootFilesystem").asBoolean());
            assertFalse(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
            assertEquals("[\"ALL\"]", c.at("/securityContext/capabilities/drop").toString());
            assertEquals("RuntimeDefault", c.at("/securityContext/seccompProfile/type").asText());
            assertEquals("tmp", mountAt(c, "/tmp"), "the only writable directory is an emptyDir at /tmp");
            assertTrue(volume(spec, "tmp").has("emptyDir"));
            assertFalse(c.at("/resources/requests/memory").isMissingNode());
            assertFalse(c.at("/resources/limits/memory").isMissingNode());
            assertFalse(c.at("/resources/limits/cpu").isMissingNode());
        }
        assertFalse(Manifests.only(base, "ServiceAccount").path("automountServiceAccountToken").asBoolean(true));
    }

    @Test
    void shouldGiveRunsTheirShutdownTimeoutBeforeTheKill() throws NoSuchMethodException {
        String timeout = TablesyncConfig.class.getMethod("shutdownTimeout").getAnnotation(WithDefault.class).value();
        Duration shutdown = Duration.parse("PT" + timeout.toUpperCase());
        long grace = pod.path("terminationGracePeriodSeconds").asLong();

        assertTrue(grace >= shutdown.toSeconds() + 5, "terminationGracePeriodSeconds " + grace
                + " leaves less than 5s beyond tablesync.shutdown-timeout " + timeout);
    }

    @Test
    void shouldReadConfigurationAndCredentialsFromTheMountedFiles() {
        ObjectNode secret = Kustomize.readAll(Manifests.SECRET_EXAMPLE).get(0);
        ObjectNode configMap = Manifests.only(base, "ConfigMap");
        for (JsonNode spec : List.of(pod, cronJobPod())) {
            JsonNode c = spec.at("/containers/0");
            String[] locations = env(c, "QUARKUS_CONFIG_LOCATIONS").split(",");
            assertEquals(2, locations.length);
            assertFileOf(spec, c, locations[0], "configMap", configMap);
            assertFileOf(spec, c, locations[1], "secret", secret);
        }
        assertEquals("true", env(cronJobPod().at("/containers/0"), "TABLESYNC_RUN_ONCE"));
    }

    @Test
    void shouldWireServiceMonitorServiceAndPodTogether() {
        Map<String, String> podLabels = labels(deployment.at("/spec/template/metadata/labels"));
        ObjectNode service = Manifests.only(base, "Service");
        assertTrue(podLabels.entrySet().containsAll(labels(service.at("/spec/selector")).entrySet()));
        assertTrue(podLabels.entrySet().containsAll(
                labels(Manifests.only(base, "PodDisruptionBudget").at("/spec/selector/matchLabels")).entrySet()));
        assertTrue(podLabels.entrySet().containsAll(
                labels(Manifests.only(base, "NetworkPolicy").at("/spec/podSelector/matchLabels")).entrySet()));

        ObjectNode monitor = Manifests.only(base, "ServiceMonitor");
        assertTrue(labels(service.at("/metadata/labels")).entrySet().containsAll(
                labels(monitor.at("/spec/selector/matchLabels")).entrySet()));
        String scraped = monitor.at("/spec/endpoints/0/port").asText();
        JsonNode servicePort = findByName(service.at("/spec/ports"), scraped);
        assertEquals(9000, containerPort(container, servicePort.path("targetPort").asText()));
        assertEquals("/q/metrics", monitor.at("/spec/endpoints/0/path").asText());

        // The run-once job's pods must not become endpoints of the Service.
        Map<String, String> jobLabels = labels(Manifests.only(Kustomize.render(Manifests.CRONJOB), "CronJob")
                .at("/spec/jobTemplate/spec/template/metadata/labels"));
        assertFalse(jobLabels.entrySet().containsAll(labels(service.at("/spec/selector")).entrySet()));
    }

    @Test
    void shouldLetInOnlyTheApiAndManagementPortsAndOutOnlyDnsAndDatabases() {
        JsonNode policy = Manifests.only(base, "NetworkPolicy").path("spec");
        assertEquals("[\"Ingress\",\"Egress\"]", policy.path("policyTypes").toString());
        assertEquals(Set.of(8080, 9000), ports(policy.path("ingress")));
        assertEquals(Set.of(53, 3306), ports(policy.path("egress")));

        JsonNode overlay = Manifests.only(Kustomize.render(Manifests.OVERLAY), "NetworkPolicy").path("spec");
        assertEquals("10.20.30.40/32", overlay.at("/egress/1/to/1/ipBlock/cidr").asText());
    }

    private JsonNode cronJobPod() {
        return Manifests.only(Kustomize.render(Manifests.CRONJOB), "CronJob").at("/spec/jobTemplate/spec/template/spec");
    }

    private static void assertFileOf(JsonNode spec, JsonNode c, String location, String type, ObjectNode source) {
        int slash = location.lastIndexOf('/');
        String volumeName = mountAt(c, location.substring(0, slash));
        JsonNode volume = volume(spec, volumeName).path(type);
        String name = type.equals("secret") ? volume.path("secretName").asText() : volume.path("name").asText();
        assertEquals(source.at("/metadata/name").asText(), name, location);
        JsonNode data = source.has("stringData") ? source.path("stringData") : source.path("data");
        assertTrue(data.has(location.substring(slash + 1)), location + " is not a key of " + name);
    }

    private static String env(JsonNode c, String name) {
        return findByName(c.path("env"), name).path("value").asText();
    }

    private static int containerPort(JsonNode c, String name) {
        return findByName(c.path("ports"), name).path("containerPort").asInt();
    }

    private static String mountAt(JsonNode c, String path) {
        for (JsonNode mount : c.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(path)) {
                return mount.path("name").asText();
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    private static JsonNode volume(JsonNode spec, String name) {
        return findByName(spec.path("volumes"), name);
    }

    private static JsonNode findByName(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no item named " + name + " in " + list);
    }

    private static Set<Integer> ports(JsonNode rules) {
        Set<Integer> ports = new HashSet<>();
        rules.forEach(rule -> rule.path("ports").forEach(p -> ports.add(p.path("port").asInt())));
        return ports;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(JsonNode node) {
        return new ObjectMapper().convertValue(node, Map.class);
    }
}
