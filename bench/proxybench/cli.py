"""proxy-bench: HTTP CONNECT / forward proxies side by side, with `direct` (no proxy) as baseline.

    proxy-bench.py --proxy squid=127.0.0.1:13128 --pid squid=PID --proxy ours=127.0.0.1:13129 \\
        --upstream-host 10.99.0.1 --netns osh-bench-up --tls --compare ours:squid --json out.json

Every target reaches the same upstream (started by the harness, inside --netns when given).
Targets take turns: the order of targets rotates every round, and in the latency tests they
alternate at every iteration. A short pass of every test over every target runs first and is
thrown away. Tables show medians over rounds; the JSON keeps every round.
`proxy-bench.py upstream ...` runs only the upstream server.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import ssl
import subprocess
import sys
import tempfile
import time

from . import probes, report
from .cpu import Meter
from .probes import ERRORS, Settings, Target, Upstream
from .wire import MIB

TESTS = ["latency", "rate", "bulk", "forward", "tls-latency", "tls-bulk"]
NEEDS = {"latency": "tunnel", "rate": "tunnel", "bulk": "tunnel", "forward": "forward",
         "tls-latency": "tls", "tls-bulk": "tls"}
ENTRY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "proxy-bench.py")


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="proxy-bench.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--proxy", action="append", default=[], metavar="NAME=HOST:PORT",
                    help="a proxy to measure (repeatable); HOST must be on loopback")
    ap.add_argument("--pid", action="append", default=[], metavar="NAME=PID[,PID]",
                    help="the proxy's processes (descendants included), for its CPU time")
    ap.add_argument("--upstream-host", default="127.0.0.1", help="address the upstream listens on")
    ap.add_argument("--upstream-port", type=int, default=8080)
    ap.add_argument("--upstream-tls-port", type=int, default=8443)
    ap.add_argument("--netns", help="network namespace to run the upstream in (ip netns exec)")
    ap.add_argument("--cert", help="upstream TLS certificate (PEM, for --upstream-host); made with openssl if absent")
    ap.add_argument("--key", help="its private key")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iters", type=int, default=1000, help="latency iterations per target per round")
    ap.add_argument("--tls-iters", type=int, default=100, help="tls-latency iterations per target per round")
    ap.add_argument("--warmup-iters", type=int, default=50, help="latency iterations thrown away first")
    ap.add_argument("--concurrency", "-c", type=int, default=16, help="workers in rate and forward")
    ap.add_argument("--duration", "-t", type=float, default=2.0, help="seconds of rate and forward")
    ap.add_argument("--bulk-mib", type=int, default=256, help="body of the bulk tests, MiB")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--bulk-timeout", type=float, default=60.0)
    ap.add_argument("--tests", default="latency,rate,bulk,forward", help="comma list from " + ",".join(TESTS))
    ap.add_argument("--tls", action="store_true", help="add tls-latency and tls-bulk")
    ap.add_argument("--order", choices=["rotate", "fixed"], default="rotate",
                    help="rotate: round r starts with target r; fixed: the same order every round")
    ap.add_argument("--no-direct", action="store_true", help="leave out the direct baseline")
    ap.add_argument("--no-warmup-pass", action="store_true", help="skip the thrown-away pass before round 1")
    ap.add_argument("--compare", metavar="OURS:ANCHOR", help="print and store the criteria of OURS against ANCHOR")
    ap.add_argument("--json", metavar="FILE", help="write every round, the summary and the table here")
    ap.add_argument("--note", default="", help="free text stored in the JSON")
    ap.add_argument("--quiet", action="store_true", help="no progress lines, no table (warm-up runs)")
    a = ap.parse_args(argv)
    a.tests = [x.strip() for x in a.tests.split(",") if x.strip()]
    if a.tls:
        a.tests += [x for x in ("tls-latency", "tls-bulk") if x not in a.tests]
    unknown = [x for x in a.tests if x not in TESTS]
    if unknown:
        ap.error(f"unknown test(s) {unknown}; known: {TESTS}")
    return a


def targets_from(a: argparse.Namespace) -> list[Target]:
    pids = {}
    for spec in a.pid:
        name, _, value = spec.partition("=")
        pids[name] = [int(x) for x in value.split(",") if x.strip()]
    targets = []
    for spec in a.proxy:
        name, _, hostport = spec.partition("=")
        host, _, port = hostport.rpartition(":")
        if not name or name == "direct" or not port.isdigit():
            raise SystemExit(f"proxy-bench: bad --proxy {spec!r} (want NAME=HOST:PORT, NAME not 'direct')")
        if not (host.startswith("127.") or host == "localhost"):
            raise SystemExit(f"proxy-bench: refusing a proxy off loopback: {host!r}")
        targets.append(Target(name, "127.0.0.1" if host == "localhost" else host, int(port), pids.get(name, [])))
    if not a.no_direct:
        targets.append(Target("direct"))
    if not targets:
        raise SystemExit("proxy-bench: nothing to measure")
    return targets


class UpstreamProcess:
    """The upstream server, a child of the harness (inside --netns when given)."""

    def __init__(self, a: argparse.Namespace, tls: bool, workdir: str):
        self.cert, key = a.cert, a.key
        if tls and not self.cert:
            self.cert, key = os.path.join(workdir, "upstream.pem"), os.path.join(workdir, "upstream.key")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                            "-nodes", "-keyout", key, "-out", self.cert, "-days", "2",
                            "-subj", f"/CN={a.upstream_host}", "-addext", f"subjectAltName=IP:{a.upstream_host}"],
                           check=True, capture_output=True)
        command = [sys.executable, ENTRY, "upstream", "--exit-on-stdin-eof", "--host", a.upstream_host,
                   "--port", str(a.upstream_port)]
        if tls:
            command += ["--tls-port", str(a.upstream_tls_port), "--cert", self.cert, "--key", key]
        if a.netns:
            command = ["ip", "netns", "exec", a.netns] + command
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("proxy-bench: the upstream server did not start")
        info = json.loads(line)
        self.upstream = Upstream(a.upstream_host, a.upstream_port, a.upstream_tls_port if tls else None, info["pid"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # it exits on EOF; SIGTERM if it does not
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(5)


def measure(test: str, t: Target, up: Upstream, s: Settings, tls: ssl.SSLContext | None) -> dict:
    """One test of one target, with the CPU the proxy, the upstream and the client used meanwhile."""
    proxy, upstream = Meter(t.pids), Meter([up.pid])
    wall0, client0 = time.perf_counter(), time.process_time()
    proxy.start()
    upstream.start()
    try:
        if test == "rate":
            r = probes.rate(t, up, s)
        elif test == "forward":
            r = probes.forward(t, up, s)
        elif test == "bulk":
            r = probes.bulk(t, up, s)
        elif test == "tls-bulk":
            r = probes.bulk(t, up, s, tls)
        else:
            raise ValueError(test)
    except ERRORS as e:
        return {"errors": 1, "failed": repr(e)}
    wall = time.perf_counter() - wall0
    r["cpu"] = cpu_figures(wall, time.process_time() - client0, proxy.stop(wall), upstream.stop(wall), r.get("ops"))
    return r


def measure_turns(test: str, targets: list[Target], up: Upstream, s: Settings,
                  tls: ssl.SSLContext | None) -> dict:
    """A latency test over all targets at once (they alternate per iteration); each target's CPU
    is its own processes' over the whole test, per iteration it ran."""
    meters = {t.name: Meter(t.pids) for t in targets}
    upstream = Meter([up.pid])
    wall0, client0 = time.perf_counter(), time.process_time()
    for m in meters.values():
        m.start()
    upstream.start()
    try:
        results = probes.latency(targets, up, s, tls if test == "tls-latency" else None)
    except ERRORS as e:
        return {t.name: {"errors": 1, "failed": repr(e)} for t in targets}
    wall = time.perf_counter() - wall0
    client, up_usage = time.process_time() - client0, upstream.stop(wall)
    for t in targets:
        r = results[t.name]
        r["cpu"] = cpu_figures(wall, client, meters[t.name].stop(wall), up_usage, r["iterations"])
    return results


