#!/usr/bin/env bash
# tablesync benchmark (issue 5): one command, from a clean clone.
#
#   src/bench/run-bench.sh [--rows N] [--repeat R] [--changes C] [--batch-size B] [--bulk-batch-size B] [--scaling] [--profile]
#                          [--verify-only | --no-verify] [--verify-updates U] [--verify-deletes D]
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
#   BENCH_HEAP (default 64m) and BENCH_JVM_OPTS (extra JVM options) change the service's JVM
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
        -h|--help) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    esac
done

MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
for tool in "$MARIADBD" mariadb-install-db mariadb mariadb-dump java python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing: $tool (Debian: apt-get install mariadb-server-core mariadb-client openjdk-17-jre-headless python3)" >&2; exit 1; }
done

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

start_server() { # name port extra-args...
    local name=$1 port=$2; shift 2
    mariadb-install-db --no-defaults --datadir="$WORK/$name" $(user_flag) \
        --auth-root-authentication-method=normal --skip-test-db >"$WORK/$name-install.log" 2>&1 </dev/null
    "$MARIADBD" --no-defaults --datadir="$WORK/$name" $(user_flag) --bind-address=127.0.0.1 --port="$port" \
        --socket="$WORK/$name.sock" --pid-file="$WORK/$name.pid" --log-error="$WORK/$name.err" \
        "${COMMON_SETTINGS[@]}" "$@" </dev/null 2>/dev/null &
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
mkdir -p "$WORK/files"

SRC_PORT=$(free_port); TGT_PORT=$(free_port)
while [ "$TGT_PORT" = "$SRC_PORT" ]; do TGT_PORT=$(free_port); done
echo "== work dir $WORK"
APP_JAR="$(ls -t target/quarkus-app/app/*.jar 2>/dev/null | head -1)"
echo "== jar: target/quarkus-app (copied to the work dir), application jar built $(date -u -r "${APP_JAR:-target/quarkus-app/quarkus-run.jar}" '+%F %T') UTC," \
     "git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src/main pom.xml 2>/dev/null || echo ' (+uncommitted changes in src/main)')"
echo "== server: $("$MARIADBD" --version)"
echo "== both servers: ${COMMON_SETTINGS[*]}"
echo "== source :$SRC_PORT  ${SOURCE_SETTINGS[*]}"
echo "== target :$TGT_PORT  ${TARGET_SETTINGS[*]}"
start_server source "$SRC_PORT" "${SOURCE_SETTINGS[@]}"
start_server target "$TGT_PORT" "${TARGET_SETTINGS[@]}"

export BENCH_WORK="$WORK" BENCH_ROOT="$ROOT" BENCH_APP="$WORK/app/quarkus-run.jar" \
    BENCH_SRC_PORT="$SRC_PORT" BENCH_TGT_PORT="$TGT_PORT" \
    BENCH_SRC_PID="${SERVER_PIDS[0]}" BENCH_TGT_PID="${SERVER_PIDS[1]}" \
    BENCH_SETTINGS="both: ${COMMON_SETTINGS[*]} | source: ${SOURCE_SETTINGS[*]} | target: ${TARGET_SETTINGS[*]}"
set +e
python3 "$ROOT/src/bench/bench.py" "${BENCH_ARGS[@]}" </dev/null &
BENCH_PID=$!
wait "$BENCH_PID"
status=$?
BENCH_PID=""
exit $status
