#!/usr/bin/env python3
"""Measurement driver of src/bench/run-bench.sh (issue 5). Not meant to be run alone.

run-bench.sh starts the two disposable servers and passes their ports and pids in BENCH_* variables;
this script generates the data, runs the anchors and the service alternating, verifies every service
run (row count + per-row CRC32 sum) and prints the results. Standard library only.
"""
import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

WORK = os.environ["BENCH_WORK"]
APP = os.environ["BENCH_APP"]
SRC = int(os.environ["BENCH_SRC_PORT"])
TGT = int(os.environ["BENCH_TGT_PORT"])
SRC_PID = int(os.environ["BENCH_SRC_PID"])
TGT_PID = int(os.environ["BENCH_TGT_PID"])
SETTINGS = os.environ.get("BENCH_SETTINGS", "")
SERVER = os.environ.get("BENCH_SERVER", "mariadb")
# MySQL keeps status counters in performance_schema only; MariaDB has both.
GLOBAL_STATUS = "performance_schema.global_status" if SERVER == "mysql" else "information_schema.GLOBAL_STATUS"
FILES = os.path.join(WORK, "files")
TCK = os.sysconf("SC_CLK_TCK")
HEAP = os.environ.get("BENCH_HEAP", "64m")
# BENCH_EXEC=path (run-bench.sh copies it): the service is that native executable instead of the jar
EXEC = os.environ.get("BENCH_EXEC") or None
# what /proc calls the thread that copies in a run-once process: the main thread keeps the process name
MAIN_THREADS = {"java"} | ({os.path.basename(EXEC)[:15]} if EXEC else set())
# BENCH_APP_B=dir (run-bench.sh copies it): another build's target/quarkus-app, run in every snapshot round
# right after this build's (A/B on the same machine load); --snapshot-only
APP_B = os.environ.get("BENCH_APP_B") or None
# BENCH_URL_OPTIONS=k=v&k=v: Connector/J options appended to the service's JDBC URLs (e.g. sslMode=DISABLED)
URL_OPTIONS = ("?" + os.environ["BENCH_URL_OPTIONS"]) if os.environ.get("BENCH_URL_OPTIONS") else ""
MAPPING = "t"
LOCK_NAME = "tablesync:tablesync:" + MAPPING
CHILDREN = []

# ---------------------------------------------------------------------------------------------
# schema and data

COLUMNS = ["id", "account_id", "qty", "c", "price", "discount", "status", "sku", "city", "customer", "email",
           "note", "created_at", "updated_at"]

DDL = """CREATE TABLE {name} (
  id BIGINT NOT NULL,
  account_id INT NOT NULL,
  qty INT NOT NULL,
  c INT NOT NULL,
  price DECIMAL(12,2) NOT NULL,
  discount DECIMAL(5,4) NULL,
  status VARCHAR(16) NOT NULL,
  sku VARCHAR(32) NOT NULL,
  city VARCHAR(40) NOT NULL,
  customer VARCHAR(64) NOT NULL,
  email VARCHAR(128) NOT NULL,
  note TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY updated_id (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"""

# ~400 bytes of text per row (the issue's ~420); one nullable column, some non-ASCII text. Timestamps
# start in 2020, 20 s apart, so that up to 9M rows every one lies in the past: a row stamped later than
# the change window's bound would be read again by the first incremental run and skew its figures. Every path writes
# into a table created with this same DDL (secondary index included): dump | mariadb creates it from the
# dump, LOAD DATA and the service get it pre-created and empty, so no path writes fewer indexes.
GENERATE = """INSERT INTO bench.{table}
SELECT seq, seq % 100003, seq % 97 + 1, 0, (seq % 1000000) / 100 + 0.99,
       IF(seq % 10 = 0, NULL, (seq % 10000) / 10000),
       ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'),
       CONCAT('SKU-', LPAD(seq % 99991, 8, '0')),
       ELT(1 + seq % 5, 'Zürich', 'Lisboa', 'München', 'Kraków', 'Montréal'),
       CONCAT('customer ', seq, ' ', MD5(seq)),
       CONCAT(LEFT(SHA1(seq), 24), '.', seq, '@example.com'),
       CONCAT('café ', SHA2(seq, 256), ' ', SHA2(seq + 1, 256), ' ', LEFT(SHA2(seq, 512), 68)),
       TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq * 20 SECOND + INTERVAL (seq * 7919) % 1000000 MICROSECOND,
       TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq * 20 + seq % 86400 SECOND
           + INTERVAL (seq * 104729) % 1000000 MICROSECOND
FROM {numbers}"""

# MariaDB's Sequence engine has seq_1_to_N tables; MySQL gets the same numbers from a recursive CTE.
NUMBERS = {"mariadb": "bench.seq_{lo}_to_{hi}",
           "mysql": "(WITH RECURSIVE s (seq) AS (SELECT {lo} UNION ALL SELECT seq + 1 FROM s WHERE seq < {hi})"
                    " SELECT seq FROM s) AS numbers"}


def row_text(prefix=""):
    return "CONCAT_WS('#', " + ", ".join(
        f"IFNULL({prefix}{c}, '<null>')" if c == "discount" else prefix + c for c in COLUMNS) + ")"


# ---------------------------------------------------------------------------------------------
# processes

class BenchError(Exception):
    pass


def client(port, *extra):
    return ["mariadb", "--no-defaults", "--protocol=TCP", "-h127.0.0.1", f"-P{port}", "-uroot",
            "--default-character-set=utf8mb4", *extra]


def dump_cmd(*extra):
    return ["mariadb-dump", "--no-defaults", "--protocol=TCP", "-h127.0.0.1", f"-P{SRC}", "-uroot",
            "--default-character-set=utf8mb4", *extra]