def cpu_figures(wall, client_s, proxy, upstream, ops) -> dict:
    cpu = {"wall_s": wall, "client_cores": client_s / wall}
    if upstream is not None:
        cpu["upstream_cores"] = upstream.cores
    if proxy is not None:
        cpu["proxy_s"], cpu["proxy_cores"] = proxy.seconds, proxy.cores
        if ops:
            cpu["proxy_us_per_op"] = proxy.seconds * 1e6 / ops
    return cpu


def preflight(t: Target, up: Upstream, s: Settings, tls: ssl.SSLContext | None) -> dict:
    checks = {"tunnel": lambda: probes.new_tunnel_small(t, up, up.port, s.timeout),
              "forward": lambda: probes.forward_small(t, up, s.timeout)}
    if tls is not None:
        checks["tls"] = lambda: probes.new_tunnel_small(t, up, up.tls_port, s.timeout, tls)
    result = {}
    for name, check in checks.items():
        try:
            check()
            result[name] = "ok"
        except ERRORS as e:
            result[name] = repr(e)
    return result


def run_round(tests, order, up, s, tls, pf, quiet, number) -> dict:
    rd = {"round": number, "order": [t.name for t in order], "results": {t.name: {} for t in order}}
    for test in tests:
        able = [t for t in order if pf[t.name].get(NEEDS[test]) == "ok"]
        if not able:
            continue
        if test in ("latency", "tls-latency"):
            results = measure_turns(test, able, up, s, tls)
        else:
            results = {t.name: measure(test, t, up, s, tls) for t in able}
        for t in able:
            rd["results"][t.name][test] = results[t.name]
            if not quiet:
                r = results[t.name]
                brief = {k: round(v, 1) if isinstance(v, float) else v for k, v in r.items()
                         if k in ("p50_us", "per_s", "MBps", "errors", "failed")}
                if "proxy_us_per_op" in r.get("cpu", {}):
                    brief["proxy_us_per_op"] = round(r["cpu"]["proxy_us_per_op"], 1)
                log(f"round {number} {test:<12} {t.name:<10} {brief}")
    return rd


