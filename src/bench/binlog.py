#!/usr/bin/env python3
"""Binlog benchmark of src/bench/run-bench.sh --binlog (issue 15). Not meant to be run alone.

run-bench.sh starts the source (binlog_format=ROW, binlog_row_metadata=FULL), the target and a third server,
the replica (anchor of the catch-up), and passes their ports in BENCH_* variables. Three measurements:

  latency:  --lat-rate changes/s (default 1,000: 30% inserts, 50% updates, 20% deletes) on two mapped tables
            (two binlog mappings of one source, one service) for --lat-seconds (default 60). Every insert and
            update stamps the row with the source's NOW(6) (updated_at) and a unique sequence number (c); every
            delete is stamped by a BEFORE DELETE trigger on the source (bench.del_log). On the target AFTER
            INSERT/UPDATE/DELETE triggers of the two tables log each applied row image, and a stored procedure
            on the target stamps each logged row with SYSDATE(6) as soon as it is committed (an UPDATE ... WHERE
            seen IS NULL every 5 ms, READ COMMITTED: it sees a row once its transaction has committed). Latency =
            seen - source stamp; both servers run on this host and read the same clock.
  idle:     the same service, 15 s after the workload, both mappings following the idle source for
            --idle-seconds (default 60):
            CPU of the java process (utime + stime) over that time, VmRSS and VmHWM.
  catch-up: a --rows table (default 1,000,000) in a binlog mapping of a second service, snapshot done, mapping
            paused; the replica loaded with the same table and the source's position P read; then every row is
            updated (--catchup-tx-rows per transaction, default 10,000). Anchors on the same log: the replica's own replication
            (CHANGE MASTER TO P; START SLAVE; until it has executed up to the source's end), and
            pt-table-sync --execute of the same change on the first --pt-rows rows (default 50,000; a copy of
            them taken before the change, on the target), rows/s scaled from that subset. The service: resume
            the mapping, until its checkpoint is complete past the source's clock read after the last change.
Standard library only; helpers (servers' clients, CPU from /proc, tables) come from bench.py.
"""
import argparse
import datetime
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import base64

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
from bench import (BenchError, SRC, TGT, SERVER, DDL, WORK, q, q1, client, dump_cmd, sh, quote, measure, spawn,  # noqa: E402
                   cpu, machine_busy, checksum, generate, stop, wait_until, fmt, fmt_int, ratio, table, verdict, log,
                   java_cmd, free_port, row_text, settle)

REP = int(os.environ["BENCH_REP_PORT"])
REP_PID = int(os.environ["BENCH_REP_PID"])
API_USER, API_PASSWORD = "bench", "bench-operator-secret"
LAT_TABLES = ("a", "b")


# ---------------------------------------------------------------------------------------------
# the service

def binlog_config(name, tables, batch):
    http = free_port()
    lines = [f"tablesync.connections.src.url=jdbc:mysql://127.0.0.1:{SRC}/bench",
             "tablesync.connections.src.username=root",
             f"tablesync.connections.tgt.url=jdbc:mysql://127.0.0.1:{TGT}/svc",
             "tablesync.connections.tgt.username=root",
             "tablesync.max-concurrent-runs=4"]
    for t in tables:
        p = f"tablesync.mappings.{t}."
        lines += [p + "source=src", p + f"source-table={t}", p + "target=tgt", p + f"target-table={t}",
                  p + "mode=binlog", p + f"batch-size={batch}", p + "schedule=1s"]
    lines += ["tablesync.run-once=false", "quarkus.http.host=127.0.0.1", f"quarkus.http.port={http}",
              "quarkus.management.host=127.0.0.1", f"quarkus.management.port={free_port()}",
              f"quarkus.security.users.embedded.users.{API_USER}={API_PASSWORD}",
              f"quarkus.security.users.embedded.roles.{API_USER}=operator"]
    path = os.path.join(WORK, f"{name}.properties")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path, http