def q(port, sql, timeout=7200):
    """Runs SQL (sent on stdin, batch mode) and returns the rows as lists of strings."""
    p = subprocess.run(client(port, "-N", "-B"), input=sql, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise BenchError(f"query on :{port} failed: {sql[:300]!r}: {p.stderr.strip()}")
    return [line.split("\t") for line in p.stdout.splitlines()]


def q1(port, sql):
    rows = q(port, sql)
    return rows[0][0] if rows and rows[0] else None


def cpu(pid):
    """utime + stime of a process in seconds (its own threads; not its reaped children)."""
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TCK


def machine_busy():
    """CPU seconds all processes on the machine have used (from /proc/stat), to see others' load."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / TCK  # user nice system irq softirq steal


def server_cpu():
    return cpu(SRC_PID), cpu(TGT_PID)


def spawn(cmd, **kw):
    """Starts a child in its own process group, recorded so run-bench.sh's trap can kill it."""
    p = subprocess.Popen(cmd, start_new_session=True, stdin=subprocess.DEVNULL, **kw)
    CHILDREN.append(p)
    with open(os.path.join(WORK, "pgids"), "a") as f:
        f.write(f"{p.pid}\n")
    return p


def kill_children():
    for p in CHILDREN:
        if p.returncode is None:
            try:
                os.killpg(p.pid, signal.SIGCONT)
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


class ThreadCpu(threading.Thread):
    """Polls /proc/PID/task/*/stat of a running JVM (cheap; no safepoints) and keeps the last CPU
    seconds seen per thread, so the process's CPU can be split into copy thread, GC, JIT, other."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.last, self.done, self.hwm_kb = pid, {}, threading.Event(), 0

    def run(self):
        while not self.done.is_set():
            try:
                tids = os.listdir(f"/proc/{self.pid}/task")
            except OSError:
                return
            try:
                with open(f"/proc/{self.pid}/status") as f:
                    self.hwm_kb = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
            except (OSError, AttributeError):
                pass
            for tid in tids:
                try:
                    with open(f"/proc/{self.pid}/task/{tid}/comm") as f:
                        name = f.read().strip()
                    with open(f"/proc/{self.pid}/task/{tid}/schedstat") as f:
                        runqueue = int(f.read().split()[1]) / 1e9  # runnable but waiting for a core
                    self.last[tid] = (name, cpu(f"{self.pid}/task/{tid}"), runqueue)
                except (OSError, ValueError, IndexError):
                    pass
            self.done.wait(0.2)

    def groups(self):
        g = {"copy thread": 0.0, "GC": 0.0, "JIT": 0.0, "other": 0.0}
        self.copy_runqueue = sum(rq for name, c, rq in self.last.values() if name in MAIN_THREADS)
        for name, c, rq in self.last.values():
            if name in MAIN_THREADS:  # the main thread keeps the process name; run-once copies on it
                g["copy thread"] += c
            elif name.startswith(("GC Thread", "G1 ")):
                g["GC"] += c
            elif "CompilerThre" in name:
                g["JIT"] += c
            else:
                g["other"] += c
        return g


class Measured:
    """Wall time, CPU of the command (with all its reaped descendants, from wait4's rusage, the
    numbers /usr/bin/time reports), its peak RSS, and the CPU both mariadbd spent meanwhile."""

    def __init__(self, wall, cpu_s, maxrss_kb, src_cpu, tgt_cpu, rc, log):
        self.wall, self.cpu, self.maxrss_kb = wall, cpu_s, maxrss_kb
        self.src_cpu, self.tgt_cpu, self.rc, self.log = src_cpu, tgt_cpu, rc, log

    def output(self):
        with open(self.log, errors="replace") as f:
            return f.read()


def measure(cmd, name, timeout=7200, env=None, threads=False, ok_rc=(0,)):
    log = os.path.join(WORK, f"{name}.log")
    s0 = server_cpu()
    b0 = machine_busy()
    t0 = time.perf_counter()
    with open(log, "w") as out:
        p = spawn(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    timer = threading.Timer(timeout, lambda: os.killpg(p.pid, signal.SIGKILL))
    timer.start()
    sampler = None
    if threads:
        sampler = ThreadCpu(p.pid)
        sampler.start()
    try:
        _, status, ru = os.wait4(p.pid, 0)
    finally:
        timer.cancel()
        if sampler:
            sampler.done.set()
            sampler.join()
    wall = time.perf_counter() - t0
    s1 = server_cpu()
    p.returncode = os.waitstatus_to_exitcode(status)
    m = Measured(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, s1[0] - s0[0], s1[1] - s0[1], p.returncode, log)
    m.threads = sampler.groups() if sampler else None
    m.copy_runqueue = sampler.copy_runqueue if sampler else 0.0
    # cores the rest of the machine kept busy meanwhile (others' builds and tests, this script's sampling)
    m.others = max(0.0, machine_busy() - b0 - m.cpu - m.src_cpu - m.tgt_cpu) / wall
    if sampler and sampler.hwm_kb:
        # wait4's ru_maxrss would carry over the forking python's high-water mark; VmHWM is the JVM's own
        m.maxrss_kb = sampler.hwm_kb
    if m.rc not in ok_rc:
        raise BenchError(f"{name} exited {m.rc}:\n{m.output()[-3000:]}")
    return m


def sh(pipeline):
    return ["bash", "-c", "set -o pipefail; " + pipeline]


def quote(args):
    import shlex
    return " ".join(shlex.quote(a) for a in args)


def settle():
    """Lets both servers flush dirty pages before a measured step, so no step pays for the last one."""
    orig = {port: q(port, "SELECT @@innodb_io_capacity, @@innodb_io_capacity_max, @@innodb_max_dirty_pages_pct,"
                          " @@innodb_max_dirty_pages_pct_lwm")[0] for port in (SRC, TGT)}
    for port in (SRC, TGT):
        q(port, "SET GLOBAL innodb_io_capacity_max = 100000, GLOBAL innodb_io_capacity = 50000,"
                " GLOBAL innodb_max_dirty_pages_pct_lwm = 0.001, GLOBAL innodb_max_dirty_pages_pct = 0")
    deadline = time.time() + 120
    while time.time() < deadline:
        dirty = [int(q1(p, f"SELECT VARIABLE_VALUE FROM {GLOBAL_STATUS}"
                           " WHERE UPPER(VARIABLE_NAME) = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")) for p in (SRC, TGT)]
        if max(dirty) < 200:
            break
        time.sleep(0.5)
    for port in (SRC, TGT):
        o = orig[port]
        q(port, f"SET GLOBAL innodb_max_dirty_pages_pct = {o[2]}, GLOBAL innodb_max_dirty_pages_pct_lwm = {o[3]},"
                f" GLOBAL innodb_io_capacity = {o[0]}, GLOBAL innodb_io_capacity_max = {o[1]}")


def checksum(port, table):
    r = q(port, f"SELECT COUNT(*), COALESCE(SUM(CRC32({row_text()})), 0) FROM {table}")[0]
    return int(r[0]), int(r[1])


# ---------------------------------------------------------------------------------------------
# the service

def service_config(name, table, batch, run_once, target_db="svc", bulk=None):
    path = os.path.join(WORK, f"{name}.properties")
    with open(path, "w") as f:
        f.write(f"""tablesync.connections.src.url=jdbc:mysql://127.0.0.1:{SRC}/bench{URL_OPTIONS}
tablesync.connections.src.username=root
tablesync.connections.tgt.url=jdbc:mysql://127.0.0.1:{TGT}/{target_db}{URL_OPTIONS}
tablesync.connections.tgt.username=root
tablesync.mappings.{MAPPING}.source=src
tablesync.mappings.{MAPPING}.source-table={table}
tablesync.mappings.{MAPPING}.target=tgt
tablesync.mappings.{MAPPING}.target-table={table}
tablesync.mappings.{MAPPING}.batch-size={batch}
{f"tablesync.mappings.{MAPPING}.bulk-batch-size={bulk}" if bulk else ""}
tablesync.mappings.{MAPPING}.schedule=1s
tablesync.mappings.{MAPPING}.commit-delay=0s
tablesync.run-once={'true' if run_once else 'false'}
quarkus.http.host=127.0.0.1
quarkus.http.port={free_port()}
quarkus.management.host=127.0.0.1
quarkus.management.port={free_port()}
""")
    return path


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def java_cmd(config, *jvm, native=None, app=None):
    if EXEC and native is not False:
        # SubstrateVM takes -Xmx and -D like the JVM; it has no JIT, and its GC is the serial one
        return [EXEC, f"-Xmx{HEAP}", f"-Dquarkus.config.locations={config}"]
    # ParallelGC is the collector the JVM image ships with (GC_CONTAINER_OPTIONS in Dockerfile.jvm).
    return ["java", f"-Xmx{HEAP}", "-XX:+UseParallelGC", *os.environ.get("BENCH_JVM_OPTS", "").split(), *jvm,
            f"-Dquarkus.config.locations={config}",
            "-jar", app or APP]


def fresh_target(table, keep_state=False):
    sql = "" if keep_state else "DROP DATABASE IF EXISTS tablesync;"
    q(TGT, sql + f"CREATE DATABASE IF NOT EXISTS svc; DROP TABLE IF EXISTS svc.{table};"
          + DDL.format(name=f"svc.{table}"))


SUMMARY = re.compile(r"mapping=\S+ status=(\S+) .*?read=(\d+) written=(\d+).*?duration=([\d.]+)s")


def service_snapshot(name, table, rows, batch, src_sum, jvm=(), bulk=None, native=None, app=None):
    fresh_target(table)
    settle()
    cfg = service_config(name, table, batch, run_once=True, bulk=bulk)
    m = measure(java_cmd(cfg, *jvm, native=native, app=app), name, threads=True)
    out = m.output()
    s = SUMMARY.search(out)
    if not s or s.group(1) != "ok":
        raise BenchError(f"{name}: no successful summary line:\n{out[-3000:]}")
    m.read, m.copy_s = int(s.group(2)), float(s.group(4))
    m.ok = checksum(TGT, f"svc.{table}") == src_sum
    # every row written exactly once; the run's incremental phase may read a row again that changed
    # during the snapshot (it then counts as unchanged or updated, not written twice)
    if int(s.group(3)) != rows:
        m.ok = False
    return m


# ---------------------------------------------------------------------------------------------
# verify and repair (issue 6)

NEVER = "0 0 0 1 1 ? 2099"
API_USER, API_PASSWORD = "bench", "bench-operator-secret"


def verify_service_config():
    """The mapping of the incremental phase, but syncing never: verify runs alone, through the API."""
    path = service_config("verify-service", "t", 1000, run_once=False)
    with open(path) as f:
        text = f.read().replace(f"tablesync.mappings.{MAPPING}.schedule=1s", f"tablesync.mappings.{MAPPING}.schedule={NEVER}")
    with open(path, "w") as f:
        f.write(text + f"quarkus.management.port={free_port()}\n"
                       f"quarkus.security.users.embedded.users.{API_USER}={API_PASSWORD}\n"
                       f"quarkus.security.users.embedded.roles.{API_USER}=operator\n")
    return path, int(re.search(r"quarkus.http.port=(\d+)", text).group(1))


def post_verify(port, repair):
    import base64
    import urllib.request
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/mappings/{MAPPING}/verify?repair={str(repair).lower()}",
                                 method="POST")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{API_USER}:{API_PASSWORD}".encode()).decode())
    with urllib.request.urlopen(req, timeout=30) as r:
        if r.status != 202:
            raise BenchError(f"POST verify answered {r.status}")
        return json.loads(r.read())["runId"]


def service_verify(port, repair, label):
    """Starts a verify through the API and waits for its history entry: run duration, wall, report."""
    t0 = time.perf_counter()
    run_id = post_verify(port, repair)
    found = []

    def done():
        rows = q(TGT, "SELECT TIMESTAMPDIFF(MICROSECOND, r.started_at, r.finished_at), r.status, v.method, v.chunks,"
                      " v.differing_chunks, v.missing, v.extra, v.different, v.upserted, v.deleted, v.unrepaired"
                      " FROM tablesync.run r JOIN tablesync.verify_report v ON v.run_key = r.run_key"
                      f" WHERE r.run_key = '{run_id}'")
        found.extend(rows)
        return bool(rows)
    wait_until(done, 1800, f"verify run {run_id}", 0.02)
    wall = time.perf_counter() - t0
    r = found[0]
    if r[1] != "success":
        raise BenchError(f"{label}: verify {run_id} ended {r[1]}; see {WORK}/verify-service.log")
    rep = dict(run_s=int(r[0]) / 1e6, wall=wall, method=r[2], chunks=int(r[3]), differing=int(r[4]),
               missing=int(r[5]), extra=int(r[6]), different=int(r[7]), upserted=int(r[8]), deleted=int(r[9]),
               unrepaired=int(r[10]))
    log(f"{label}: service verify{'+repair' if repair else ''} {rep['run_s']:.2f}s (wall {wall:.2f}s), method"
        f" {rep['method']}, chunks {rep['chunks']} ({rep['differing']} differing), missing {rep['missing']}, extra"
        f" {rep['extra']}, different {rep['different']}, upserted {rep['upserted']}, deleted {rep['deleted']},"
        f" unrepaired {rep['unrepaired']}")
    return rep


def checksum_table_both():
    """The anchor: CHECKSUM TABLE ... EXTENDED on both servers at once (two clients in parallel)."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(client(port, "-N", "-B", "-e", f"CHECKSUM TABLE {table} EXTENDED"), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for port, table in ((SRC, "bench.t"), (TGT, "svc.t"))]
    outs = [p.communicate() for p in procs]
    wall = time.perf_counter() - t0
    if any(p.returncode for p in procs):
        raise BenchError(f"CHECKSUM TABLE failed: {[o[1] for o in outs]}")
    return wall, [o[0].split()[-1] for o in outs]


def change_source(rnd, rows, updates, deletes):
    """Random updates and deletes on the source while nothing syncs: what verify+repair has to find.
    A table smaller than updates + deletes (or emptied by earlier rounds' deletes) gets fewer: at most
    half its rows deleted, the rest of the picked rows updated; returns (updated, deleted)."""
    ids = [int(r[0]) for r in q(SRC, "SELECT id FROM bench.t")]
    dele_n = min(deletes, len(ids) // 2)
    picked = rnd.sample(ids, min(len(ids), updates + dele_n))
    dele, upd = picked[:dele_n], picked[dele_n:]
    for i in range(0, len(upd), 5000):
        q(SRC, f"UPDATE bench.t SET c = c + 1 WHERE id IN ({','.join(map(str, upd[i:i + 5000]))})")
    for i in range(0, len(dele), 5000):
        q(SRC, f"DELETE FROM bench.t WHERE id IN ({','.join(map(str, dele[i:i + 5000]))})")
    return len(upd), len(dele)


def verify_phase(a, res):
    src_sum, tgt_sum = checksum(SRC, "bench.t"), checksum(TGT, "svc.t")
    if src_sum != tgt_sum:
        raise BenchError(f"verify phase needs target == source to start with: {src_sum} vs {tgt_sum}")
    cfg, port = verify_service_config()
    log_path = os.path.join(WORK, "verify-service.log")
    with open(log_path, "w") as out:
        proc = spawn(java_cmd(cfg), stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: proc.poll() is not None or "Listening on" in open(log_path).read(), 120,
                   "the verify service to start", 0.2)
        if proc.poll() is not None:
            raise BenchError("the verify service stopped:\n" + open(log_path).read()[-3000:])
        service_verify(port, False, "warm-up")  # a fresh JVM's first verify runs on cold code
        rnd = random.Random(6)
        updates, deletes = a.verify_updates, a.verify_deletes
        for r in range(1, a.repeat + 1):
            settle()
            wall, sums = checksum_table_both()
            res["v_anchor"].append(wall)
            log(f"round {r}: CHECKSUM TABLE EXTENDED on both servers in parallel {wall:.2f}s (equal: {sums[0] == sums[1]})")
            settle()
            res["v_same"].append(service_verify(port, False, f"round {r} identical tables"))

            upd, dele = change_source(rnd, a.rows, updates, deletes)
            settle()
            rep = service_verify(port, True, f"round {r} after {upd:,} updates + {dele:,} deletes")
            rep["updates"], rep["deletes"] = upd, dele
            rep["ok"] = checksum(SRC, "bench.t") == checksum(TGT, "svc.t")
            res["v_repair"].append(rep)
            log(f"round {r}: target==source after verify+repair: {rep['ok']}")

            if res["pt"]:
                change_source(rnd, a.rows, updates, deletes)
                settle()
                m = measure(["pt-table-sync", "--execute", "--no-version-check",
                             f"h=127.0.0.1,P={SRC},u=root,D=bench,t=t,F=/dev/null,A=utf8mb4",
                             f"h=127.0.0.1,P={TGT},u=root,D=svc,t=t,F=/dev/null,A=utf8mb4"], f"verify-pt-{r}",
                            ok_rc=(0, 2))
                m.ok = checksum(SRC, "bench.t") == checksum(TGT, "svc.t")
                res["v_pt"].append(m)
                log(f"round {r}: pt-table-sync --execute {m.wall:.2f}s, target==source {m.ok}")
    finally:
        stop(proc)


def stop(proc):
    """Stops a service process: politely, then for sure."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def report_verify(a, res):
    anchor = med(res["v_anchor"])
    same = med([x["run_s"] for x in res["v_same"]])
    same_wall = med([x["wall"] for x in res["v_same"]])
    rep = med([x["run_s"] for x in res["v_repair"]])
    rep_wall = med([x["wall"] for x in res["v_repair"]])
    pt = med([m.wall for m in res["v_pt"]]) if res["v_pt"] else float("nan")
    methods = sorted({x["method"] for x in res["v_same"]})
    last = res["v_repair"][-1]
    print()
    print(f"Verify and repair ({a.rows:,}-row table; sync not running; median of {a.repeat} alternating round(s))")
    rows = [["V0 anchor: CHECKSUM TABLE ... EXTENDED, both servers in parallel", fmt(anchor), "", "-"],
            [f"V1 tablesync verify, identical tables (run duration; method {'/'.join(methods)})", fmt(same),
             fmt(same_wall), "ok" if all(x["unrepaired"] == 0 and x["missing"] + x["extra"] + x["different"] == 0
                                        for x in res["v_same"]) else "FAIL"],
            [f"V2 tablesync verify+repair after {last['updates']:,} updates + {last['deletes']:,} deletes"
             + (" (last round; capped by the table's rows)" if (last['updates'], last['deletes'])
                != (a.verify_updates, a.verify_deletes) else ""), fmt(rep),
             fmt(rep_wall), " ".join("ok" if x["ok"] else "FAIL" for x in res["v_repair"])]]
    if res["v_pt"]:
        rows.append(["V3 pt-table-sync --execute, same kind of change", fmt(pt), "",
                     " ".join("ok" if m.ok else "FAIL" for m in res["v_pt"])])
    else:
        rows.append(["V3 pt-table-sync --execute", "not installed", "", "apt-get install percona-toolkit"])
    table(["path", "seconds", "wall s (POST to history)", "target==source"], rows)
    print(f"   last repair: {last['chunks']} chunks ({last['differing']} differing), missing {last['missing']},"
          f" extra {last['extra']}, different {last['different']}, upserted {last['upserted']}, deleted"
          f" {last['deleted']}, unrepaired {last['unrepaired']}")
    ok = all(x["ok"] for x in res["v_repair"]) and all(m.ok for m in res["v_pt"])
    t = [["verify of identical tables <= 2x CHECKSUM TABLE EXTENDED (both, parallel)",
          f"{fmt(ratio(same, anchor))}x ({same:.2f}s vs {anchor:.2f}s)", verdict(ratio(same, anchor) <= 2)],
         ["verify+repair <= 0.3x pt-table-sync --execute on the same change",
          f"{fmt(ratio(rep, pt))}x ({rep:.2f}s vs {pt:.2f}s)" if pt == pt else "pt-table-sync not installed",
          verdict(ratio(rep, pt) <= 0.3) if pt == pt else "NOT MEASURED"],
         ["target == source after every repair (count + CRC32 sum)", "yes" if ok else "NO", verdict(ok)]]
    print()
    print("Targets (issue 6)")
    table(["target", "measured", "verdict"], t)
    return ok


# ---------------------------------------------------------------------------------------------
# results

def med(xs):
    return statistics.median(xs) if xs else float("nan")


def ratio(x, y):
    """x / y, or NaN (printed n/a) when either is missing or y is zero: a section without runs."""
    if x is None or y is None or x != x or y != y or y == 0:
        return float("nan")
    return x / y


def fmt_int(x):
    return f"{x:,.0f}" if x == x else "n/a"


def fmt(x, nd=2):
    return f"{x:,.{nd}f}" if x == x else "n/a"


def table(headers, rows):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                                for i, (c, w) in enumerate(zip(r, widths))) + " |")


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------------------------
# phases

def generate(rows, table="t"):
    q(SRC, "CREATE DATABASE IF NOT EXISTS bench;" + DDL.format(name=f"bench.{table}"))
    chunk = 200_000
    for lo in range(1, rows + 1, chunk):
        hi = min(rows, lo + chunk - 1)
        numbers = NUMBERS[SERVER].format(lo=lo, hi=hi)
        q(SRC, "SET SESSION cte_max_recursion_depth = 1000000;" * (SERVER == "mysql")
            + GENERATE.format(table=table, numbers=numbers))


def snapshot_rounds(a, src_sum, res):
    tsv = os.path.join(FILES, "t.tsv")
    t0 = time.perf_counter()
    q(SRC, f"SELECT * FROM bench.t ORDER BY id INTO OUTFILE '{tsv}' CHARACTER SET utf8mb4")
    log(f"exported {a.rows:,} rows to a TSV for LOAD DATA in {time.perf_counter() - t0:.1f}s"
        f" ({os.path.getsize(tsv) / a.rows:.0f} bytes/row of text)")
    for r in range(1, a.repeat + 1):
        # 1. mariadb-dump | mariadb
        q(TGT, "DROP DATABASE IF EXISTS dump_copy; CREATE DATABASE dump_copy")
        settle()
        m = measure(sh(quote(dump_cmd("--single-transaction", "--quick", "bench", "t")) + " | "
                       + quote(client(TGT, "dump_copy"))), f"dump-{r}")
        m.ok = checksum(TGT, "dump_copy.t") == src_sum
        res["dump"].append(m)
        log(f"round {r}: mariadb-dump | mariadb   {a.rows / m.wall:>10,.0f} rows/s  wall {m.wall:.1f}s"
            f"  target==source {m.ok}, others' cores {m.others:.2f}")
        q(TGT, "DROP DATABASE dump_copy")
        # 2. LOAD DATA INFILE on the target alone
        q(TGT, "DROP DATABASE IF EXISTS load_copy; CREATE DATABASE load_copy;" + DDL.format(name="load_copy.t"))
        settle()
        m = measure(client(TGT, "load_copy", "-e",
                           f"LOAD DATA INFILE '{tsv}' INTO TABLE t CHARACTER SET utf8mb4"), f"load-{r}")
        m.ok = checksum(TGT, "load_copy.t") == src_sum
        res["load"].append(m)
        log(f"round {r}: LOAD DATA INFILE          {a.rows / m.wall:>10,.0f} rows/s  wall {m.wall:.1f}s"
            f"  target==source {m.ok}, others' cores {m.others:.2f}")
        q(TGT, "DROP DATABASE load_copy")
        # 3. the service, run-once, fresh target table and fresh state schema
        m = service_snapshot(f"snapshot-{r}", "t", a.rows, a.batch_size, src_sum, bulk=a.bulk_batch_size)
        res["svc"].append(m)
        log(f"round {r}: tablesync run-once        {a.rows / m.wall:>10,.0f} rows/s  wall {m.wall:.1f}s"
            f" (copy {m.copy_s:.1f}s: {a.rows / m.copy_s:,.0f} rows/s), java CPU {m.cpu:.1f}s,"
            f" peak RSS {m.maxrss_kb / 1024:.0f} MB, target==source {m.ok}, others' cores {m.others:.2f}")
        if EXEC and a.snapshot_only:
            # the jar too, in the same round, so both builds meet the same machine load
            m = service_snapshot(f"jvm-snapshot-{r}", "t", a.rows, a.batch_size, src_sum, bulk=a.bulk_batch_size,
                                 native=False)
            res["svc_jvm"].append(m)
            log(f"round {r}: tablesync run-once (JVM)  {a.rows / m.wall:>10,.0f} rows/s  wall {m.wall:.1f}s"
                f" (copy {m.copy_s:.1f}s), java CPU {m.cpu:.1f}s, peak RSS {m.maxrss_kb / 1024:.0f} MB,"
                f" target==source {m.ok}, others' cores {m.others:.2f}")
        if APP_B and a.snapshot_only:
            m = service_snapshot(f"b-snapshot-{r}", "t", a.rows, a.batch_size, src_sum, bulk=a.bulk_batch_size,
                                 native=False, app=APP_B)
            res["svc_b"].append(m)
            log(f"round {r}: tablesync run-once (B)    {a.rows / m.wall:>10,.0f} rows/s  wall {m.wall:.1f}s"
                f" (copy {m.copy_s:.1f}s), java CPU {m.cpu:.1f}s, peak RSS {m.maxrss_kb / 1024:.0f} MB,"
                f" target==source {m.ok}, others' cores {m.others:.2f}")
    os.remove(tsv)


def report_snapshot(a, res):
    """--snapshot-only: the snapshot paths side by side, and the service against LOAD DATA INFILE."""
    print(f"\nSnapshot of {a.rows:,} rows, median of {a.repeat}; service: "
          + (f"native executable {EXEC} (-Xmx{HEAP}), beside the jar" if EXEC else f"jar (-Xmx{HEAP})")
          + (f"; B: {APP_B}" if APP_B else "") + (f"; JDBC URL options {URL_OPTIONS}" if URL_OPTIONS else ""))
    rows, walls = [], {}
    for label, key in (("mariadb-dump | mariadb", "dump"), ("LOAD DATA INFILE (target alone)", "load"),
                       ("tablesync run-once " + ("native" if EXEC else "JVM"), "svc"),
                       ("tablesync run-once JVM", "svc_jvm"), ("tablesync run-once B (BENCH_APP_B)", "svc_b")):
        ms = res.get(key) or []
        if not ms:
            continue
        walls[key] = med([m.wall for m in ms])
        rows.append([label, fmt_int(ratio(a.rows, walls[key])), fmt(walls[key]), fmt(med([m.cpu for m in ms])),
                     fmt(med([m.src_cpu for m in ms])), fmt(med([m.tgt_cpu for m in ms])),
                     f"{med([m.maxrss_kb for m in ms]) / 1024:.0f}", fmt(med([m.others for m in ms])),
                     all(m.ok for m in ms)])
    table(["path", "rows/s", "wall s", "CPU s", "src server CPU s", "tgt server CPU s", "peak RSS MB",
           "others' cores", "target==source"], rows)
    for key in ("svc", "svc_jvm", "svc_b"):
        groups = [m.threads for m in res.get(key) or [] if m.threads]
        if groups:
            print(f"   {key} java CPU by thread (median): "
                  + threads_text({k: med([x[k] for x in groups]) for k in groups[0]}))
    r = ratio(walls.get("load"), walls.get("svc"))
    print(f"service / LOAD DATA INFILE speed: {fmt(r)}x (target >= 0.8x): {verdict(r >= 0.8)}")
    print(f"service / mariadb-dump | mariadb speed: {fmt(ratio(walls.get('dump'), walls.get('svc')))}x")
    if "svc_jvm" in walls:
        print(f"native / JVM speed: {fmt(ratio(walls['svc_jvm'], walls['svc']))}x")
    if "svc_b" in walls:
        print(f"this build / B speed: {fmt(ratio(walls['svc_b'], walls['svc']))}x; B / mariadb-dump | mariadb:"
              f" {fmt(ratio(walls.get('dump'), walls['svc_b']))}x")
    return all(all(m.ok for m in res.get(k) or []) for k in ("dump", "load", "svc", "svc_jvm", "svc_b"))


def runs_after(last_id):
    return [(int(r[0]), int(r[1]), int(r[2]), r[3], r[4]) for r in q(
        TGT, "SELECT id, TIMESTAMPDIFF(MICROSECOND, started_at, finished_at), rows_read, kind, status"
             f" FROM tablesync.run WHERE mapping_id = '{MAPPING}' AND id > {last_id} ORDER BY id")]


def max_run_id():
    return int(q1(TGT, f"SELECT COALESCE(MAX(id), 0) FROM tablesync.run WHERE mapping_id = '{MAPPING}'"))


def wait_until(pred, timeout, what, interval=0.02):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if pred():
            return
        time.sleep(interval)
    raise BenchError(f"timed out after {timeout}s waiting for {what}")


def complete_past(utc_text):
    return q1(TGT, f"SELECT complete_up_to >= '{utc_text}' FROM tablesync.checkpoint"
                   f" WHERE mapping_id = '{MAPPING}'") == "1"


def questions(port):
    return int(q1(port, f"SELECT VARIABLE_VALUE FROM {GLOBAL_STATUS} WHERE UPPER(VARIABLE_NAME) = 'QUESTIONS'"))


def idle_runs(res, wanted=10):
    """Samples the source's and target's Questions each time a run finishes: queries per idle run."""
    samples = []
    polls = 0
    last = max_run_id()
    deadline = time.perf_counter() + wanted * 3 + 20
    while len(samples) < wanted + 1 and time.perf_counter() < deadline:
        r = q(TGT, "SELECT (SELECT COALESCE(MAX(id), 0) FROM tablesync.run), (SELECT VARIABLE_VALUE FROM"
                   f" {GLOBAL_STATUS} WHERE UPPER(VARIABLE_NAME) = 'QUESTIONS')")[0]
        polls += 1
        run_id, tq = int(r[0]), int(r[1])
        if run_id > last:
            # the run's row becomes visible at its COMMIT; RELEASE_LOCK and SET autocommit follow: let them land
            time.sleep(0.15)
            r = q(TGT, "SELECT (SELECT COALESCE(MAX(id), 0) FROM tablesync.run), (SELECT VARIABLE_VALUE FROM"
                       f" {GLOBAL_STATUS} WHERE UPPER(VARIABLE_NAME) = 'QUESTIONS')")[0]
            polls += 1
            run_id, tq = int(r[0]), int(r[1])
            samples.append((run_id, questions(SRC), tq, polls))
            last = run_id
        time.sleep(0.1)
    per_src, per_tgt = [], []
    for (i0, s0, t0, p0), (i1, s1, t1, p1) in zip(samples, samples[1:]):
        if i1 - i0 == 1:
            per_src.append(s1 - s0 - res["overhead"])
            per_tgt.append(t1 - t0 - (p1 - p0) * res["overhead"])
    first = samples[0][0] if samples else last
    durations = [d / 1000 for (i, d, rows, kind, status) in runs_after(first) if rows == 0 and status == "success"]
    res["idle_ms"] = durations
    res["idle_q_src"], res["idle_q_tgt"] = per_src, per_tgt


def trace_idle_run(res):
    """The statements of one idle run, from both servers' general logs (on for a few seconds only)."""
    for port in (SRC, TGT):
        q(port, "SET GLOBAL log_output = 'TABLE'; TRUNCATE TABLE mysql.general_log; SET GLOBAL general_log = 1")
    try:
        last = max_run_id()
        wait_until(lambda: max_run_id() >= last + 2, 30, "two more idle runs", 0.1)
    finally:
        for port in (SRC, TGT):
            q(port, "SET GLOBAL general_log = 0")
    run = q(TGT, "SELECT DATE_FORMAT(started_at - INTERVAL 5000 MICROSECOND, '%Y-%m-%d %H:%i:%s.%f'),"
                 " DATE_FORMAT(finished_at + INTERVAL 200000 MICROSECOND, '%Y-%m-%d %H:%i:%s.%f'), rows_read"
                 f" FROM tablesync.run WHERE id = {last + 2}")[0]
    mine = ("general_log", "FROM tablesync.run", "QUESTIONS", "@@innodb_", "GLOBAL innodb_")
    trace = {}
    for name, port in (("source", SRC), ("target", TGT)):
        rows = q(port, "SELECT REPLACE(REPLACE(LEFT(argument, 150), '\\n', ' '), '\\t', ' ') FROM mysql.general_log"
                       f" WHERE event_time BETWEEN '{run[0]}' AND '{run[1]}' AND command_type IN ('Query', 'Execute')"
                       " ORDER BY event_time")
        trace[name] = [r[0] for r in rows if r and not any(m in r[0] for m in mine)]
        q(port, "TRUNCATE TABLE mysql.general_log")
    res["idle_trace"] = trace


def update_sql(ids):
    return (f"UPDATE bench.t SET updated_at = NOW(6), c = c + 1 WHERE id IN ({','.join(map(str, ids))});"
            " SELECT UTC_TIMESTAMP(6), NOW(6);")


class Service:
    def __init__(self, proc):
        self.p = proc
        self.pid = proc.pid

    def pause(self):
        """SIGSTOP between two runs (the mapping's lock is free), so anchors run alone."""
        for _ in range(400):
            os.kill(self.pid, signal.SIGSTOP)
            if q1(TGT, f"SELECT IS_FREE_LOCK('{LOCK_NAME}')") == "1":
                return
            os.kill(self.pid, signal.SIGCONT)
            time.sleep(0.03)
        raise BenchError("could not pause the service between runs")

    def resume_and_catch_up(self):
        os.kill(self.pid, signal.SIGCONT)
        now = q1(SRC, "SELECT UTC_TIMESTAMP(6)")
        wait_until(lambda: complete_past(now), 300, "the service to catch up", 0.1)

    def peak_rss_kb(self):
        with open(f"/proc/{self.pid}/status") as f:
            return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))


