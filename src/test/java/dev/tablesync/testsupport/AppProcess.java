package dev.tablesync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application as a process of its own: the artifact Quarkus built last, as
 * {@code target/quarkus-artifact.properties} names it (what {@code @QuarkusIntegrationTest} runs too: the jar, or the
 * native executable after a {@code -Dnative} build), configured by system properties, its output in a log file under
 * {@code target/app-logs}. Crash tests need the real process: {@link #kill()} is SIGKILL, so nothing of the
 * application runs after it (no shutdown hook, no rollback by the application; only the servers clean up).
 */
public final class AppProcess implements AutoCloseable {

    /** Exit status of a process ended by signal 9, as {@link Process#exitValue()} reports it on Linux. */
    public static final int SIGKILL_STATUS = 128 + 9;

    private final Process process;
    private final Path log;

    private AppProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the application with {@code properties} as {@code -D} options and {@code environment} added to this
     * process's; {@code name} names its log file.
     */
    public static AppProcess start(String name, Map<String, String> properties, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        Path artifact = builtArtifact();
        boolean useJar = artifact.toString().endsWith(".jar");
        command.add(useJar ? ProcessHandle.current().info().command().orElse("java") : artifact.toString());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (useJar) {
            command.add("-jar");
            command.add(artifact.toString());
        }
        try {
            Path dir = Files.createDirectories(Path.of("target", "app-logs"));
            Path log = dir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new AppProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the packaged application " + command, e);
        }
    }

    /** The jar or executable of the last build; the jar when no build recorded one (e.g. an IDE run). */
    private static Path builtArtifact() {
        Path target = Path.of("target").toAbsolutePath();
        java.util.Properties built = new java.util.Properties();
        try (var in = Files.newInputStream(target.resolve("quarkus-artifact.properties"))) {
            built.load(in);
        } catch (IOException e) {
            return target.resolve("quarkus-app").resolve("quarkus-run.jar");
        }
        return target.resolve(built.getProperty("path", "quarkus-app/quarkus-run.jar"));
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} is {@code kill -9} on Linux) and waits for the process to be
     * gone; fails unless the exit status says signal 9, so a test never mistakes a graceful stop for a crash.
     */
    public void kill() {
        process.destroyForcibly();
        int status = waitForExit();
        if (status != SIGKILL_STATUS) {
            throw new AssertionError("expected the application to die of SIGKILL (status " + SIGKILL_STATUS
                    + "), it exited with " + status + "\n" + logTail());
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM (graceful shutdown), then SIGKILL if it is still running after 30 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines the application printed, for failure messages. */
    public String logTail() {
        try {
            return LogTail.of(log.toString(), Files.readString(log, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the application did not end within 30 s of SIGKILL");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the application to end", e);
        }
    }
}
