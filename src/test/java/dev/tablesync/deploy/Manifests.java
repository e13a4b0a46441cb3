package dev.tablesync.deploy;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where the delivery files live, relative to the project directory (Maven's working directory for tests). */
final class Manifests {

    static final Path BASE = Path.of("k8s", "base");
    static final Path OVERLAY = Path.of("k8s", "overlays", "example");
    static final Path CRONJOB = Path.of("k8s", "cronjob");
    static final Path SECRET_EXAMPLE = Path.of("k8s", "secret-example.yaml");
    static final Path DASHBOARD = Path.of("k8s", "grafana", "tablesync-dashboard.json");
    static final Path ALERT_TESTS = Path.of("k8s", "tests", "tablesync-alerts-test.yaml");

    /** Every kustomization under k8s/, each rendered on its own. */
    static final List<Path> KUSTOMIZATIONS = List.of(BASE, OVERLAY, CRONJOB);

    private Manifests() {
    }

    /** The one object of this kind, failing when there is none or several. */
    static ObjectNode only(List<ObjectNode> objects, String kind) {
        List<ObjectNode> found = objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size() + " in "
                    + objects.stream().map(Kustomize::key).toList());
        }
        return found.get(0);
    }
}