def incremental_phase(a, res):
    cfg = service_config("service", "t", a.batch_size, run_once=False)
    log_path = os.path.join(WORK, "service.log")
    with open(log_path, "w") as out:
        proc = spawn(java_cmd(cfg), stdout=out, stderr=subprocess.STDOUT)
    svc = Service(proc)
    res["service_log"] = log_path
    try:
        first = max_run_id()
        wait_until(lambda: len(runs_after(first)) >= 3 or proc.poll() is not None, 120, "3 scheduled runs", 0.2)
        if proc.poll() is not None:
            raise BenchError("the service stopped:\n" + open(log_path).read()[-3000:])
        log("service running (schedule 1s, commit-delay 0s); measuring idle runs")
        idle_runs(res)
        log(f"idle runs: median {med(res['idle_ms']):.1f} ms over {len(res['idle_ms'])} runs;"
            f" queries per idle run: source {res['idle_q_src']}, target {res['idle_q_tgt']}")
        trace_idle_run(res)
        rnd = random.Random(5)

        def service_round(label):
            ids = rnd.sample(range(1, a.rows + 1), a.changes)
            last = max_run_id()
            j0, s0, b0 = cpu(svc.pid), server_cpu(), machine_busy()
            out = q(SRC, update_sql(ids))
            t_commit = time.perf_counter()
            commit_utc = out[0][0]
            wait_until(lambda: complete_past(commit_utc), 600, "the service to copy the changes")
            latency = time.perf_counter() - t_commit
            j1, s1, b1 = cpu(svc.pid), server_cpu(), machine_busy()
            others = max(0.0, b1 - b0 - (j1 - j0) - (s1[0] - s0[0]) - (s1[1] - s0[1])) / latency
            runs = [x for x in runs_after(last) if x[2] > 0]
            rows = sum(x[2] for x in runs)
            dur_ms = sum(x[1] for x in runs) / 1000
            res["src_sum"] = checksum(SRC, "bench.t")
            ok = checksum(TGT, "svc.t") == res["src_sum"]
            log(f"{label}: service incremental  {fmt(ratio(dur_ms, rows), 4)} ms/row (run {dur_ms:.0f} ms for"
                f" {rows} rows in {len(runs)} run(s)); commit->target complete {latency * 1000:.0f} ms;"
                f" target==source {ok}; others' cores {others:.2f}")
            return dict(ms_row=ratio(dur_ms, rows), run_ms=dur_ms, rows=rows, runs=len(runs),
                        latency_ms=latency * 1000, java_cpu=j1 - j0, src_cpu=s1[0] - s0[0],
                        tgt_cpu=s1[1] - s0[1], others=others, ok=ok and rows == a.changes)

        # the first changes a fresh JVM copies run on cold code (interpreter, C1): one unmeasured round
        res["inc_warmup"] = service_round("warm-up")
        for r in range(1, a.repeat + 1):
            res["inc_svc"].append(service_round(f"round {r}"))

            # anchor: mariadb-dump --replace --where "updated_at > checkpoint" | mariadb
            svc.pause()
            checkpoint = q1(SRC, "SELECT NOW(6)")
            q(SRC, update_sql(rnd.sample(range(1, a.rows + 1), a.changes)))
            m = measure(sh(quote(dump_cmd("--replace", "--no-create-info", "--where",
                                          f"updated_at > '{checkpoint}'", "bench", "t"))
                           + " | " + quote(client(TGT, "svc"))), f"dump-where-{r}")
            src_sum = checksum(SRC, "bench.t")
            m.ok = checksum(TGT, "svc.t") == src_sum
            res["inc_dump"].append(m)
            log(f"round {r}: dump --where | mariadb  {m.wall * 1000 / a.changes:.4f} ms/row"
                f" (wall {m.wall * 1000:.0f} ms), target==source {m.ok}")
            svc.resume_and_catch_up()

            # anchor: pt-table-sync --execute
            if res["pt"]:
                svc.pause()
                q(SRC, update_sql(rnd.sample(range(1, a.rows + 1), a.changes)))
                m = measure(["pt-table-sync", "--execute", "--no-version-check",
                             f"h=127.0.0.1,P={SRC},u=root,D=bench,t=t,F=/dev/null,A=utf8mb4",
                             f"h=127.0.0.1,P={TGT},u=root,D=svc,t=t,F=/dev/null,A=utf8mb4"], f"pt-{r}",
                            ok_rc=(0, 2))  # 2: "tables differed and were synced"
                src_sum = checksum(SRC, "bench.t")
                m.ok = checksum(TGT, "svc.t") == src_sum
                res["inc_pt"].append(m)
                log(f"round {r}: pt-table-sync --execute {m.wall * 1000 / a.changes:.4f} ms/row"
                    f" (wall {m.wall:.1f} s), target==source {m.ok}")
                svc.resume_and_catch_up()
            res["src_sum"] = checksum(SRC, "bench.t")
            settle()
            ok = checksum(TGT, "svc.t") == res["src_sum"]
            res["inc_svc"][-1]["ok"] &= ok
        res["svc_peak_rss_kb"] = svc.peak_rss_kb()
        res["svc_cpu_total"] = cpu(svc.pid)
    finally:
        if proc.poll() is None:
            os.kill(svc.pid, signal.SIGCONT)
        stop(proc)


