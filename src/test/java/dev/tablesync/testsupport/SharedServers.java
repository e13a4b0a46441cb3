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

    /**
     * Picks the local server regardless of Docker and installed binaries: {@code mariadb}, {@code mysql}, ...
     * Not {@code tablesync.test.server}: the service validates every property under {@code tablesync.}, so a
     * {@code @QuarkusTest} would refuse to start (SRCFG00050 ... does not map to any root).
     */
    static final String SERVER_PROPERTY = "tablesync-test.server";
    /** The same switch as an environment variable, for CI; the system property wins. */
    static final String SERVER_VARIABLE = "TABLESYNC_TEST_SERVER";
    static final String MYSQL = "mysql";
    static final String MARIADB = "mariadb";
    /** Joins two values into a mixed pair, source first: {@code mariadb-to-mysql}. */
    static final String PAIR_SEPARATOR = "-to-";

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
        Optional<String> requested = requestedServer(System.getProperty(SERVER_PROPERTY), env.get(SERVER_VARIABLE));
        if (requested.isPresent()) {
            return startLocal(requested.get());
        }
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
            return LocalBackend.start(binaries.get(), binaries.get(), "local mariadbd");
        }
        return startFallback();
    }

    /** The switch's value, from the system property or else the environment variable; blank means unset. */
    static Optional<String> requestedServer(String property, String variable) {
        String value = property != null && !property.isBlank() ? property : variable;
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim().toLowerCase());
    }

    /**
     * The local servers the switch names: one kind for both ({@code mysql} is the newest MySQL jar), or a mixed
     * pair {@code SOURCE-to-TARGET} of those kinds, e.g. {@code mariadb-to-mysql}.
     */
    static ServerPair startLocal(String requested) {
        int split = requested.indexOf(PAIR_SEPARATOR);
        if (split < 0) {
            Local both = local(requested);
            return LocalBackend.start(both.binaries(), both.binaries(), both.backendName());
        }
        Local source = local(requested.substring(0, split));
        Local target = local(requested.substring(split + PAIR_SEPARATOR.length()));
        return LocalBackend.start(source.binaries(), target.binaries(),
                source.backendName() + " to " + target.backendName());
    }

    private record Local(ServerBinaries binaries, String backendName) {
    }

    private static Local local(String requested) {
        if (requested.equals(MARIADB)) {
            MariadbBinaries binaries = MariadbBinaries.find().orElseThrow(() -> new IllegalStateException(
                    SERVER_PROPERTY + "=" + MARIADB + " but no mariadbd and mariadb-install-db were found on PATH"
                            + " or in /usr/sbin, /usr/bin — e.g. apt-get install mariadb-server-core"));
            return new Local(binaries, "local mariadbd");
        }
        MysqlJar jar = (requested.equals(MYSQL) ? Optional.of(MysqlJar.MYSQL_8_0_31) : MysqlJar.forSwitch(requested))
                .orElseThrow(() -> new IllegalStateException(SERVER_PROPERTY + " (or " + SERVER_VARIABLE + ") is '"
                        + requested + "'; use one of " + MARIADB + "|" + MYSQL + "|" + MysqlJar.switchValues()
                        + ", or a mixed pair SOURCE" + PAIR_SEPARATOR + "TARGET of them, e.g. " + MARIADB
                        + PAIR_SEPARATOR + MYSQL));
        return new Local(jar.binaries(), jar.backendName());
    }

    /** Nothing installed, no Docker: the MySQL that the test dependencies carry, so Java alone is enough. */
    private static ServerPair startFallback() {
        MysqlJar jar = MysqlJar.MYSQL_8_0_31;
        System.out.println("No external servers, Docker or mariadbd: using MySQL " + jar.version()
                + " from the Maven jar (" + SERVER_PROPERTY + "=" + MARIADB + "|" + MYSQL + " picks one)");
        try {
            MysqlBinaries binaries = jar.binaries();
            return LocalBackend.start(binaries, binaries, jar.backendName());
        } catch (RuntimeException e) {
            throw new IllegalStateException(NO_SERVER_MESSAGE + ". The MySQL fallback failed too: " + e.getMessage(), e);
        }
    }

    /** Asks the servers themselves, so the description also proves they are reachable; a mixed pair names both. */
    private static String describe(ServerPair pair) {
        JdbcTestServer source = pair.source();
        String servers = product(source);
        String target = product(pair.target());
        if (!target.equals(servers)) {
            servers = servers + " source, " + target + " target";
        }
        boolean binlog = "1".equals(source.queryString("SELECT @@log_bin"));
        return servers + " (" + pair.backend()
                + ", source " + endpoint(source) + (binlog ? " binlog on" : " binlog OFF")
                + ", target " + endpoint(pair.target()) + ")";
    }

    /** E.g. {@code MariaDB 10.11.6} or {@code MySQL 8.0.31}. */
    private static String product(JdbcTestServer server) {
        String version = server.version().split("-", 2)[0];
        return (server.flavor().equals(MARIADB) ? "MariaDB" : "MySQL") + " " + version;
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