def main(argv: list[str]) -> int:
    a = parse_args(argv)
    targets = targets_from(a)
    names = [t.name for t in targets]
    s = Settings(a.iters, a.tls_iters, a.warmup_iters, a.concurrency, a.duration, a.bulk_mib * MIB,
                 a.timeout, a.bulk_timeout)
    tls_wanted = any(x.startswith("tls") for x in a.tests)
    workdir = tempfile.mkdtemp(prefix="proxy-bench-")
    started = datetime.datetime.now(datetime.timezone.utc)
    doc = {"tool": "openshell proxy-bench", "format": 1, "started_utc": started.isoformat(timespec="seconds"),
           "note": a.note,
           "host": {"kernel": platform.release(), "cpus": os.cpu_count(), "python": platform.python_version(),
                    "loadavg_start": os.getloadavg()},
           "config": {k: v for k, v in vars(a).items() if k not in ("proxy", "pid", "json")},
           "targets": [{"name": t.name, "address": None if t.direct else f"{t.host}:{t.port}", "pids": t.pids}
                       for t in targets]}
    upstream = None
    try:
        upstream = UpstreamProcess(a, tls_wanted, workdir)
        up = upstream.upstream
        doc["upstream"] = vars(up)
        tls = ssl.create_default_context(cafile=upstream.cert) if tls_wanted else None
        clock = time.perf_counter()
        pf = {t.name: preflight(t, up, s, tls) for t in targets}
        doc["preflight"] = pf
        for t in targets:
            bad = {k: v for k, v in pf[t.name].items() if v != "ok"}
            if not a.quiet or bad:
                log(f"preflight {t.name}: " + ("ok" if not bad else "; ".join(
                    f"{k} failed ({v}): its tests are left out" for k, v in bad.items())))
        if not a.no_warmup_pass:
            brief = Settings(100, 10, 10, a.concurrency, 0.5, min(s.bulk_bytes, 32 * MIB), a.timeout, a.bulk_timeout)
            run_round(a.tests, targets, up, brief, tls, pf, True, 0)
            if not a.quiet:
                log("warm-up pass done (thrown away)")
        rounds = []
        for r in range(a.rounds):
            k = r % len(targets) if a.order == "rotate" else 0
            order = targets[k:] + targets[:k]
            if not a.quiet:
                log(f"round {r + 1}/{a.rounds}: {', '.join(t.name for t in order)}")
            rounds.append(run_round(a.tests, order, up, s, tls, pf, a.quiet, r + 1))
        doc["rounds"] = rounds
        summary = report.summarize(rounds, names, a.tests)
        doc["summary"] = summary
        doc["elapsed_s"] = time.perf_counter() - clock
        doc["host"]["loadavg_end"] = os.getloadavg()
        header = (f"proxy-bench: {a.rounds} rounds, {a.iters} latency iterations ({a.tls_iters} TLS), "
                  f"{a.concurrency} workers x {a.duration} s, bulk {a.bulk_mib} MiB, upstream "
                  f"{up.host}:{up.port}" + (f" (TLS :{up.tls_port})" if up.tls_port else "")
                  + (f" in netns {a.netns}" if a.netns else ""))
        text = report.table(summary, names, a.tests, header)
        if a.compare:
            ours, _, anchor = a.compare.partition(":")
            doc["criteria"] = report.criteria(summary, ours, anchor)
            text += "\n\n" + report.criteria_text(doc["criteria"], ours, anchor)
        doc["table"] = text
        if not a.quiet:
            print(text)
            print(f"\nelapsed {doc['elapsed_s']:.0f} s", flush=True)
    finally:
        if upstream is not None:
            upstream.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        if a.json:
            with open(a.json, "w") as f:
                json.dump(report.rounded(doc), f, indent=1)
                f.write("\n")
    return 0
