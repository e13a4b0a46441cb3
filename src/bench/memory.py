#!/usr/bin/env python3
"""Memory sizing of the service (issue 4): RSS and heap of the packaged jar, idle and during a snapshot.

    src/bench/memory.py [--rows N] [--limit SIZE] [--idle-seconds S] [--mappings M] [--exec PATH]

Runs target/quarkus-app/quarkus-run.jar (build it first: ./mvnw package -DskipTests) with the JVM options
of src/main/docker/Dockerfile.jvm (read from the file, plus the GC defaults of the image's run-java.sh)
and -XX:MaxRAM=SIZE (default 512m) standing in for the container's memory limit. Starts two throw-away
MariaDB servers on free loopback ports, generates N rows (default 1,000,000) of the benchmark's table
(src/bench/bench.py), starts the service with the mapping idle, then:
  idle:     S seconds (default 30) of the service waiting, sampled every second
  snapshot: POST /api/mappings/t/runs, sampled every 0.2 s until the run has finished; target == source checked
  after:    S seconds idle again
With --exec PATH it runs that native executable (target/*-runner) instead, with -Xmx of half the limit
(what Dockerfile.jvm gives the JVM) and no GC log. --mappings M (default 1) configures M-1 more mappings of
the same table that never run, so idle memory holds M mappings. Start to ready is the time from starting the
process to the first 200 of /q/health/ready, polled every 5 ms.
Samples: VmRSS and VmHWM from /proc/PID/status, heap used = sum of jvm_memory_used_bytes{area="heap"} from
/q/metrics; the GC log (-Xlog:gc) gives the heap just before each collection, the true peak.
Needs Java 17, python3 (stdlib only), mariadbd, mariadb-install-db and the mariadb client.
"""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCKERFILE = os.path.join(ROOT, "src/main/docker/Dockerfile.jvm")
# What the image's run-java.sh adds before JAVA_OPTS_APPEND (GC_CONTAINER_OPTIONS comes from the Dockerfile)
IMAGE_DEFAULTS = ["-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90"]
NEVER = "0 0 0 1 1 ? 2099"
USER, PASSWORD = "op", "memory-sizing-op"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dockerfile_jvm_options():
    text = open(DOCKERFILE).read()
    gc = re.search(r'ENV GC_CONTAINER_OPTIONS="([^"]*)"', text).group(1).split()
    append = re.search(r'ENV JAVA_OPTS_APPEND="([^"]*)"', text).group(1).split()
    return gc + IMAGE_DEFAULTS + [o for o in append if not o.startswith("-Dquarkus.http.host")]


