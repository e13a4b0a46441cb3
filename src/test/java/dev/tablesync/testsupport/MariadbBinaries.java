package dev.tablesync.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the MariaDB server binaries installed on this machine are and how to invoke them. */
record MariadbBinaries(Path server, Path installDb) implements ServerBinaries {

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

    @Override
    public String serverName() {
        return "mariadbd";
    }

    @Override
    public String installName() {
        return "mariadb-install-db";
    }

    @Override
    public List<String> installCommand(Path dir) {
        return List.of(installDb.toString(),
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--user=" + System.getProperty("user.name"),
                "--auth-root-authentication-method=normal",
                "--skip-test-db");
    }

    /**
     * MariaDB's own defaults already match what the tests expect (local_infile ON, binlog_row_image FULL); the
     * binlog's row image and full row metadata (column names, signedness, ENUM/SET members) are set explicitly,
     * as binlog capture requires them.
     */
    @Override
    public List<String> serverCommand(Path dir, int port, int serverId, boolean binlog) {
        List<String> command = ServerBinaries.commonOptions(server, dir, port, serverId);
        command.add("--innodb-log-file-size=64M");
        if (binlog) {
            command.addAll(List.of("--log-bin=" + dir.resolve("binlog"), "--binlog-format=ROW",
                    "--binlog-row-image=FULL", "--binlog-row-metadata=FULL"));
        }
        return command;
    }

    @Override
    public Map<String, String> environment() {
        return Map.of();
    }
}
