package dev.tablesync.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders the kustomizations under {@code k8s/} the way {@code kubectl kustomize} does, for the
 * features they use: {@code resources} (files and directories), {@code namespace}, {@code images}
 * and JSON 6902 {@code patches} with a kind/name target. Any other kustomization field fails the
 * render, so a manifest change this class does not understand cannot pass unchecked.
 * {@link KustomizeRenderTest} proves the output equals kubectl's wherever kubectl is installed;
 * elsewhere (a CI machine with Java only) this is what the schema tests validate.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "namespace", "images",
            "patches");

    private Kustomize() {
    }

    /** The objects of the kustomization in {@code dir}, sorted by kind, namespace and name. */
    static List<ObjectNode> render(Path dir) {
        List<ObjectNode> objects = renderUnsorted(dir);
        objects.sort(Comparator.comparing(Kustomize::key));
        return objects;
    }

    /** "Kind/namespace/name", as objects are told apart in a rendered list. */
    static String key(JsonNode object) {
        JsonNode meta = object.path("metadata");
        return object.path("kind").asText() + "/" + meta.path("namespace").asText("") + "/" + meta.path("name").asText();
    }

    /** Every YAML document of a file, empty documents left out. */
    static List<ObjectNode> readAll(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            List<ObjectNode> objects = new ArrayList<>();
            for (JsonNode doc : docs.readAll()) {
                if (doc instanceof ObjectNode object) {
                    objects.add(object);
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<ObjectNode> renderUnsorted(Path dir) {
        ObjectNode k = readAll(dir.resolve("kustomization.yaml")).get(0);
        k.fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalArgumentException(dir + "/kustomization.yaml: field '" + field
                        + "' is not supported by this renderer; extend Kustomize or use one of " + SUPPORTED);
            }
        });
        List<ObjectNode> objects = new ArrayList<>();
        for (JsonNode resource : k.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            objects.addAll(Files.isDirectory(path) ? renderUnsorted(path) : readAll(path));
        }
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, patch, objects);
        }
        if (k.hasNonNull("namespace")) {
            objects.forEach(o -> o.withObjectProperty("metadata").put("namespace", k.get("namespace").asText()));
        }
        for (JsonNode image : k.path("images")) {
            objects.forEach(o -> setImage(o, image));
        }
        return objects;
    }

    private static void applyPatch(Path dir, JsonNode patch, List<ObjectNode> objects) {
        JsonNode ops;
        try {
            ops = patch.has("path") ? YAML.readTree(dir.resolve(patch.get("path").asText()).toFile())
                    : YAML.readTree(patch.path("patch").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read patch " + patch + " of " + dir, e);
        }
        if (!ops.isArray()) {
            throw new IllegalArgumentException(dir + ": only JSON 6902 patches (a list of operations) are supported: "
                    + patch);
        }
        String kind = patch.path("target").path("kind").asText();
        String name = patch.path("target").path("name").asText();
        List<ObjectNode> targets = objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                && o.path("metadata").path("name").asText().equals(name)).toList();
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(dir + ": patch target " + kind + "/" + name + " not found");
        }
        targets.forEach(target -> ops.forEach(op -> JsonPatch.apply(target, op)));
    }

    private static void setImage(JsonNode node, JsonNode image) {
        if (node.isArray()) {
            node.forEach(child -> setImage(child, image));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : node.path(list)) {
                String current = container.path("image").asText();
                if (!current.isEmpty() && imageName(current).equals(image.path("name").asText())) {
                    String name = image.path("newName").asText(imageName(current));
                    String tag = image.has("newTag") ? ":" + image.get("newTag").asText() : imageTag(current);
                    ((ObjectNode) container).put("image", name + tag);
                }
            }
        }
        node.forEach(child -> setImage(child, image));
    }

    private static String imageName(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private static String imageTag(String image) {
        return image.substring(imageName(image).length());
    }

    /** The operations of RFC 6902 that the overlays use: add, replace and remove. */
    private static final class JsonPatch {

        static void apply(ObjectNode target, JsonNode op) {
            String path = op.path("path").asText();
            int slash = path.lastIndexOf('/');
            JsonNode parent = target.at(path.substring(0, slash));
            String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            String kind = op.path("op").asText();
            if (parent.isMissingNode() || !(kind.equals("add") || parent.has(last) || parent.has(index(last)))) {
                throw new IllegalArgumentException("patch " + op + ": path " + path + " not found in " + key(target));
            }
            if (parent instanceof ObjectNode object) {
                switch (kind) {
                    case "add", "replace" -> object.set(last, op.get("value"));
                    case "remove" -> object.remove(last);
                    default -> throw new IllegalArgumentException("patch operation not supported: " + op);
                }
            } else if (parent instanceof ArrayNode array) {
                int i = last.equals("-") ? array.size() : index(last);
                switch (kind) {
                    case "add" -> array.insert(i, op.get("value"));
                    case "replace" -> array.set(i, op.get("value"));
                    case "remove" -> array.remove(i);
                    default -> throw new IllegalArgumentException("patch operation not supported: " + op);
                }
            }
        }

        private static int index(String token) {
            return token.chars().allMatch(Character::isDigit) && !token.isEmpty() ? Integer.parseInt(token) : -1;
        }
    }
}
