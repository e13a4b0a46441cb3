package dev.tablesync.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParser;

import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;

/**
 * Checks a Kubernetes object against its API schema, strictly: an unknown field anywhere, a missing
 * required field or an unknown apiVersion/kind is a problem.
 *
 * <p>Built-in kinds use the models of the Kubernetes Java client ({@code io.kubernetes:client-java-api}
 * 24.0.0, Kubernetes 1.32), generated from the API's OpenAPI spec: their {@code validateJsonElement}
 * rejects fields the spec does not define and reports required ones that are missing, at every depth.
 * The prometheus-operator kinds use fabric8's {@code monitoring.coreos.com/v1} models: an object
 * that binds with no field left in an {@code additionalProperties} map has only known fields, with
 * the right shapes. Those models do not say which fields are required, so the CRDs' required fields
 * are listed here (ServiceMonitorSpec: selector, endpoints; RuleGroup: name; Rule: expr).
 */
final class ManifestSchemas {

    /** apiVersion/kind to the generated model that knows its schema. */
    private static final Map<String, Class<?>> BUILT_IN = Map.of(
            "v1/ServiceAccount", V1ServiceAccount.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "v1/Service", V1Service.class,
            "apps/v1/Deployment", V1Deployment.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class,
            "batch/v1/CronJob", V1CronJob.class);

    private static final Map<String, Class<?>> MONITORING = Map.of(
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestSchemas() {
    }

    /** The problems of one object; empty when it is valid. */
    static List<String> problems(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        List<String> problems = new ArrayList<>();
        if (object.path("metadata").path("name").asText().isEmpty()) {
            problems.add("metadata.name is required");
        }
        if (BUILT_IN.containsKey(type)) {
            builtIn(BUILT_IN.get(type), object).ifPresent(problems::add);
        } else if (MONITORING.containsKey(type)) {
            problems.addAll(monitoring(MONITORING.get(type), object));
        } else {
            problems.add("no schema for " + type + ": known are " + BUILT_IN.keySet() + " and " + MONITORING.keySet());
        }
        return problems.stream().map(p -> Kustomize.key(object) + ": " + p).toList();
    }

    private static Optional<String> builtIn(Class<?> model, JsonNode object) {
        try {
            Method validate = model.getMethod("validateJsonElement", com.google.gson.JsonElement.class);
            validate.invoke(null, JsonParser.parseString(object.toString()));
            return Optional.empty();
        } catch (InvocationTargetException e) {
            return Optional.of(String.valueOf(e.getCause().getMessage()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no validateJsonElement", e);
        }
    }

    private static List<String> monitoring(Class<?> model, JsonNode object) {
        List<String> problems = new ArrayList<>();
        try {
            unknownFields(JSON.treeToValue(object, model), "", problems);
        } catch (JsonMappingException e) {
            problems.add(e.getOriginalMessage() + " at " + e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining()));
        } catch (JsonProcessingException e) {
            problems.add(e.getOriginalMessage());
        }
        JsonNode spec = object.path("spec");
        if (model == ServiceMonitor.class) {
            required(spec, "spec", List.of("selector", "endpoints"), problems);
        } else {
            required(object, "", List.of("spec"), problems);
            for (JsonNode group : spec.path("groups")) {
                required(group, "spec.groups[" + group.path("name").asText() + "]", List.of("name"), problems);
                for (JsonNode rule : group.path("rules")) {
                    required(rule, "rule " + rule.path("alert").asText(rule.path("record").asText()), List.of("expr"),
                            problems);
                }
            }
        }
        return problems;
    }

    private static void required(JsonNode node, String where, List<String> fields, List<String> problems) {
        fields.stream().filter(f -> !node.hasNonNull(f))
                .forEach(f -> problems.add("the required field `" + f + "` is missing in " + where));
    }

    /** Walks the bound model: whatever landed in an additionalProperties map is a field the schema lacks. */
    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
        } else if (value != null && value.getClass().getName().startsWith("io.fabric8.")) {
            for (Method getter : value.getClass().getMethods()) {
                if (!isProperty(getter)) {
                    continue;
                }
                Object child = invoke(getter, value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    ((Map<?, ?>) child).keySet().forEach(k -> problems.add("the field `" + k + "` at " + path
                            + " is not defined in " + value.getClass().getSimpleName()));
                } else {
                    String name = getter.getName().substring(3);
                    unknownFields(child, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1),
                            problems);
                }
            }
        }
    }

    private static boolean isProperty(Method m) {
        return m.getName().startsWith("get") && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                && m.getDeclaringClass().getName().startsWith("io.fabric8.");
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getter + " failed", e);
        }
    }
}