def scaling(a, res):
    sizes = sorted({min(100_000, a.rows), min(1_000_000, a.rows), a.rows})
    for n in sizes:
        table = "t" if n == a.rows else f"t_{n}"
        if table != "t":
            q(SRC, f"DROP TABLE IF EXISTS bench.{table};" + DDL.format(name=f"bench.{table}")
                   + f"; INSERT INTO bench.{table} SELECT * FROM bench.t WHERE id <= {n}")
        src_sum = checksum(SRC, f"bench.{table}")
        q(TGT, "DROP DATABASE IF EXISTS dump_copy; CREATE DATABASE dump_copy")
        settle()
        d = measure(sh(quote(dump_cmd("--single-transaction", "--quick", "bench", table)) + " | "
                       + quote(client(TGT, "dump_copy"))), f"scaling-dump-{n}")
        q(TGT, "DROP DATABASE dump_copy")
        for batch in (500, 1000, 5000):
            m = service_snapshot(f"scaling-{n}-{batch}", table, n, batch, src_sum, bulk=batch)
            res["scaling"].append(dict(n=n, batch=batch, rows_s=n / m.wall, copy_rows_s=n / m.copy_s,
                                       dump_rows_s=n / d.wall, rss=m.maxrss_kb, java_cpu=m.cpu, ok=m.ok,
                                       others=m.others))
            log(f"scaling N={n:,} batch={batch}: {n / m.wall:,.0f} rows/s (copy {n / m.copy_s:,.0f}),"
                f" dump {n / d.wall:,.0f} rows/s, target==source {m.ok}")
            q(TGT, f"DROP TABLE svc.{table}")
        if table != "t":
            q(SRC, f"DROP TABLE bench.{table}")


