package dev.tablesync.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the MariaDB server binaries are and how to invoke them.
 *
 * <p>Every command uses {@code --no-defaults} so that a system-wide my.cnf (or the shared server on port 3306)
 * can never influence, or be influenced by, the throw-away test servers.
 */
record MariadbBinaries(Path server, Path installDb) {

    /** Finds {@code mariadbd} and {@code mariadb-install-db} on PATH, then in their Debian locations. */
    static Optional<MariadbBinaries> find() {
        Optional<Path> server = locate("mariadbd", Path.of("/usr/sbin"));
        Optional<Path> installDb = locate("mariadb-install-db", Path.of("/usr/bin"));
        if (server.isEmpty() || installDb.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MariadbBinaries(server.get(), installDb.get()));
    }

    private static Optional<Path> locate(String name, Path fallbackDir) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank()).map(Path::of),
                        Stream.of(fallbackDir))
                .map(dir -> dir.resolve(name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** mariadbd refuses to run as root unless told to, and must not switch to the mysql user for our temp dirs. */
    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Creates the system tables in {@code dataDir}; root may log in over TCP with an empty password. */
    List<String> installCommand(Path dataDir) {
        return List.of(installDb.toString(),
                "--no-defaults",
                "--datadir=" + dataDir,
                "--user=" + System.getProperty("user.name"),
                "--auth-root-authentication-method=normal",
                "--skip-test-db");
    }

    /** The full server command line; identical on every restart so port and data survive a crash. */
    List<String> serverCommand(Path dir, int port, int serverId, boolean binlog) {
        List<String> command = new ArrayList<>(
                List.of(server.toString(), "--no-defaults", "--datadir=" + dir.resolve("data")));
        if (runningAsRoot()) {
            command.add("--user=root");
        }
        command.addAll(List.of(
                "--bind-address=127.0.0.1",
                "--port=" + port,
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--log-error=" + dir.resolve("error.log"),
                "--skip-name-resolve",
                "--innodb-buffer-pool-size=128M",
                "--innodb-log-file-size=64M",
                "--innodb-flush-log-at-trx-commit=2",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--max-connections=200",
                "--server-id=" + serverId));
        if (binlog) {
            command.addAll(List.of("--log-bin=" + dir.resolve("binlog"), "--binlog-format=ROW"));
        }
        return command;
    }
}
