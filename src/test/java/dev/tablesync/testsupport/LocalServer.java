package dev.tablesync.testsupport;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A mariadbd or mysqld process owned by the tests, in its own temp directory, on its own loopback port.
 *
 * <p>Being the parent process is what makes crash tests possible: {@link #kill()} really is SIGKILL, and
 * {@link #start()} brings the same data directory back up on the same port, so clients configured with the
 * old JDBC URL reconnect as they would in production.
 */
final class LocalServer extends JdbcTestServer {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration INSTALL = Duration.ofSeconds(120);
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);

    private final ServerBinaries binaries;
    private final Path dir;
    private final int serverId;
    private final boolean binlog;
    private Process process;

    private LocalServer(ServerBinaries binaries, Path dir, int port, int serverId, boolean binlog) {
        super("127.0.0.1", port, "root", "");
        this.binaries = binaries;
        this.dir = dir;
        this.serverId = serverId;
        this.binlog = binlog;
    }

    /** Creates the temp directory and reserves the identity of a server; nothing runs yet. */
    static LocalServer create(ServerBinaries binaries, int port, int serverId, boolean binlog) {
        try {
            Path dir = Files.createTempDirectory("tablesync-db");
            return new LocalServer(binaries, dir, port, serverId, binlog);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create a temp directory for " + binaries.serverName(), e);
        }
    }

    /** Initialises the data directory, then starts the server; called once, before any test sees it. */
    void installAndStart() {
        // Seen rarely on a loaded 2-core machine: bootstrap fails once and works on a fresh directory.
        for (int attempt = 1; ; attempt++) {
            Path log = dir.resolve("install-" + attempt + ".log");
            Process install = launch(binaries.installCommand(dir), Redirect.to(log.toFile()));
            if (waitFor(install, INSTALL) && install.exitValue() == 0) {
                break;
            }
            install.destroyForcibly();
            if (attempt == 2) {
                throw new IllegalStateException(
                        binaries.installName() + " failed twice in " + dir + "\n" + LogTail.of(log));
            }
            System.err.println(binaries.installName() + " failed in " + dir + ", retrying once:\n" + LogTail.of(log));
            deleteRecursively(dir.resolve("data"));
        }
        start();
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        deleteStaleSocket();
        List<String> command = binaries.serverCommand(dir, port(), serverId, binlog);
        Process started = launch(command, Redirect.appendTo(dir.resolve("stdout.log").toFile()));
        process = started;
        try {
            ServerReadiness.await(this, STARTUP, started::isAlive, () -> LogTail.of(dir.resolve("error.log")));
        } catch (RuntimeException e) {
            started.destroyForcibly();
            throw e;
        }
    }

    /** SIGTERM, which both servers handle as a clean shutdown; escalates to SIGKILL after 30 s. */
    @Override
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(process, SHUTDOWN)) {
            kill();
        }
    }

    /** SIGKILL: no clean shutdown, so the next start has to run crash recovery, as after a real crash. */
    @Override
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!waitFor(process, SHUTDOWN)) {
            throw new IllegalStateException(binaries.serverName() + " " + address() + " survived SIGKILL for 30 s");
        }
    }

    /** Stops the server and deletes its directory; for the JVM shutdown hook, so it never throws. */
    void destroy() {
        try {
            stop();
        } catch (RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
        deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return binaries.serverName() + " " + address() + " in " + dir;
    }

    private void deleteStaleSocket() {
        try {
            // A SIGKILLed server leaves its socket file behind; remove it so start-up cannot trip over it.
            Files.deleteIfExists(dir.resolve("mysqld.sock"));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot remove stale socket in " + dir, e);
        }
    }

    private Process launch(List<String> command, Redirect output) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
        builder.environment().putAll(binaries.environment());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command), e);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + process, e);
        }
    }

    /** Best effort, null-safe. */
    static void deleteRecursively(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp dir is harmless and must not hide the real test outcome.
        }
    }
}