def profile(a, res):
    jfr_file = os.path.join(WORK, "snapshot.jfr")
    m = service_snapshot("profile", "t", a.rows, a.batch_size, res["src_sum"],
                         jvm=(f"-XX:StartFlightRecording=filename={jfr_file},settings=profile",))
    res["profile_run"] = m
    js = os.path.join(WORK, "samples.json")
    with open(js, "w") as f:
        subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events",
                        "jdk.ExecutionSample,jdk.NativeMethodSample,jdk.GarbageCollection,jdk.CPULoad", jfr_file],
                       stdout=f, check=True)
    with open(js) as f:
        events = json.load(f)["recording"]["events"]
    os.remove(js)
    res["profile"] = analyse(events)


def frame_name(fr):
    """package.Class.method: JFR names most classes with slashes, hidden ones (lambdas) with dots."""
    m = fr.get("method", {})
    return f"{m.get('type', {}).get('name', '?')}.{m.get('name', '?')}".replace("/", ".")


def analyse(events):
    """Where the copying thread's JVM CPU goes, from JFR's Java-state samples (every 10 ms). JFR samples
    at most one thread in native code per 20 ms across all threads, so waiting on sockets is not
    read from samples: it is the copy thread's wall time minus its CPU time (from /proc)."""
    buckets, self_frames, callers = {}, {}, {}
    gc_ms, gcs = 0.0, 0
    for e in events:
        t, v = e["type"], e["values"]
        if t == "jdk.GarbageCollection":
            gcs += 1
            gc_ms += _duration_ms(v.get("sumOfPauses", "0"))
            continue
        if t != "jdk.ExecutionSample":
            continue
        frames = [frame_name(fr) for fr in (v.get("stackTrace") or {}).get("frames", [])]
        if not any(f.startswith("dev.tablesync.sync.") for f in frames):
            continue
        thread = ((v.get("sampledThread") or {}).get("javaName") or "?")
        where = ("reader: " if thread.startswith("tablesync-read") else "copy: ") + sample_bucket(frames)
        buckets[where] = buckets.get(where, 0) + 1
        self_frames[frames[0]] = self_frames.get(frames[0], 0) + 1
        # the nearest caller outside the frame's own class and the JDK, to tell who pays for a driver
        # internal or a collection lookup (HashMap$TreeNode's caller HashMap.getNode says nothing)
        own = frames[0].rsplit(".", 1)[0]
        caller = next((f for f in frames[1:] if f.rsplit(".", 1)[0] != own
                       and not f.startswith(("java.", "jdk.", "sun."))), "?")
        key = (frames[0], caller)
        callers[key] = callers.get(key, 0) + 1
    return dict(buckets=buckets, self_frames=self_frames, callers=callers, gc_ms=gc_ms, gcs=gcs)