def start_service(name, tables, batch):
    cfg, port = binlog_config(name, tables, batch)
    log_path = os.path.join(WORK, f"{name}.log")
    with open(log_path, "w") as out:
        proc = spawn(java_cmd(cfg), stdout=out, stderr=subprocess.STDOUT)
    wait_until(lambda: proc.poll() is not None or "Listening on" in open(log_path).read(), 180,
               f"{name} to start", 0.2)
    if proc.poll() is not None:
        raise BenchError(f"{name} stopped:\n" + open(log_path).read()[-3000:])
    proc.http, proc.log_path = port, log_path
    return proc


def api_post(proc, path):
    req = urllib.request.Request(f"http://127.0.0.1:{proc.http}{path}", method="POST")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{API_USER}:{API_PASSWORD}".encode()).decode())
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status


def complete_past(mapping, utc_text):
    return q1(TGT, f"SELECT complete_up_to >= '{utc_text}' FROM tablesync.checkpoint"
                   f" WHERE mapping_id = '{mapping}' AND binlog_position IS NOT NULL") == "1"


def wait_caught_up(proc, mappings, timeout, interval=0.05):
    now = q1(SRC, "SELECT UTC_TIMESTAMP(6)")

    def done():
        if proc.poll() is not None:
            raise BenchError("the service stopped:\n" + open(proc.log_path).read()[-3000:])
        return all(complete_past(m, now) for m in mappings)
    wait_until(done, timeout, f"mappings {mappings} complete past {now}", interval)


def thread_cpu(pid):
    """CPU seconds per thread name (numbers stripped, so a pool counts as one) of a running process."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = re.sub(r"[-#]?\d+$", "", f.read().strip()) or "?"
            out[name] = out.get(name, 0.0) + cpu(f"{pid}/task/{tid}")
        except (OSError, ValueError, IndexError):
            pass
    return out


def thread_delta(before, after, top=6):
    d = sorted(((n, c - before.get(n, 0.0)) for n, c in after.items()), key=lambda x: -x[1])
    return ", ".join(f"{n} {c:.2f}s" for n, c in d[:top] if c >= 0.005)


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(field + r":\s+(\d+)", f.read()).group(1))


# ---------------------------------------------------------------------------------------------
# latency: 1,000 changes/s on two mapped tables

TARGET_LOG = """CREATE DATABASE IF NOT EXISTS lat;
DROP TABLE IF EXISTS lat.log;
CREATE TABLE lat.log (lid BIGINT AUTO_INCREMENT PRIMARY KEY, tbl CHAR(1) NOT NULL, kind CHAR(1) NOT NULL,
  id BIGINT NOT NULL, seq INT NOT NULL, src_t DATETIME(6) NULL, seen DATETIME(6) NULL, KEY seen (seen)) ENGINE=InnoDB;
DROP PROCEDURE IF EXISTS lat.poll;
DELIMITER //
CREATE PROCEDURE lat.poll(IN secs INT)
BEGIN
  DECLARE stop_at DATETIME(6) DEFAULT SYSDATE(6) + INTERVAL secs SECOND;
  WHILE SYSDATE(6) < stop_at DO
    UPDATE lat.log SET seen = SYSDATE(6) WHERE seen IS NULL;
    DO SLEEP(0.005);
  END WHILE;