class Servers:
    """Two disposable mariadbd (source, target) in a temp dir; never any other server."""

    def __init__(self, work):
        self.work, self.procs = work, []
        self.mariadbd = shutil.which("mariadbd") or "/usr/sbin/mariadbd"

    def start(self, name):
        port, datadir = free_port(), os.path.join(self.work, name)
        root = ["--user=root"] if os.getuid() == 0 else []
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={datadir}", *root,
                        "--auth-root-authentication-method=normal", "--skip-test-db"],
                       check=True, capture_output=True, stdin=subprocess.DEVNULL)
        self.procs.append(subprocess.Popen(
            [self.mariadbd, "--no-defaults", f"--datadir={datadir}", *root, "--bind-address=127.0.0.1",
             f"--port={port}", f"--socket={datadir}.sock", f"--pid-file={datadir}.pid", f"--log-error={datadir}.err",
             "--innodb-buffer-pool-size=1G", "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin",
             "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci", "--skip-name-resolve"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for _ in range(300):
            ok = subprocess.run(["mariadb", "--no-defaults", "--protocol=TCP", "-h127.0.0.1", f"-P{port}", "-uroot",
                                 "-e", "SELECT 1"], capture_output=True, stdin=subprocess.DEVNULL).returncode == 0
            if ok:
                return port, self.procs[-1].pid
            time.sleep(0.1)
        raise SystemExit(f"{name} server did not start; see {datadir}.err")

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()


class Service:
    def __init__(self, work, app, config, jvm, native=None):
        self.http, self.mgmt = free_port(), free_port()
        self.gc_log = os.path.join(work, "gc.log")
        path = os.path.join(work, "memory.properties")
        with open(path, "w") as f:
            f.write(config + f"""quarkus.http.host=127.0.0.1
quarkus.http.port={self.http}
quarkus.management.host=127.0.0.1
quarkus.management.port={self.mgmt}
quarkus.security.users.embedded.users.{USER}={PASSWORD}
quarkus.security.users.embedded.roles.{USER}=operator
""")
        self.cmd = ([native, *jvm, f"-Dquarkus.config.locations={path}"] if native else
                    ["java", *jvm, f"-Xlog:gc:file={self.gc_log}", f"-Dquarkus.config.locations={path}", "-jar", app])
        self.started = time.perf_counter()
        self.log = open(os.path.join(work, "service.log"), "w")
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def get(self, port, path, method="GET"):
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read().decode()

    def wait_ready(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"service exited with {self.proc.returncode}; see {self.log.name}")
            try:
                self.get(self.mgmt, "/q/health/ready")
                return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.005)
        raise SystemExit("service not ready in time")

    def sample(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            status = f.read()
        rss, hwm = (int(re.search(rf"{k}:\s+(\d+)", status).group(1)) * 1024 for k in ("VmRSS", "VmHWM"))
        heap = sum(float(m.group(1)) for m in re.finditer(
            r'^jvm_memory_used_bytes\{[^}]*area="heap"[^}]*\} (\S+)', self.get(self.mgmt, "/q/metrics"), re.M))
        return {"rss": rss, "hwm": hwm, "heap": heap}

    def mapping(self):
        return json.loads(self.get(self.http, "/api/mappings/t"))

    def gc_peaks(self):
        """Largest heap occupancy just before a collection, and largest just after (the live set)."""
        if not os.path.exists(self.gc_log):
            return 0, 0, 0
        sizes = [(int(a), int(b)) for a, b in re.findall(r"(\d+)M->(\d+)M\(\d+M\)", open(self.gc_log).read())]
        return (max(a for a, _ in sizes), max(b for _, b in sizes), len(sizes)) if sizes else (0, 0, 0)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def watch(service, seconds, interval):
    samples, end = [], time.time() + seconds
    while time.time() < end:
        samples.append(service.sample())
        time.sleep(interval)
    return samples


def snapshot(service, rows, interval=0.2):
    service.get(service.http, "/api/mappings/t/runs", method="POST")
    samples, started = [], time.time()
    while True:
        samples.append(service.sample())
        m = service.mapping()
        if not m["running"] and m["lastRun"] is not None:
            return samples, time.time() - started, m["lastRun"]
        if time.time() - started > 3600:
            raise SystemExit("snapshot did not finish within an hour")
        time.sleep(interval)


def mib(x):
    return f"{x / 1048576:.0f}"


def report(name, samples):
    last = samples[-1]
    print(f"{name:<22} {mib(last['rss']):>10} {mib(max(s['rss'] for s in samples)):>13} {mib(last['hwm']):>10}"
          f" {mib(last['heap']):>12} {mib(max(s['heap'] for s in samples)):>15} {len(samples):>8}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--limit", default="512m", help="simulated container memory limit (-XX:MaxRAM)")
    ap.add_argument("--idle-seconds", type=int, default=30)
    ap.add_argument("--mappings", type=int, default=1, help="mappings configured (the extra ones never run)")
    ap.add_argument("--exec", help="a native executable to run instead of the jar")
    a = ap.parse_args()
    jar = os.path.join(ROOT, "target/quarkus-app/quarkus-run.jar")
    if not os.path.exists(jar) and not a.exec:
        raise SystemExit("build first: ./mvnw package -DskipTests")
    work = tempfile.mkdtemp(prefix="tablesync-memory.")
    if os.path.exists(jar):
        shutil.copytree(os.path.join(ROOT, "target/quarkus-app"), os.path.join(work, "app"))
    servers, service = Servers(work), None
    try:
        src, src_pid = servers.start("source")
        tgt, tgt_pid = servers.start("target")
        os.environ.update(BENCH_WORK=work, BENCH_APP=jar, BENCH_SRC_PORT=str(src), BENCH_TGT_PORT=str(tgt),
                          BENCH_SRC_PID=str(src_pid), BENCH_TGT_PID=str(tgt_pid))
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import bench  # the benchmark's table, data and checksum, on these servers
        print(f"== generating {a.rows:,} rows", flush=True)
        bench.generate(a.rows)
        bench.fresh_target("t")
        native = None
        if a.exec:
            native = os.path.join(work, os.path.basename(a.exec))
            shutil.copy2(a.exec, native)
            limit = int(a.limit[:-1]) * {"k": 1, "m": 1024, "g": 1048576}[a.limit[-1].lower()]
            jvm = [f"-Xmx{limit // 2}k"]
        else:
            jvm = dockerfile_jvm_options() + [f"-XX:MaxRAM={a.limit}"]
        config = "".join(f"{k}={v}\n" for k, v in {
            "tablesync.connections.src.url": f"jdbc:mysql://127.0.0.1:{src}/bench",
            "tablesync.connections.src.username": "root",
            "tablesync.connections.tgt.url": f"jdbc:mysql://127.0.0.1:{tgt}/svc",
            "tablesync.connections.tgt.username": "root",
            "tablesync.mappings.t.source": "src", "tablesync.mappings.t.source-table": "t",
            "tablesync.mappings.t.target": "tgt", "tablesync.mappings.t.schedule": NEVER,
            "tablesync.mappings.t.commit-delay": "0s"}.items())
        for i in range(2, a.mappings + 1):
            config += "".join(f"tablesync.mappings.t{i}.{k}={v}\n" for k, v in {
                "source": "src", "source-table": "t", "target": "tgt", "target-table": f"t{i}",
                "schedule": NEVER}.items())
        service = Service(work, os.path.join(work, "app/quarkus-run.jar"), config, jvm, native)
        print("== service: " + " ".join(service.cmd), flush=True)
        print(f"start to ready (/q/health/ready 200): {service.wait_ready() * 1000:.0f} ms", flush=True)
        idle = watch(service, a.idle_seconds, 1.0)
        snap, seconds, last_run = snapshot(service, a.rows)
        after = watch(service, a.idle_seconds, 1.0)
        count, crc = bench.checksum(tgt, "svc.t")
        same = (count, crc) == bench.checksum(src, "bench.t")
        before_gc, after_gc, collections = service.gc_peaks()
        print(f"\nsnapshot of {a.rows:,} rows: {seconds:.1f}s, lastRun {last_run['status']} read={last_run['rowsRead']}"
              f" inserted={last_run['inserted']}; target == source: {same}")
        print(f"{'MiB':<22} {'VmRSS last':>10} {'VmRSS max':>13} {'VmHWM':>10} {'heap used last':>12}"
              f" {'heap used max':>15} {'samples':>8}")
        report(f"idle ({a.idle_seconds}s)", idle)
        report("during snapshot", snap)
        report(f"idle after ({a.idle_seconds}s)", after)
        print(f"GC log: {collections} collections; heap before a collection at most {before_gc} MiB,"
              f" after at most {after_gc} MiB")
        if not same or last_run["status"] != "success":
            raise SystemExit("snapshot incomplete")
    finally:
        if service:
            service.stop()
        servers.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