def sample_bucket(frames):
    """What a sample's thread was doing, by its stack (innermost frame first). What no rule names is
    named by its innermost tablesync frame, so an "other" bucket says what it holds."""
    stack = " ".join(frames)
    if any(k in stack for k in ("BatchWriter", "UpsertStatements", "StagedWriter", "BulkLoader")):
        if any(k in stack for k in ("Values.bind", "setBytes", "setString", "setNull", "setObject")):
            return "write: binding values (setBytes/setString, escaping checks)"
        if any(k in stack for k in ("executeLargeUpdate", "executeUpdate", "executeInternal", "execute")):
            return "write: building and sending the statement, reading the reply"
        if "prepareStatement" in stack:
            return "write: preparing the statement (parsing the SQL text)"
    elif "SnapshotBatches" in stack:
        return "read: cutting batches (load text or rows)"
    elif "SourceReader" in stack or "KeysetSnapshot" in stack or "WindowChanges" in stack:
        return ("read: rs.next (decoding packets)" if ".next" in stack and "getBytes" not in stack
                else "read: rs.getBytes / row arrays")
    elif "CheckpointStore" in stack:
        return "checkpoint save"
    elif "Copier.save" in stack or ".commit" in stack:
        return "commit"
    elif "BatchPrefetcher" in stack:
        return "hand-off between reader and copy thread"
    own = next((f for f in frames if f.startswith("dev.tablesync.")), "?")
    # a lambda's class name carries its address, which would split one bucket into many
    return "other: " + re.sub(r"\$\$Lambda[^.]*", "$$Lambda", own.removeprefix("dev.tablesync."))


def _duration_ms(d):
    if isinstance(d, (int, float)):
        return d / 1e6
    m = re.match(r"PT(?:(\d+)M)?([\d.]+)S", str(d))
    if m:
        return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000
    m = re.match(r"([\d.]+)\s*(ms|s|us|ns)", str(d))
    if m:
        return float(m.group(1)) * {"ms": 1, "s": 1000, "us": 1e-3, "ns": 1e-6}[m.group(2)]
    return 0.0


# ---------------------------------------------------------------------------------------------
# report

