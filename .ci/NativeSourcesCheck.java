import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks what Quarkus generated for the native image in target/native-sources (built by
 * {@code ./mvnw package -Dnative-sources}, no GraalVM needed): the reflection, resource and proxy
 * configuration that native-image would get. Run by .ci/native-check with the generated lib/ on
 * the class path (for Jackson):
 *
 * <pre>java -cp 'target/native-sources/lib/*' .ci/NativeSourcesCheck.java target/native-sources src/main/resources</pre>
 *
 * Prints one line per check and "N passed, M failed"; exits 1 when a check failed.
 */
public class NativeSourcesCheck {

    private static final String API_PACKAGE = "dev/tablesync/api/";
    private static final String CONFIG_SERVICES = "META-INF/services/io.smallrye.config.";
    private static final String ALL = "allDeclaredConstructors,allDeclaredMethods,allDeclaredFields";

    private final List<String> failures = new ArrayList<>();
    private int passed;

    public static void main(String[] args) throws Exception {
        Path sources = Path.of(args[0]);
        Path resources = Path.of(args[1]);
        NativeSourcesCheck check = new NativeSourcesCheck();
        check.run(sources, resources);
        System.out.println("native-sources check: " + check.passed + " passed, " + check.failures.size() + " failed");
        check.failures.forEach(f -> System.out.println("FAILED: " + f));
        System.exit(check.failures.isEmpty() ? 0 : 1);
    }

    private void run(Path sources, Path resources) throws Exception {
        String args = Files.readString(sources.resolve("native-image.args"));
        expect(args.contains("--no-fallback"), "native-image.args has --no-fallback (no JVM fallback image)");
        Path runner;
        try (Stream<Path> files = Files.list(sources)) {
            runner = files.filter(f -> f.toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar in " + sources));
        }
        try (JarFile jar = new JarFile(runner.toFile())) {
            Map<String, JsonNode> reflection = byName(read(jar, "META-INF/native-image/reflect-config.json"));
            String resourceConfig = read(jar, "META-INF/native-image/resource-config.json").toString();
            String proxyConfig = read(jar, "META-INF/native-image/proxy-config.json").toString();
            System.out.println("reflection entries: " + reflection.size());

            for (String record : apiRecords(jar, runner, sources)) {
                expectFlags(reflection, record, ALL, "API body " + record + " (Jackson reads its accessors)");
            }
            expectFlags(reflection, "com.mysql.cj.jdbc.Driver", "allDeclaredConstructors",
                    "JDBC driver instantiated by Agroal from DataSources' connectionProviderClass");
            for (String type : List.of("TablesyncConfig", "TablesyncConfig$ConnectionConfig",
                    "TablesyncConfig$MappingConfig", "TablesyncConfig$Retry")) {
                expectFlags(reflection, "dev.tablesync.config." + type + "$$CMImpl", "allDeclaredConstructors",
                        "config mapping implementation of " + type);
            }
            for (String type : List.of("Mode", "ConflictPolicy")) {
                expectFlags(reflection, "dev.tablesync.config." + type, "allDeclaredMethods",
                        "enum converted from configuration: " + type);
            }
            for (String resource : List.of("com/mysql/cj/util/TimeZoneMapping.properties",
                    "META-INF/quarkus-generated-openapi-doc.JSON")) {
                expect(resourceConfig.contains(resource), "resource included: " + resource);
            }
            expect(proxyConfig.contains("java.sql.Connection"), "JDBC connection proxies registered");
            expectOwnResourcesIncluded(jar, resources, resourceConfig);
        }
    }

    /** Every record of the API package: the REST layer serialises them, nested and in lists. */
    private List<String> apiRecords(JarFile jar, Path runner, Path sources) throws Exception {
        List<URL> urls = new ArrayList<>(List.of(runner.toUri().toURL()));
        try (Stream<Path> libs = Files.list(sources.resolve("lib"))) {
            for (Path lib : libs.toList()) {
                urls.add(lib.toUri().toURL());
            }
        }
        List<String> records = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null)) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String n = e.getName();
                if (n.startsWith(API_PACKAGE) && n.endsWith(".class") && n.indexOf('/', API_PACKAGE.length()) < 0) {
                    String name = n.substring(0, n.length() - ".class".length()).replace('/', '.');
                    if (Class.forName(name, false, loader).isRecord()) {
                        records.add(name);
                    }
                }
            }
        }
        expect(records.size() >= 7, "found the API records (" + records.size() + ")");
        Collections.sort(records);
        return records;
    }

    /**
     * Files the application reads from its own class path at run time must be in the image. Config
     * customizers named in META-INF/services are the exception: Quarkus finds them at build time and
     * instantiates them from its generated config classes, which must name each of them.
     */
    private void expectOwnResourcesIncluded(JarFile jar, Path resources, String resourceConfig) throws IOException {
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = resources.relativize(f).toString().replace('\\', '/');
                if (rel.startsWith(CONFIG_SERVICES)) {
                    expectConfigServicesBuiltIn(jar, f);
                } else if (!rel.equals("application.properties")) {
                    expect(resourceConfig.contains(rel), "own resource included: " + rel);
                }
            }
        }
    }

    private void expectConfigServicesBuiltIn(JarFile jar, Path services) throws IOException {
        String generated = new String(readBytes(jar, "io/quarkus/runtime/generated/RunTimeConfig.class"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String line : Files.readAllLines(services)) {
            String type = line.replaceAll("#.*", "").trim();
            if (!type.isEmpty()) {
                expect(generated.contains(type.replace('.', '/')), "config customizer built into the runtime config: "
                        + type);
            }
        }
    }

    private static byte[] readBytes(JarFile jar, String entry) throws IOException {
        JarEntry e = jar.getJarEntry(entry);
        if (e == null) {
            throw new IllegalStateException(entry + " missing in " + jar.getName());
        }
        try (InputStream in = jar.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private void expectFlags(Map<String, JsonNode> reflection, String type, String flags, String what) {
        JsonNode entry = reflection.get(type);
        boolean ok = entry != null;
        for (String flag : flags.split(",")) {
            ok &= entry != null && entry.path(flag).asBoolean(false);
        }
        expect(ok, what + " [" + type + ": " + flags + "]" + (entry == null ? " missing" : ""));
    }

    private void expect(boolean ok, String what) {
        System.out.println((ok ? "ok      " : "MISSING ") + what);
        if (ok) {
            passed++;
        } else {
            failures.add(what);
        }
    }

    /** Entries of one class may be split over several objects; their flags add up. */
    private static Map<String, JsonNode> byName(JsonNode entries) {
        Map<String, JsonNode> result = new TreeMap<>();
        for (JsonNode e : entries) {
            String name = e.path("name").asText();
            JsonNode known = result.get(name);
            if (known == null) {
                result.put(name, e.deepCopy());
            } else {
                for (Map.Entry<String, JsonNode> f : e.properties()) {
                    if (f.getValue().asBoolean(false)) {
                        ((ObjectNode) known).put(f.getKey(), true);
                    }
                }
            }
        }
        return result;
    }

    private static JsonNode read(JarFile jar, String entry) throws IOException {
        JarEntry e = jar.getJarEntry(entry);
        if (e == null) {
            throw new IllegalStateException(entry + " missing in " + jar.getName());
        }
        try (InputStream in = jar.getInputStream(e)) {
            return new ObjectMapper().readTree(in);
        }
    }
}