END//
DELIMITER ;
"""


def triggers(t):
    return (f"CREATE TRIGGER svc.{t}_i AFTER INSERT ON svc.{t} FOR EACH ROW"
            f" INSERT INTO lat.log (tbl, kind, id, seq, src_t) VALUES ('{t}', 'i', NEW.id, NEW.c, NEW.updated_at);\n"
            f"CREATE TRIGGER svc.{t}_u AFTER UPDATE ON svc.{t} FOR EACH ROW"
            f" INSERT INTO lat.log (tbl, kind, id, seq, src_t) VALUES ('{t}', 'u', NEW.id, NEW.c, NEW.updated_at);\n"
            f"CREATE TRIGGER svc.{t}_d AFTER DELETE ON svc.{t} FOR EACH ROW"
            f" INSERT INTO lat.log (tbl, kind, id, seq, src_t) VALUES ('{t}', 'd', OLD.id, OLD.c, NULL);\n")


NOTE = "café " + "x" * 380


class Writer(threading.Thread):
    """Sends one table's share of the changes through one client session (autocommit: a transaction per
    change), paced every 10 ms; what it could not send in time it sends late (the achieved rate says so)."""

    def __init__(self, t, rows, rate, seconds, seed):
        super().__init__(daemon=True)
        self.t, self.rate, self.seconds = t, rate, seconds
        self.rnd = random.Random(seed)
        self.live = list(range(1, rows + 1))  # ids that exist and may be updated or deleted
        self.next_id = rows + 1
        self.touched = {}  # id -> when last changed: no id is changed twice within 5 s (one image per batch)
        self.changes = []  # (kind, seq, id)
        self.deleted = set()

    def pick(self, now):
        for _ in range(20):
            i = self.rnd.randrange(len(self.live))
            if now - self.touched.get(self.live[i], -99) > 5:
                return i
        return None

    def statement(self, seq, now):
        r = self.rnd.random()
        t = self.t
        if r < 0.3:
            i = self.next_id
            self.next_id += 1
            self.live.append(i)
            self.touched[i] = now
            self.changes.append(("i", seq, i))
            return (f"INSERT INTO bench.{t} (id, account_id, qty, c, price, discount, status, sku, city, customer,"
                    f" email, note, created_at, updated_at) VALUES ({i}, {i % 100003}, 1, {seq}, 9.99, NULL, 'new',"
                    f" 'SKU-{i}', 'Zürich', 'customer {i}', 'c{i}@example.com', '{NOTE}', NOW(6), NOW(6));")
        k = self.pick(now)
        if k is None:
            return None
        i = self.live[k]
        self.touched[i] = now
        if r < 0.8:
            self.changes.append(("u", seq, i))
            return f"UPDATE bench.{t} SET c = {seq}, qty = qty + 1, updated_at = NOW(6) WHERE id = {i};"
        self.live[k] = self.live[-1]
        self.live.pop()
        self.deleted.add(i)
        self.changes.append(("d", seq, i))
        return f"DELETE FROM bench.{t} WHERE id = {i};"

    def run(self):
        p = subprocess.Popen(client(SRC, "-N", "-B"), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=open(os.path.join(WORK, f"writer-{self.t}.err"), "w"), text=True)
        seq, t0 = 0, time.perf_counter()
        while True:
            now = time.perf_counter() - t0
            if now >= self.seconds:
                break
            due = int(now * self.rate) + 1
            batch = []
            while seq < due:
                seq += 1
                s = self.statement(seq, now)
                if s:
                    batch.append(s)
            if batch:
                p.stdin.write("\n".join(batch) + "\n")
                p.stdin.flush()
            time.sleep(max(0.0, 0.01 - (time.perf_counter() - t0 - now)))
        p.stdin.close()
        p.wait()
        self.wall = time.perf_counter() - t0
        self.rc = p.returncode


def parse_dt(s):
    return datetime.datetime.strptime(s, "%Y-%m-%d %H:%M:%S.%f")


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def latency_phase(a, res):
    for t in LAT_TABLES:
        log(f"latency: generating {a.lat_rows:,} rows in bench.{t}")
        q(SRC, f"DROP TABLE IF EXISTS bench.{t}")
        generate(a.lat_rows, t)
        q(SRC, f"DROP TRIGGER IF EXISTS bench.{t}_del; CREATE TRIGGER bench.{t}_del BEFORE DELETE ON bench.{t}"
               f" FOR EACH ROW INSERT INTO bench.del_log VALUES ('{t}', OLD.id, NOW(6))")
        q(TGT, f"CREATE DATABASE IF NOT EXISTS svc; DROP TABLE IF EXISTS svc.{t};" + DDL.format(name=f"svc.{t}"))
    q(TGT, TARGET_LOG + "".join(triggers(t) for t in LAT_TABLES))
    svc = start_service("latency-service", LAT_TABLES, a.batch_size)
    res["lat_proc"] = svc
    wait_caught_up(svc, LAT_TABLES, 600, 0.2)
    log("latency: both mappings snapshotted and following the log; warming up 5 s at the same rate")
    warm = [Writer(t, a.lat_rows, a.lat_rate / 2, 5, 100 + k) for k, t in enumerate(LAT_TABLES)]
    for w in warm:
        w.start()
    for w in warm:
        w.join()
    wait_caught_up(svc, LAT_TABLES, 120)
    q(TGT, "TRUNCATE TABLE lat.log")
    q(SRC, "TRUNCATE TABLE bench.del_log")
    rows_now = {t: int(q1(SRC, f"SELECT MAX(id) FROM bench.{t}")) for t in LAT_TABLES}
    poller = spawn(client(TGT, "-e", "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED;"
                                     f" CALL lat.poll({a.lat_seconds + 60})"),
                   stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, "poller.err"), "w"))
    time.sleep(0.5)
    j0, s0, b0, w0 = cpu(svc.pid), bench.server_cpu(), machine_busy(), time.perf_counter()
    load0 = open("/proc/loadavg").read().split()[:3]
    writers = [Writer(t, rows_now[t], a.lat_rate / 2, a.lat_seconds, k) for k, t in enumerate(LAT_TABLES)]
    for w in writers:
        # ids above the warm-up's inserts are new; ids deleted in the warm-up are skipped by their UPDATE/DELETE
        w.live = [int(r[0]) for r in q(SRC, f"SELECT id FROM bench.{w.t}")]
        w.start()
    log(f"latency: {a.lat_rate:,} changes/s on bench.a and bench.b for {a.lat_seconds}s")
    for w in writers:
        w.join()
    wait_caught_up(svc, LAT_TABLES, 300)
    wall = time.perf_counter() - w0
    j1, s1, b1 = cpu(svc.pid), bench.server_cpu(), machine_busy()
    time.sleep(0.5)
    stop(poller)
    res["lat_load"] = (load0, open("/proc/loadavg").read().split()[:3])
    res["lat_java_cpu"] = (j1 - j0) / wall
    res["lat_src_cpu"], res["lat_tgt_cpu"] = (s1[0] - s0[0]) / wall, (s1[1] - s0[1]) / wall
    res["lat_others"] = max(0.0, b1 - b0 - (j1 - j0) - (s1[0] - s0[0]) - (s1[1] - s0[1])) / wall
    # match: inserts and updates by (table, sequence number), deletes by (table, id)
    seen_seq, seen_del = {}, {}
    for tbl, kind, id_, seq, src_t, seen in q(TGT, "SELECT tbl, kind, id, seq, IFNULL(src_t, ''), IFNULL(seen, '')"
                                                   " FROM lat.log"):
        if not seen:
            continue
        if kind == "d":
            prev = seen_del.get((tbl, int(id_)))
            seen_del[(tbl, int(id_))] = max(prev, seen) if prev else seen
        elif (tbl, int(seq)) not in seen_seq:
            seen_seq[(tbl, int(seq))] = (src_t, seen)
    del_src = {(r[0], int(r[1])): r[2] for r in q(SRC, "SELECT tbl, id, t FROM bench.del_log")}
    lat = {"i": [], "u": [], "d": []}
    missing = 0
    for w in writers:
        for kind, seq, id_ in w.changes:
            if kind == "d":
                src_t, seen = del_src.get((w.t, id_)), seen_del.get((w.t, id_))
            else:
                src_t, seen = seen_seq.get((w.t, seq), (None, None))
            if not src_t or not seen:
                missing += 1
                continue
            lat[kind].append((parse_dt(seen) - parse_dt(src_t)).total_seconds() * 1000)
    n = sum(len(w.changes) for w in writers)
    res["lat"] = lat
    res["lat_missing"] = missing
    res["lat_changes"] = n
    res["lat_rate"] = n / max(w.wall for w in writers)
    res["lat_writer_rc"] = [w.rc for w in writers]
    res["lat_ok"] = all(checksum(SRC, f"bench.{t}") == checksum(TGT, f"svc.{t}") for t in LAT_TABLES)
    all_ms = lat["i"] + lat["u"] + lat["d"]
    log(f"latency: {n:,} changes at {res['lat_rate']:,.0f}/s; p50 {pct(all_ms, 50):.0f} ms, p90 {pct(all_ms, 90):.0f},"
        f" p99 {pct(all_ms, 99):.0f}, max {max(all_ms or [float('nan')]):.0f}; unmatched {missing};"
        f" target==source {res['lat_ok']}")


def idle_phase(a, res):
    svc = res["lat_proc"]
    time.sleep(15)  # let the JIT finish what the workload left to compile
    c0, w0, b0, th0 = cpu(svc.pid), time.perf_counter(), machine_busy(), thread_cpu(svc.pid)
    load0 = open("/proc/loadavg").read().split()[:3]
    time.sleep(a.idle_seconds)
    c1, w1, b1 = cpu(svc.pid), time.perf_counter(), machine_busy()
    th1 = thread_cpu(svc.pid)
    res["idle_threads"] = thread_delta(th0, th1)
    res["idle_jit_s"] = sum(c - th0.get(n, 0.0) for n, c in th1.items() if "Compiler" in n)
    res["idle_cpu_pct"] = 100 * (c1 - c0) / (w1 - w0)
    res["idle_cpu_s"], res["idle_wall"] = c1 - c0, w1 - w0
    res["idle_rss_kb"], res["idle_hwm_kb"] = status_kb(svc.pid, "VmRSS"), status_kb(svc.pid, "VmHWM")
    res["idle_load"] = (load0, open("/proc/loadavg").read().split()[:3])
    res["idle_machine"] = (b1 - b0) / (w1 - w0)
    log(f"idle: java CPU {c1 - c0:.2f}s over {w1 - w0:.0f}s = {res['idle_cpu_pct']:.2f}% of one core;"
        f" RSS {res['idle_rss_kb'] / 1024:.0f} MB (peak {res['idle_hwm_kb'] / 1024:.0f} MB)")
    stop(svc)


# ---------------------------------------------------------------------------------------------
# catch-up of a backlog

def master_status(port):
    r = q(port, "SHOW MASTER STATUS")[0]
    return r[0], int(r[1])


def slave_status():
    p = subprocess.run(client(REP, "-B", "-e", "SHOW SLAVE STATUS"), capture_output=True, text=True)
    lines = p.stdout.splitlines()
    if len(lines) < 2:
        return {}
    return dict(zip(lines[0].split("\t"), lines[1].split("\t")))


def range_checksum(port, table, k):
    r = q(port, f"SELECT COUNT(*), COALESCE(SUM(CRC32({row_text()})), 0) FROM {table} WHERE id <= {k}")[0]
    return int(r[0]), int(r[1])


def catchup_phase(a, res):
    n, k = a.rows, min(a.pt_rows, a.rows)
    log(f"catch-up: generating {n:,} rows in bench.t")
    generate(n)
    log("catch-up: copying bench.t to the replica (mariadb-dump | mariadb) and its first"
        f" {k:,} rows to the target's ptsync.t (pt-table-sync's copy)")
    q(REP, "CREATE DATABASE bench")
    subprocess.run(sh(quote(dump_cmd("--single-transaction", "--quick", "bench", "t")) + " | "
                      + quote(client(REP, "bench"))), check=True)
    q(TGT, "DROP DATABASE IF EXISTS ptsync; CREATE DATABASE ptsync")
    subprocess.run(sh(quote(dump_cmd("--single-transaction", "--quick", f"--where=id <= {k}", "bench", "t")) + " | "
                      + quote(client(TGT, "ptsync"))), check=True)
    q(TGT, "CREATE DATABASE IF NOT EXISTS svc; DROP TABLE IF EXISTS svc.t;" + DDL.format(name="svc.t"))
    svc = start_service("catchup-service", ("t",), a.batch_size)
    try:
        t0 = time.perf_counter()
        wait_caught_up(svc, ("t",), 3600, 0.2)
        log(f"catch-up: service snapshot of {n:,} rows done and following in {time.perf_counter() - t0:.1f}s; pausing")
        api_post(svc, "/api/mappings/t/pause")
        wait_until(lambda: q1(TGT, "SELECT IS_FREE_LOCK('tablesync:tablesync:t')") == "1", 60,
                   "the paused session to end", 0.1)
        start = master_status(SRC)
        logs0 = sum(int(r[1]) for r in q(SRC, "SHOW BINARY LOGS"))
        tx = a.catchup_tx_rows
        log(f"catch-up: source at {start}; updating all {n:,} rows in {tx:,}-row transactions")
        t0 = time.perf_counter()
        q(SRC, "".join(f"UPDATE bench.t SET c = c + 1, qty = qty + 1, updated_at = NOW(6)"
                       f" WHERE id BETWEEN {lo} AND {lo + tx - 1};\n" for lo in range(1, n + 1, tx)))
        res["cu_write_s"] = time.perf_counter() - t0
        end = master_status(SRC)
        res["cu_binlog_mb"] = (sum(int(r[1]) for r in q(SRC, "SHOW BINARY LOGS")) - logs0) / 2**20
        src_sum = checksum(SRC, "bench.t")
        log(f"catch-up: source updated in {res['cu_write_s']:.1f}s, now at {end}")
        settle()

        # anchor 1: the replica's own replication from the same position
        r0 = cpu(REP_PID)
        opts = ", GET_MASTER_PUBLIC_KEY=1" if SERVER == "mysql" else ", MASTER_USE_GTID=no"
        q(REP, f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={SRC}, MASTER_USER='root',"
               f" MASTER_PASSWORD='', MASTER_LOG_FILE='{start[0]}', MASTER_LOG_POS={start[1]}{opts}")
        t0 = time.perf_counter()
        q(REP, "START SLAVE")

        def replica_done():
            st = slave_status()
            if st.get("Last_SQL_Error") or st.get("Last_IO_Error"):
                raise BenchError(f"replica: {st.get('Last_IO_Error')} {st.get('Last_SQL_Error')}")
            return (st.get("Relay_Master_Log_File") == end[0] and int(st.get("Exec_Master_Log_Pos", 0)) >= end[1])
        wait_until(replica_done, 7200, "the replica to catch up", 0.05)
        res["cu_rep_s"] = time.perf_counter() - t0
        res["cu_rep_cpu"] = cpu(REP_PID) - r0
        q(REP, "STOP SLAVE")
        res["cu_rep_ok"] = checksum(REP, "bench.t") == src_sum
        log(f"catch-up: replica {res['cu_rep_s']:.1f}s ({n / res['cu_rep_s']:,.0f} rows/s),"
            f" replica==source {res['cu_rep_ok']}")
        settle()

        # the service: resume the paused mapping
        j0, s0, b0, th0 = cpu(svc.pid), bench.server_cpu(), machine_busy(), thread_cpu(svc.pid)
        t0 = time.perf_counter()
        api_post(svc, "/api/mappings/t/resume")
        wait_caught_up(svc, ("t",), 7200)
        res["cu_svc_s"] = time.perf_counter() - t0
        j1, s1, b1 = cpu(svc.pid), bench.server_cpu(), machine_busy()
        res["cu_svc_cpu"] = (j1 - j0, s1[0] - s0[0], s1[1] - s0[1])
        res["cu_threads"] = thread_delta(th0, thread_cpu(svc.pid))
        res["cu_others"] = max(0.0, b1 - b0 - (j1 - j0) - (s1[0] - s0[0]) - (s1[1] - s0[1])) / res["cu_svc_s"]
        res["cu_svc_ok"] = checksum(TGT, "svc.t") == src_sum
        res["cu_svc_rss_kb"] = status_kb(svc.pid, "VmHWM")
        res["cu_position"] = q1(TGT, "SELECT binlog_position FROM tablesync.checkpoint WHERE mapping_id = 't'")
        log(f"catch-up: service {res['cu_svc_s']:.1f}s ({n / res['cu_svc_s']:,.0f} rows/s), target==source"
            f" {res['cu_svc_ok']}; checkpoint {res['cu_position']}")
    finally:
        stop(svc)
    settle()

    # anchor 2: pt-table-sync --execute on the first k rows
    if res["pt"]:
        m = measure(["pt-table-sync", "--execute", "--no-version-check", f"--where=id <= {k}",
                     f"h=127.0.0.1,P={SRC},u=root,D=bench,t=t,F=/dev/null,A=utf8mb4",
                     f"h=127.0.0.1,P={TGT},u=root,D=ptsync,t=t,F=/dev/null,A=utf8mb4"], "catchup-pt", ok_rc=(0, 2))
        res["cu_pt_s"], res["cu_pt_k"] = m.wall, k
        res["cu_pt_ok"] = range_checksum(SRC, "bench.t", k) == range_checksum(TGT, "ptsync.t", k)
        log(f"catch-up: pt-table-sync {k:,} rows in {m.wall:.1f}s ({k / m.wall:,.0f} rows/s),"
            f" copy==source {res['cu_pt_ok']}")


# ---------------------------------------------------------------------------------------------

def report(a, res):
    print()
    lat = res.get("lat")
    ok = True
    t = []
    if lat:
        all_ms = lat["i"] + lat["u"] + lat["d"]
        print(f"Latency: source commit -> visible on the target, {res['lat_changes']:,} changes on two tables"
              f" (two binlog mappings, one source), asked {a.lat_rate:,}/s for {a.lat_seconds}s, achieved"
              f" {res['lat_rate']:,.0f}/s; load average {' '.join(res['lat_load'][0])} -> {' '.join(res['lat_load'][1])}")
        rows = []
        for name, xs in (("all", all_ms), ("inserts", lat["i"]), ("updates", lat["u"]), ("deletes", lat["d"])):
            rows.append([name, f"{len(xs):,}", fmt(pct(xs, 50), 0), fmt(pct(xs, 90), 0), fmt(pct(xs, 99), 0),
                         fmt(max(xs) if xs else float("nan"), 0)])
        table(["changes", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"], rows)
        print(f"   unmatched changes (no image seen on the target): {res['lat_missing']}; cores used meanwhile: java"
              f" {res['lat_java_cpu']:.2f}, source {res['lat_src_cpu']:.2f}, target {res['lat_tgt_cpu']:.2f}"
              f" (incl. the poller), others {res['lat_others']:.2f}; target==source {res['lat_ok']}")
        p99 = pct(all_ms, 99)
        ok &= res["lat_ok"] and res["lat_missing"] == 0
        t += [["sustained 1,000 changes/s on two tables: p99 commit -> visible <= 1 s",
               f"p99 {fmt(p99, 0)} ms at {res['lat_rate']:,.0f}/s", verdict(p99 <= 1000 and res["lat_rate"] >= 990)]]
    if "idle_cpu_pct" in res:
        print()
        print(f"Idle: two binlog mappings following an idle source, {res['idle_wall']:.0f}s: java CPU"
              f" {res['idle_cpu_s']:.2f}s = {res['idle_cpu_pct']:.2f}% of one core; RSS {res['idle_rss_kb'] / 1024:.0f} MB"
              f" (peak {res['idle_hwm_kb'] / 1024:.0f} MB, -Xmx{bench.HEAP}); machine busy {res['idle_machine']:.2f} cores,"
              f" load {' '.join(res['idle_load'][0])} -> {' '.join(res['idle_load'][1])}")
        print(f"   java CPU by thread: {res['idle_threads']}; without the JIT compiler threads"
              f" {100 * (res['idle_cpu_s'] - res['idle_jit_s']) / res['idle_wall']:.2f}% of one core")
        t += [["idle stream: CPU <= 1% of one core", f"{res['idle_cpu_pct']:.2f}%", verdict(res["idle_cpu_pct"] <= 1)]]
    if "cu_svc_s" in res:
        n = a.rows
        svc_rs, rep_rs = n / res["cu_svc_s"], n / res["cu_rep_s"]
        pt_rs = res["cu_pt_k"] / res["cu_pt_s"] if "cu_pt_s" in res else float("nan")
        print()
        print(f"Catch-up of a {n:,}-row backlog (every row of bench.t updated in {min(a.catchup_tx_rows, n):,}-row transactions while the"
              f" mapping was paused; written in {res['cu_write_s']:.1f}s; binlog {res['cu_binlog_mb']:.0f} MB)")
        rows = [["tablesync: resume -> checkpoint complete past the source's clock", fmt(res["cu_svc_s"], 1),
                 fmt_int(svc_rs), f"java {res['cu_svc_cpu'][0]:.1f}, src {res['cu_svc_cpu'][1]:.1f}, tgt {res['cu_svc_cpu'][2]:.1f}",
                 res["cu_svc_ok"]],
                [f"anchor: {SERVER} replica, START SLAVE at the same position -> executed to the end",
                 fmt(res["cu_rep_s"], 1), fmt_int(rep_rs), f"replica {res['cu_rep_cpu']:.1f}", res["cu_rep_ok"]]]
        if "cu_pt_s" in res:
            rows.append([f"anchor: pt-table-sync --execute, first {res['cu_pt_k']:,} rows (--where)",
                         fmt(res["cu_pt_s"], 1), fmt_int(pt_rs), "", res["cu_pt_ok"]])
        table(["path", "seconds", "rows/s", "CPU s", "copy == source"], rows)
        print(f"   service peak RSS {res['cu_svc_rss_kb'] / 1024:.0f} MB; others' cores during its catch-up"
              f" {res['cu_others']:.2f}; java CPU by thread: {res['cu_threads']}")
        ok &= res["cu_svc_ok"] and res["cu_rep_ok"] and res.get("cu_pt_ok", True)
        t += [["catch-up >= 0.5x the replica's own replication", f"{fmt(ratio(svc_rs, rep_rs))}x",
               verdict(ratio(svc_rs, rep_rs) >= 0.5)],
              ["catch-up >= 20x pt-table-sync --execute", f"{fmt(ratio(svc_rs, pt_rs), 1)}x" if pt_rs == pt_rs
               else "pt-table-sync not installed", verdict(ratio(svc_rs, pt_rs) >= 20) if pt_rs == pt_rs else "NOT MEASURED"]]
    print()
    print("Targets (issue 15)")
    table(["target", "measured", "verdict"], t)
    return ok


def main():
    ap = argparse.ArgumentParser(prog="run-bench.sh --binlog")
    ap.add_argument("--binlog", action="store_true")
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the catch-up table, all updated")
    ap.add_argument("--pt-rows", type=int, default=50_000, help="rows pt-table-sync syncs (a subset)")
    ap.add_argument("--lat-rows", type=int, default=100_000, help="rows in each of the two latency tables")
    ap.add_argument("--lat-rate", type=int, default=1000, help="changes/s over both tables")
    ap.add_argument("--lat-seconds", type=int, default=60)
    ap.add_argument("--idle-seconds", type=int, default=60)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--catchup-tx-rows", type=int, default=10_000,
                    help="rows per source transaction of the catch-up's updates (--rows: one transaction of them all;"
                         " the service applies it in batches inside one target transaction, memory O(batch))")
    ap.add_argument("--skip", default="", help="comma list of latency,idle,catchup to leave out")
    ap.add_argument("--server", choices=("mariadb", "mysql"), default="mariadb")
    a, _ = ap.parse_known_args()
    skip = set(filter(None, a.skip.split(",")))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    res = dict(pt=subprocess.run(["sh", "-c", "command -v pt-table-sync"], capture_output=True).returncode == 0)
    started = time.perf_counter()
    try:
        log("servers: " + ", ".join(f"{name} {q1(p, 'SELECT @@version')}" for name, p in
                                    (("source", SRC), ("target", TGT), ("replica", REP))))
        q(SRC, "CREATE DATABASE IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.del_log (tbl CHAR(1) NOT NULL,"
               " id BIGINT NOT NULL, t DATETIME(6) NOT NULL, PRIMARY KEY (tbl, id)) ENGINE=InnoDB")
        if "latency" not in skip:
            latency_phase(a, res)
            if "idle" not in skip:
                idle_phase(a, res)
            else:
                stop(res["lat_proc"])
        if "catchup" not in skip:
            catchup_phase(a, res)
        ok = report(a, res)
        print(f"\n(total benchmark time {time.perf_counter() - started:.0f}s;"
              f" command: src/bench/run-bench.sh {' '.join(sys.argv[1:])})")
        return 0 if ok else 1
    except BenchError as e:
        print(f"benchmark failed: {e}", file=sys.stderr)
        return 2
    finally:
        bench.kill_children()
        if os.environ.get("BENCH_LOGS"):  # the work dir goes away on exit: keep the service logs
            import shutil
            os.makedirs(os.environ["BENCH_LOGS"], exist_ok=True)
            for f in os.listdir(WORK):
                if f.endswith((".log", ".err", ".properties")):
                    shutil.copy(os.path.join(WORK, f), os.environ["BENCH_LOGS"])


if __name__ == "__main__":
    sys.exit(main())