def report(a, res):
    n = a.rows
    dump, load, svc = res["dump"], res["load"], res["svc"]
    dump_rs, load_rs = ratio(n, med([m.wall for m in dump])), ratio(n, med([m.wall for m in load]))
    svc_rs = ratio(n, med([m.wall for m in svc]))
    copy_rs = ratio(n, med([m.copy_s for m in svc]))
    print()
    print(f"== Results: {n:,} rows, median of {a.repeat} alternating round(s), batch-size {a.batch_size}")
    print(f"   servers: {SETTINGS}")
    print(f"   machine: {os.cpu_count()} cores; load average at start {res['load_start']}, at the end"
          f" {open('/proc/loadavg').read().split()[:3]} (others' builds and tests ran concurrently: see the"
          f" \"others' cores\" column)")
    print()
    print("Full copy (snapshot)")
    rows = []

    def snap_row(name, ms, rs, extra_cpu="-"):
        rows.append([name, fmt_int(rs), fmt(med([m.wall for m in ms]), 1),
                     fmt(med([m.cpu for m in ms]), 1), fmt(med([m.src_cpu for m in ms]), 1),
                     fmt(med([m.tgt_cpu for m in ms]), 1), extra_cpu, fmt(med([m.others for m in ms]), 2),
                     " ".join("ok" if m.ok else "FAIL" for m in ms)])

    snap_row("A1 mariadb-dump --single-transaction --quick | mariadb", dump, dump_rs)
    snap_row("A2 LOAD DATA INFILE (target alone)", load, load_rs)
    snap_row("S  tablesync run-once -Xmx64m (process wall)", svc, svc_rs,
             f"{med([m.maxrss_kb for m in svc]) / 1024:.0f} MB")
    rows.append(["S' tablesync copy phase only (run duration)", fmt_int(copy_rs),
                 fmt(med([m.copy_s for m in svc]), 1), "", "", "", "", "", ""])
    table(["path", "rows/s", "wall s", "client/java CPU s", "src mariadbd CPU s", "tgt mariadbd CPU s",
           "peak RSS", "others' cores", "target==source"], rows)
    print("   others' cores: average number of cores other processes kept busy during the step (2 cores in all)")
    print(f"   ratios: service/dump = {fmt(ratio(svc_rs, dump_rs))}x (copy phase {fmt(ratio(copy_rs, dump_rs))}x);"
          f" service/LOAD DATA = {fmt(ratio(svc_rs, load_rs))}x (copy phase {fmt(ratio(copy_rs, load_rs))}x)")
    print(f"   service heap limit -Xmx{HEAP}; peak RSS of the run-once process"
          f" {max(m.maxrss_kb for m in svc) / 1024:.0f} MB (max over rounds);"
          f" CPU per 1k rows: java {1000 * med([m.cpu for m in svc]) / n * 1000:.1f} ms,"
          f" source {1000 * med([m.src_cpu for m in svc]) / n * 1000:.1f} ms,"
          f" target {1000 * med([m.tgt_cpu for m in svc]) / n * 1000:.1f} ms"
          f" (dump pipe: clients {1000 * med([m.cpu for m in dump]) / n * 1000:.1f} ms,"
          f" source {1000 * med([m.src_cpu for m in dump]) / n * 1000:.1f} ms,"
          f" target {1000 * med([m.tgt_cpu for m in dump]) / n * 1000:.1f} ms)")
    groups = [m.threads for m in svc if m.threads]
    if groups:
        g = {k: med([x[k] for x in groups]) for k in groups[0]}
        b = res.get("baseline")
        bm = b.threads["copy thread"] if b and b.threads else 0.0
        brq = b.copy_runqueue if b else 0.0
        copy_wall = med([m.copy_s for m in svc])
        c = g["copy thread"] - bm
        rq = max(0.0, med([m.copy_runqueue for m in svc]) - brq)
        blocked = max(0.0, copy_wall - c - rq)
        print(f"   java CPU by thread (median): {threads_text(g)}")
        print(f"   the copy thread (the JVM's main thread), minus its start-up share in the baseline below, over"
              f" the {copy_wall:.1f}s copy: on a core {c:.1f}s ({fmt(100 * ratio(c, copy_wall), 0)}%,"
              f" {1e6 * c / n:.1f} us/row), runnable but waiting for a core {rq:.1f}s"
              f" ({fmt(100 * ratio(rq, copy_wall), 0)}%), blocked on the servers' replies ~{blocked:.1f}s"
              f" ({fmt(100 * ratio(blocked, copy_wall), 0)}%)")
    if res.get("baseline"):
        b = res["baseline"]
        print(f"   JVM start + idle run-once baseline: wall {b.wall:.1f}s, java CPU {b.cpu:.1f}s"
              f" ({threads_text(b.threads)}), peak RSS {b.maxrss_kb / 1024:.0f} MB")

    print()
    print(f"Incremental ({a.changes:,} random rows updated in the {n:,}-row table; service: running, schedule 1s)")
    inc = res["inc_svc"]
    svc_ms = med([x["ms_row"] for x in inc])
    rows = [["I  tablesync running service (run duration / rows)", fmt(svc_ms, 4),
             fmt(med([x["run_ms"] for x in inc]), 0), fmt(med([x["java_cpu"] for x in inc]), 2),
             fmt(med([x["src_cpu"] for x in inc]), 2), fmt(med([x["tgt_cpu"] for x in inc]), 2),
             fmt(med([x["others"] for x in inc]), 2), " ".join("ok" if x["ok"] else "FAIL" for x in inc)],
            ["I0 tablesync, first changes after start (cold JIT; not in I)", fmt(res["inc_warmup"]["ms_row"], 4),
             fmt(res["inc_warmup"]["run_ms"], 0), fmt(res["inc_warmup"]["java_cpu"], 2),
             fmt(res["inc_warmup"]["src_cpu"], 2), fmt(res["inc_warmup"]["tgt_cpu"], 2),
             fmt(res["inc_warmup"]["others"], 2), "ok" if res["inc_warmup"]["ok"] else "FAIL"],
            ["I' tablesync end-to-end: commit -> target complete", fmt(med([x["latency_ms"] for x in inc]) / a.changes, 4),
             fmt(med([x["latency_ms"] for x in inc]), 0), "", "", "", "", "(includes up to 1s schedule wait)"]]
    dump_ms = med([m.wall * 1000 / a.changes for m in res["inc_dump"]])
    rows.append(["B1 mariadb-dump --replace --where updated_at>cp | mariadb", fmt(dump_ms, 4),
                 fmt(med([m.wall * 1000 for m in res["inc_dump"]]), 0), fmt(med([m.cpu for m in res["inc_dump"]]), 2),
                 fmt(med([m.src_cpu for m in res["inc_dump"]]), 2), fmt(med([m.tgt_cpu for m in res["inc_dump"]]), 2),
                 fmt(med([m.others for m in res["inc_dump"]]), 2), " ".join("ok" if m.ok else "FAIL" for m in res["inc_dump"])])
    pt_ms = float("nan")
    if res["inc_pt"]:
        pt_ms = med([m.wall * 1000 / a.changes for m in res["inc_pt"]])
        rows.append(["B2 pt-table-sync --execute", fmt(pt_ms, 4), fmt(med([m.wall * 1000 for m in res["inc_pt"]]), 0),
                     fmt(med([m.cpu for m in res["inc_pt"]]), 2), fmt(med([m.src_cpu for m in res["inc_pt"]]), 2),
                     fmt(med([m.tgt_cpu for m in res["inc_pt"]]), 2), fmt(med([m.others for m in res["inc_pt"]]), 2),
                     " ".join("ok" if m.ok else "FAIL" for m in res["inc_pt"])])
    else:
        rows.append(["B2 pt-table-sync --execute", "not installed", "", "", "", "", "",
                     "apt-get install percona-toolkit"])
    table(["path", "ms per changed row", "wall ms", "client/java CPU s", "src CPU s", "tgt CPU s",
           "others' cores", "target==source"], rows)
    print(f"   ratios (anchor time / service time, > 1 means the service is faster): dump --where"
          f" {fmt(ratio(dump_ms, svc_ms))}x; pt-table-sync "
          + (f"{fmt(ratio(pt_ms, svc_ms), 1)}x" if pt_ms == pt_ms else "not measured"))
    print(f"   java CPU for I counts the whole round (update commit to target complete, idle runs included)")

    idle = res["idle_ms"]
    print()
    print(f"Idle incremental runs (no changes, {n:,}-row table): median {fmt(med(idle), 1)} ms"
          f" (min {fmt(min(idle) if idle else float('nan'), 1)}, max {fmt(max(idle) if idle else float('nan'), 1)},"
          f" {len(idle)} runs); queries per idle run: source {sorted(set(res['idle_q_src']))},"
          f" target {sorted(set(res['idle_q_tgt']))}")
    for side, stmts in res.get("idle_trace", {}).items():
        print(f"   statements of one idle run on the {side} ({len(stmts)}, from the general log):")
        for st in stmts:
            print(f"     {st[:140]}")
    print(f"Running service: peak RSS {res.get('svc_peak_rss_kb', 0) / 1024:.0f} MB (VmHWM, heap -Xmx{HEAP}),"
          f" java CPU {res.get('svc_cpu_total', float('nan')):.1f}s over the whole incremental phase")

    if res["scaling"]:
        print()
        print("Scaling (service run-once snapshot, one run each)")
        table(["N", "batch-size = bulk-batch-size", "rows/s (process)", "rows/s (copy)", "dump rows/s", "service/dump", "peak RSS",
               "java CPU s", "others' cores", "target==source"],
              [[f"{s['n']:,}", s["batch"], fmt_int(s["rows_s"]), fmt_int(s["copy_rows_s"]), fmt_int(s["dump_rows_s"]),
                f"{s['rows_s'] / s['dump_rows_s']:.2f}x", f"{s['rss'] / 1024:.0f} MB", fmt(s["java_cpu"], 1),
                fmt(s["others"], 2), "ok" if s["ok"] else "FAIL"] for s in res["scaling"]])

    report_profile(res)

    print()
    print("Targets (issue 5)")
    load_ok = all(m.ok for m in svc) and all(x["ok"] for x in inc)
    t = [
        ["full snapshot >= 1.5x mariadb-dump | mariadb",
         f"{fmt(ratio(svc_rs, dump_rs))}x (copy phase {fmt(ratio(copy_rs, dump_rs))}x)",
         verdict(ratio(svc_rs, dump_rs) >= 1.5)],
        ["full snapshot >= 0.7x LOAD DATA alone",
         f"{fmt(ratio(svc_rs, load_rs))}x (copy phase {fmt(ratio(copy_rs, load_rs))}x)",
         verdict(ratio(svc_rs, load_rs) >= 0.7)],
        ["incremental <= 0.023 ms per changed row", f"{svc_ms:.4f} ms", verdict(svc_ms <= 0.023)],
        ["incremental at least as fast as dump --where pipe", f"{svc_ms:.4f} vs {dump_ms:.4f} ms",
         verdict(svc_ms <= dump_ms)],
        ["incremental >= 50x faster than pt-table-sync",
         f"{fmt(ratio(pt_ms, svc_ms), 1)}x" if pt_ms == pt_ms else "pt-table-sync not installed",
         verdict(ratio(pt_ms, svc_ms) >= 50) if pt_ms == pt_ms else "NOT MEASURED"],
        ["idle run <= 10 ms", f"{fmt(med(idle), 1)} ms", verdict(med(idle) <= 10)],
        ["idle run: constant number of queries",
         f"source {sorted(set(res['idle_q_src']))}, target {sorted(set(res['idle_q_tgt']))} per run",
         verdict(len(set(res["idle_q_src"])) == 1 and len(set(res["idle_q_tgt"])) == 1)],
        [f"memory: {n:,}-row snapshot completes with -Xmx{HEAP}",
         f"peak RSS {max(m.maxrss_kb for m in svc) / 1024:.0f} MB", verdict(all(m.ok for m in svc))],
        ["every service run: target == source (count + CRC32 sum)", "yes" if load_ok else "NO", verdict(load_ok)],
    ]
    table(["target", "measured", "verdict"], t)
    return load_ok


