package dev.tablesync.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Starts source and target in Docker containers, for machines that have Docker but no MariaDB binaries, and to
 * test against images such as mysql:8.4 that no local backend offers.
 */
final class ContainerBackend {

    static final String IMAGE_VARIABLE = "TABLESYNC_TEST_IMAGE";
    static final String DEFAULT_IMAGE = "mysql:8.4";
    private static final int MYSQL_PORT = 3306;
    private static final Duration STARTUP = Duration.ofMinutes(3);

    private ContainerBackend() {
    }

    /**
     * Never throws: a machine without Docker (or without a usable Testcontainers setup) simply has no Docker.
     * Testcontainers' own logging is muted meanwhile, because "no Docker" is a normal outcome here and its
     * ERROR-level report would send whoever reads the test output on a false trail.
     */
    static boolean dockerAvailable() {
        Logger logger = Logger.getLogger("org.testcontainers");
        Level previous = logger.getLevel();
        logger.setLevel(Level.OFF);
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            return false;
        } finally {
            logger.setLevel(previous);
        }
    }

    /** The image from {@value #IMAGE_VARIABLE}, or {@value #DEFAULT_IMAGE}. */
    static String image(String fromEnvironment) {
        return fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_IMAGE : fromEnvironment.trim();
    }

    /** Starts both containers in parallel; stops whichever started if the other fails. */
    static ServerPair start(String image) {
        GenericContainer<?> source = container(image, true);
        GenericContainer<?> target = container(image, false);
        Runnable shutdown = () -> InParallel.run(source::stop, target::stop);
        try {
            InParallel.run(source::start, target::start);
            JdbcTestServer sourceServer = awaitReady(source);
            JdbcTestServer targetServer = awaitReady(target);
            return new ServerPair("testcontainers " + image, sourceServer, targetServer, shutdown);
        } catch (RuntimeException e) {
            stopQuietly(shutdown, e);
            throw e;
        }
    }

    private static GenericContainer<?> container(String image, boolean source) {
        DockerImageName name = DockerImageName.parse(image);
        List<String> args = serverArguments(isMariadb(name), source);
        if (isMariadb(name)) {
            return new GenericContainer<>(name)
                    .withExposedPorts(MYSQL_PORT)
                    .withEnv("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1")
                    .withCommand(args.toArray(String[]::new))
                    .withStartupTimeout(STARTUP);
        }
        return new MySQLContainer(name.asCompatibleSubstituteFor("mysql"))
                .withUsername("root")
                .withPassword("")
                .withCommand(args.toArray(String[]::new))
                .withStartupTimeout(STARTUP);
    }

    private static boolean isMariadb(DockerImageName name) {
        return name.getRepository().contains("mariadb");
    }

    /** Same settings as the local backend; MySQL 8 already logs binlog in ROW format, MariaDB needs --log-bin. */
    private static List<String> serverArguments(boolean mariadb, boolean source) {
        List<String> args = new ArrayList<>(List.of(
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--server-id=" + (source ? 1 : 2)));
        if (mariadb && source) {
            args.add("--log-bin");
            args.add("--binlog-format=ROW");
        }
        if (source) {
            args.add("--binlog-row-metadata=FULL");
        }
        return args;
    }

    private static JdbcTestServer awaitReady(GenericContainer<?> container) {
        JdbcTestServer server = new JdbcTestServer(
                container.getHost(), container.getMappedPort(MYSQL_PORT), "root", "");
        ServerReadiness.await(server, STARTUP, container::isRunning,
                () -> LogTail.of("container log", container.getLogs()));
        return server;
    }

    private static void stopQuietly(Runnable shutdown, RuntimeException failure) {
        try {
            shutdown.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
