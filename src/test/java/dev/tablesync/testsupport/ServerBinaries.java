package dev.tablesync.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to initialise and run one kind of server binary that {@link LocalServer} owns: the MariaDB binaries
 * installed on the machine, or a MySQL from a Maven jar.
 *
 * <p>Every command uses {@code --no-defaults} so that a system-wide my.cnf (or the shared server on port 3306)
 * can never influence, or be influenced by, the throw-away test servers. Both kinds get the same
 * {@link #commonOptions}, so a test sees the same character set, limits and durability on either flavour.
 */
sealed interface ServerBinaries permits MariadbBinaries, MysqlBinaries {

    /** The server program, for messages, e.g. {@code mariadbd} or {@code mysqld 8.0.31}. */
    String serverName();

    /** The step that creates the system tables, for messages, e.g. {@code mariadb-install-db}. */
    String installName();

    /** Creates the system tables in {@code dir/data}; afterwards root may log in over TCP with an empty password. */
    List<String> installCommand(Path dir);

    /** The full server command line; identical on every restart so port and data survive a crash. */
    List<String> serverCommand(Path dir, int port, int serverId, boolean binlog);

    /** Variables added to the environment of both commands (a bundled server may need its own libraries). */
    Map<String, String> environment();

    /** The servers refuse to run as root unless told to, and must not switch to the mysql user for our temp dirs. */
    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Options both flavours understand alike; {@code server} is the program, {@code dir} the server's temp dir. */
    static List<String> commonOptions(Path server, Path dir, int port, int serverId) {
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
                "--innodb-flush-log-at-trx-commit=2",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--max-connections=200",
                "--server-id=" + serverId));
        return command;
    }
}
