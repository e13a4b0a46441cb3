#!/usr/bin/env bash
# tablesync demo: starts two throw-away MariaDB servers (source and target) on free loopback
# ports, fills a demo table, keeps changing it, and runs the service syncing it every 5 seconds.
# Needs Java 17 and the MariaDB server binaries (mariadbd, mariadb-install-db, mariadb).
# Stop with Ctrl-C: everything it started is stopped and its temp directory removed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROWS="${DEMO_ROWS:-10000}"
RUN_ONCE="${DEMO_RUN_ONCE:-false}"
MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
[ -x "$MARIADBD" ] || { echo "mariadbd not found: install the MariaDB server (e.g. apt-get install mariadb-server-core)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/tablesync-demo.XXXXXX)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
user_flag() { [ "$(id -u)" -eq 0 ] && echo "--user=root" || true; }

start_server() { # name port extra-args...
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

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "== building tablesync (first run only)"
    ./mvnw -B -q package -DskipTests
fi

SRC_PORT=$(free_port); TGT_PORT=$(free_port)
echo "== starting source (:$SRC_PORT, binlog on) and target (:$TGT_PORT) MariaDB servers in $WORK"
start_server source "$SRC_PORT" --log-bin="$WORK/source-bin" --server-id=1
start_server target "$TGT_PORT" --server-id=2

echo "== creating shop.orders with $ROWS rows on the source"
mariadb -h127.0.0.1 -P"$SRC_PORT" -uroot <<SQL
CREATE DATABASE shop;
USE shop;
CREATE TABLE shop.orders (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  customer VARCHAR(100) NOT NULL,
  total DECIMAL(12,2) NOT NULL,
  status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new',
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  INDEX (updated_at));
INSERT INTO shop.orders (customer, total) SELECT CONCAT('customer-', seq), seq / 100 FROM seq_1_to_$ROWS;
SQL
mariadb -h127.0.0.1 -P"$TGT_PORT" -uroot -e 'CREATE DATABASE shop'

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
tablesync.run-once=$RUN_ONCE
quarkus.security.users.embedded.users.demo=demo
quarkus.security.users.embedded.roles.demo=operator
PROPS

if [ "$RUN_ONCE" != "true" ]; then
    echo "== a writer changes a few orders every second on the source"
    ( while sleep 1; do
        mariadb -h127.0.0.1 -P"$SRC_PORT" -uroot -e "UPDATE shop.orders SET status = 'paid', total = total + 1
            WHERE id = FLOOR(1 + RAND() * $ROWS); INSERT INTO shop.orders (customer, total) VALUES ('walk-in', 5)" \
            2>/dev/null || exit 0
      done ) &
    PIDS+=($!)
    echo "== API (user demo, password demo): curl -u demo:demo localhost:${DEMO_HTTP_PORT:-8080}/api/mappings"
    echo "== health and metrics: localhost:${DEMO_MANAGEMENT_PORT:-9000}/q/health and /q/metrics"
    echo "== compare at any time:"
    echo "   mariadb -h127.0.0.1 -P$SRC_PORT -uroot -e 'CHECKSUM TABLE shop.orders'"
    echo "   mariadb -h127.0.0.1 -P$TGT_PORT -uroot -e 'CHECKSUM TABLE shop.orders'"
fi

echo "== running tablesync (Ctrl-C to stop)"
set +e
java -Dquarkus.config.locations="$WORK/tablesync.properties" -Dquarkus.http.port="${DEMO_HTTP_PORT:-8080}" \
    -Dquarkus.management.port="${DEMO_MANAGEMENT_PORT:-9000}" \
    -jar target/quarkus-app/quarkus-run.jar
status=$?
if [ "$RUN_ONCE" = "true" ]; then
    src=$(mariadb -h127.0.0.1 -P"$SRC_PORT" -uroot -N -e 'CHECKSUM TABLE shop.orders' | cut -f2)
    tgt=$(mariadb -h127.0.0.1 -P"$TGT_PORT" -uroot -N -e 'CHECKSUM TABLE shop.orders' | cut -f2)
    echo "== checksum source=$src target=$tgt"
    [ "$src" = "$tgt" ] || status=1
fi
exit $status
