package dev.tablesync.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the servers once per JVM, even though tests run in several class loaders.
 *
 * <p>{@code @QuarkusTest} classes (and their test resources) live in a Quarkus class loader, one per application
 * start, while plain JUnit tests live in the system class loader; each loader has its own copy of every static
 * field. A plain static singleton would therefore start a new pair of servers per Quarkus application. Instead
 * the copy of this class in the system class loader owns the servers, and every other copy asks it for a
 * description made only of JDK types (strings, numbers, {@link Runnable}s), which every loader can use.
 */
final class SharedServers {

    static final String NO_SERVER_MESSAGE = "No database server for tests: set " + ExternalBackend.SOURCE_URL + "/"
            + ExternalBackend.TARGET_URL + ", start Docker (Testcontainers uses " + ContainerBackend.DEFAULT_IMAGE
            + "), or install MariaDB server binaries (mariadbd, mariadb-install-db)"
            + " — e.g. apt-get install mariadb-server";

    static final String DESCRIPTION = "description";
    static final String SOURCE = "source";
    static final String TARGET = "target";

    private static Map<String, Object> state;
    private static RuntimeException failure;

    private SharedServers() {
    }

    /** The JVM-wide state, obtained from the system class loader's copy of this class when there is one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> jvmWideState() {
        Class<?> owner = systemLoaderCopy();
        if (owner == SharedServers.class) {
            return state();
        }
        try {
            Method method = owner.getDeclaredMethod("state");
            method.setAccessible(true);
            return (Map<String, Object>) method.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot reach the shared test servers", e);
        }
    }

    private static Class<?> systemLoaderCopy() {
        try {
            return Class.forName(SharedServers.class.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            return SharedServers.class; // test classes are not on the system class path: this copy is the only one
        }
    }

    /**
     * Starts the servers on the first call. A failure is remembered and rethrown, so a broken environment costs
     * one attempt per JVM rather than one per test class.
     */
    private static synchronized Map<String, Object> state() {
        if (state != null) {
            return state;
        }
        if (failure != null) {
            throw new IllegalStateException(
                    "Database servers for tests failed to start earlier in this JVM: " + failure.getMessage(), failure);
        }
        Thread thread = Thread.currentThread();
        ClassLoader callerLoader = thread.getContextClassLoader();
        // Testcontainers and JDBC find their plug-ins through the context class loader; a Quarkus one would hand
        // them classes that are not subtypes of the ones loaded here.
        thread.setContextClassLoader(SharedServers.class.getClassLoader());
        try {
            state = start();
            return state;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            thread.setContextClassLoader(callerLoader);
        }
    }

    private static Map<String, Object> start() {
        ServerPair pair = startBackend(System.getenv());
        Thread hook = new Thread(pair.shutdown(), "tablesync-test-servers-shutdown");
        hook.setContextClassLoader(SharedServers.class.getClassLoader());
        Runtime.getRuntime().addShutdownHook(hook);
        String description;
        try {
            description = describe(pair);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Test database servers (" + pair.backend() + ": " + pair.source().address()
                    + ", " + pair.target().address() + ") are not usable: " + e.getMessage(), e);
        }
        System.out.println("Test database servers: " + description);
        return Map.of(DESCRIPTION, description, SOURCE, export(pair.source()), TARGET, export(pair.target()));
    }

    private static ServerPair startBackend(Map<String, String> env) {
        Optional<ServerPair> external = ExternalBackend.fromEnvironment(env);
        if (external.isPresent()) {
            return external.get();
        }
        String image = env.get(ContainerBackend.IMAGE_VARIABLE);
        if (ContainerBackend.dockerAvailable()) {
            return ContainerBackend.start(ContainerBackend.image(image));
        }
        if (image != null && !image.isBlank()) {
            System.out.println(ContainerBackend.IMAGE_VARIABLE + "=" + image
                    + " is ignored: Testcontainers found no Docker environment");
        }
        Optional<MariadbBinaries> binaries = MariadbBinaries.find();
        if (binaries.isPresent()) {
            return LocalMariadbBackend.start(binaries.get());
        }
        throw new IllegalStateException(NO_SERVER_MESSAGE);
    }

    /** Asks the servers themselves, so the description also proves they are reachable. */
    private static String describe(ServerPair pair) {
        JdbcTestServer source = pair.source();
        String version = source.version().split("-", 2)[0];
        String flavor = pair.backend().contains(source.flavor()) ? "" : source.flavor() + " ";
        boolean binlog = "1".equals(source.queryString("SELECT @@log_bin"));
        return pair.backend() + " " + flavor + version
                + " (source " + endpoint(source) + (binlog ? " binlog on" : " binlog OFF")
                + ", target " + endpoint(pair.target()) + ")";
    }

    private static String endpoint(TestServer server) {
        boolean loopback = server.host().equals("127.0.0.1") || server.host().equals("localhost");
        return (loopback ? "" : server.host()) + ":" + server.port();
    }

    private static Map<String, Object> export(TestServer server) {
        Map<String, Object> exported = new HashMap<>(Map.of(
                "host", server.host(),
                "port", server.port(),
                "username", server.username(),
                "password", server.password()));
        if (server.restartable()) {
            exported.put("stop", (Runnable) server::stop);
            exported.put("kill", (Runnable) server::kill);
            exported.put("start", (Runnable) server::start);
        }
        return Map.copyOf(exported);
    }

    /** Rebuilds a server, in the caller's class loader, from what {@link #export} produced in the owner's. */
    static JdbcTestServer restore(Object exported) {
        Map<?, ?> map = (Map<?, ?>) exported;
        JdbcTestServer.Controls controls = map.containsKey("start")
                ? new JdbcTestServer.Controls(
                        (Runnable) map.get("stop"), (Runnable) map.get("kill"), (Runnable) map.get("start"))
                : null;
        return new JdbcTestServer((String) map.get("host"), (Integer) map.get("port"),
                (String) map.get("username"), (String) map.get("password"), controls);
    }
}