def report_profile(res):
    if not res.get("profile"):
        return
    p, m = res["profile"], res["profile_run"]
    total = sum(p["buckets"].values()) or 1
    print()
    print(f"Profile of one snapshot (JFR settings=profile, not part of the medians): wall {m.wall:.1f}s,"
          f" copy {m.copy_s:.1f}s, java CPU {m.cpu:.1f}s ({threads_text(m.threads)}), source server"
          f" {m.src_cpu:.1f}s, target server {m.tgt_cpu:.1f}s; GC: {p['gcs']} collections,"
          f" {p['gc_ms']:.0f} ms of pauses")
    table([f"JVM CPU of the copy and reader threads, by JFR sample ({total} samples)", "share"],
          [[k, f"{100 * v / total:.0f}%"] for k, v in sorted(p["buckets"].items(), key=lambda kv: -kv[1])])
    top = sorted(p["self_frames"].items(), key=lambda kv: -kv[1])[:15]
    print("   top self frames of those samples:")
    for k, v in top:
        by = sorted(((c, n) for (f, c), n in p["callers"].items() if f == k), key=lambda cn: -cn[1])[:2]
        print(f"     {100 * v / total:5.1f}%  {k}   <- " + ", ".join(f"{c} ({100 * n / v:.0f}%)" for c, n in by))


def threads_text(g):
    return ", ".join(f"{k} {v:.1f}s" for k, v in g.items()) if g else "n/a"


def verdict(ok):
    return "MET" if ok else "NOT MET"


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(prog="run-bench.sh")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--changes", type=int, default=10_000, help="rows updated per incremental round")
    ap.add_argument("--batch-size", type=int, default=1000, help="the service's batch-size (default 1000)")
    ap.add_argument("--bulk-batch-size", type=int, default=None,
                    help="the service's bulk-batch-size for the snapshot (default: the service's own, 10000)")
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--verify-updates", type=int, default=10_000, help="source rows updated before a verify+repair")
    ap.add_argument("--verify-deletes", type=int, default=1_000, help="source rows deleted before a verify+repair")
    ap.add_argument("--verify-only", action="store_true",
                    help="only the verify section: one service snapshot to fill the target, then verify rounds")
    ap.add_argument("--no-verify", action="store_true", help="skip the verify section")
    ap.add_argument("--snapshot-only", action="store_true",
                    help="only the snapshot rounds (with BENCH_EXEC: the native executable and the jar)")
    ap.add_argument("--server", choices=("mariadb", "mysql"), default="mariadb", help="read by run-bench.sh")
    ap.add_argument("--target-local-infile", choices=("on", "off"), default=None, help="read by run-bench.sh")
    a = ap.parse_args()
    if a.rows < 1000 or a.repeat < 1:
        ap.error("--rows must be >= 1000 and --repeat >= 1")
    a.changes = max(1, min(a.changes, a.rows // 10))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    res = dict(dump=[], load=[], svc=[], svc_jvm=[], svc_b=[], inc_svc=[], inc_dump=[], inc_pt=[], scaling=[], v_anchor=[], v_same=[],
               v_repair=[], v_pt=[],
               pt=subprocess.run(["sh", "-c", "command -v pt-table-sync"], capture_output=True).returncode == 0)
    started = time.perf_counter()
    res["load_start"] = open("/proc/loadavg").read().split()[:3]
    try:
        q1s = [questions(SRC) for _ in range(3)]
        res["overhead"] = int(statistics.median([y - x for x, y in zip(q1s, q1s[1:])]))
        log("servers: " + ", ".join(f"{name} {v[0]} local_infile={v[1]}" for name, v in
                                    (("source", q(SRC, "SELECT @@version, @@local_infile")[0]),
                                     ("target", q(TGT, "SELECT @@version, @@local_infile")[0]))))
        log(f"generating {a.rows:,} rows in bench.t on the source")
        t0 = time.perf_counter()
        generate(a.rows)
        res["src_sum"] = checksum(SRC, "bench.t")  # also warms the source's buffer pool
        q(SRC, "ANALYZE TABLE bench.t")
        size = q(SRC, "SELECT DATA_LENGTH + INDEX_LENGTH, AVG_ROW_LENGTH FROM information_schema.TABLES"
                      " WHERE TABLE_SCHEMA = 'bench' AND TABLE_NAME = 't'")[0]
        text = float(q1(SRC, f"SELECT AVG(LENGTH({row_text()})) FROM bench.t WHERE id <= 10000"))
        log(f"generated in {time.perf_counter() - t0:.1f}s: {int(size[0]) / 2**20:.0f} MB on disk,"
            f" ~{text:.0f} bytes of text per row; changes per incremental round: {a.changes:,};"
            f" pt-table-sync {'found' if res['pt'] else 'not installed (apt-get install percona-toolkit)'}")

        if a.verify_only:
            m = service_snapshot("verify-snapshot", "t", a.rows, a.batch_size, res["src_sum"])
            log(f"target filled by a service snapshot in {m.wall:.1f}s, target==source {m.ok}")
            verify_phase(a, res)
            ok = report_verify(a, res)
            print(f"\n(total benchmark time {time.perf_counter() - started:.0f}s;"
                  f" command: src/bench/run-bench.sh {' '.join(sys.argv[1:])})")
            return 0 if ok else 1
        snapshot_rounds(a, res["src_sum"], res)
        if a.snapshot_only:
            if a.profile:
                log("profiling one more snapshot with Java Flight Recorder")
                profile(a, res)
            ok = report_snapshot(a, res)
            report_profile(res)
            print(f"\n(total benchmark time {time.perf_counter() - started:.0f}s;"
                  f" command: src/bench/run-bench.sh {' '.join(sys.argv[1:])})")
            return 0 if ok else 1
        # JVM start-up plus one idle incremental run: what every run-once pays before copying anything
        res["baseline"] = measure(java_cmd(service_config("baseline", "t", a.batch_size, True)), "baseline",
                                  threads=True)
        incremental_phase(a, res)
        if not a.no_verify:
            log("verify and repair")
            verify_phase(a, res)
        if a.scaling:
            log("scaling runs")
            scaling(a, res)
        if a.profile:
            log("profiling one more snapshot with Java Flight Recorder")
            profile(a, res)
        ok = report(a, res)
        if not a.no_verify:
            ok = report_verify(a, res) and ok
        print(f"\n(total benchmark time {time.perf_counter() - started:.0f}s;"
              f" command: src/bench/run-bench.sh {' '.join(sys.argv[1:])})")
        return 0 if ok else 1
    except BenchError as e:
        print(f"benchmark failed: {e}", file=sys.stderr)
        return 2
    finally:
        kill_children()


if __name__ == "__main__":
    sys.exit(main())
