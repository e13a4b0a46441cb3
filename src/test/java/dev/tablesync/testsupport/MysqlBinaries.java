package dev.tablesync.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An Oracle MySQL server unpacked from a Maven jar (see {@link MysqlJar}) and how to invoke it.
 *
 * <p>The options make it look like the MariaDB test servers wherever MySQL's defaults differ: local_infile ON
 * (MySQL's default is OFF), no binlog on the target (MySQL's default is on), and a root that may log in over TCP
 * from 127.0.0.1 with an empty password ({@code --initialize-insecure} only creates root@localhost, which
 * {@code --skip-name-resolve} never matches). Root keeps MySQL's default plugin, caching_sha2_password: with an
 * empty password it needs neither TLS nor key retrieval, so the product's pools connect with plain URLs.
 *
 * @param bundledLibraries true when the server needs the libraries in its own {@code lib/} (8.0.15's OpenSSL)
 */
record MysqlBinaries(String version, Path home, boolean bundledLibraries) implements ServerBinaries {

    private static final String ROOT_OVER_TCP = """
            CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY '';
            GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
            """;

    @Override
    public String serverName() {
        return "mysqld " + version;
    }

    @Override
    public String installName() {
        return "mysqld " + version + " --initialize-insecure";
    }

    /** Also writes the init file that lets root in over TCP. */
    @Override
    public List<String> installCommand(Path dir) {
        Path initFile = dir.resolve("init.sql");
        try {
            Files.writeString(initFile, ROOT_OVER_TCP);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write " + initFile, e);
        }
        List<String> command = new ArrayList<>(List.of(mysqld(), "--no-defaults", "--initialize-insecure",
                "--datadir=" + dir.resolve("data"), "--init-file=" + initFile));
        command.addAll(installationOptions());
        if (ServerBinaries.runningAsRoot()) {
            command.add("--user=root");
        }
        return command;
    }

    /** GTIDs on a binlogging source, as every MariaDB binlog has them. */
    @Override
    public List<String> serverCommand(Path dir, int port, int serverId, boolean binlog) {
        List<String> command = ServerBinaries.commonOptions(home.resolve("bin/mysqld"), dir, port, serverId);
        command.addAll(installationOptions());
        command.addAll(List.of("--mysqlx=OFF", "--local-infile=ON"));
        if (binlog) {
            command.addAll(List.of("--log-bin=" + dir.resolve("binlog"), "--binlog-format=ROW",
                    "--binlog-row-image=FULL", "--binlog-row-metadata=FULL", "--gtid-mode=ON", "--enforce-gtid-consistency=ON"));
        } else {
            command.add("--skip-log-bin");
        }
        return command;
    }

    @Override
    public Map<String, String> environment() {
        if (!bundledLibraries) {
            return Map.of();
        }
        String inherited = System.getenv("LD_LIBRARY_PATH");
        String lib = home.resolve("lib").toString();
        return Map.of("LD_LIBRARY_PATH", inherited == null || inherited.isBlank() ? lib : lib + ":" + inherited);
    }

    private String mysqld() {
        return home.resolve("bin/mysqld").toString();
    }

    /** The stripped tarballs lack a compiled-in base dir that exists here; point mysqld at its own tree. */
    private List<String> installationOptions() {
        return List.of("--basedir=" + home, "--lc-messages-dir=" + home.resolve("share"));
    }
}
