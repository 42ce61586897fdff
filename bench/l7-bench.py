#!/usr/bin/env python3
"""l7-bench: the egress proxy's L7 path (TLS terminated, every request evaluated) against a plain
L4 tunnel and a direct connection, all to the same TLS upstream, interleaved. Stdlib only.

    l7-bench.py --proxy 127.0.0.1:PORT [--proxy-pid PID] --upstream-host IP [--netns NS] --l7-port P \
        --l4-port Q --cert UPSTREAM.pem --key UPSTREAM.key --sandbox-ca CA.pem [--json out.json]

Targets: `l7` = CONNECT IP:P (a `protocol: rest` endpoint; the proxy terminates TLS with a leaf
from the sandbox CA, evaluates each request, re-encrypts to the upstream); `l4` = CONNECT IP:Q
(raw tunnel, TLS end to end); `direct` = TLS straight to IP:Q.
Tests per round (targets take turns):
  keepalive-latency: one kept-alive connection per target, K sequential `GET /small`, targets
                     interleaved per request -> p50/p99 per request, and added = target - direct
  keepalive-rate:    C connections, sequential GETs for T s -> req/s and proxy CPU us/request
  setup-latency:     new connection + CONNECT + TLS handshake + one GET, K2 times -> p50
`l7-bench.py upstream --host IP --port P --port Q --cert C --key K` runs only the upstream.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import time

BODY = b"x" * 100
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------- upstream

async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"GET "):
                writer.write(b"HTTP/1.1 405 No\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                break
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s"
                         % (len(BODY), BODY))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def _upstream(a) -> None:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)
    servers = [await asyncio.start_server(_serve, a.host, p, ssl=ctx, backlog=1024, reuse_address=True)
               for p in a.port]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


# ---------------------------------------------------------------------------- client

def request(host: str, port: int) -> bytes:
    return b"GET /small HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (host.encode(), port)


def read_response(s) -> None:
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(4096)
        if not chunk:
            raise OSError("connection closed before the response head")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise OSError("unexpected response: %r" % head[:80])
    length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length"))
    while len(rest) < length:
        chunk = s.recv(4096)
        if not chunk:
            raise OSError("connection closed in the body")
        rest += chunk
    if rest[:length] != BODY:
        raise OSError("wrong body")


class Target:
    def __init__(self, name: str, a, port: int, ctx: ssl.SSLContext, via_proxy: bool):
        self.name, self.a, self.port, self.ctx, self.via_proxy = name, a, port, ctx, via_proxy

    def open(self):
        a = self.a
        if self.via_proxy:
            s = socket.create_connection(a.proxy, timeout=a.timeout)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.sendall(b"CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n"
                      % (a.upstream_host.encode(), self.port, a.upstream_host.encode(), self.port))
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = s.recv(4096)
                if not chunk:
                    raise OSError("proxy closed during CONNECT")
                buf += chunk
            if not buf.startswith(b"HTTP/1.1 200"):
                raise OSError("CONNECT refused: %r" % buf[:200])
        else:
            s = socket.create_connection((a.upstream_host, self.port), timeout=a.timeout)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.ctx.wrap_socket(s, server_hostname=a.upstream_host)

    async def aopen(self):
        a = self.a
        if not self.via_proxy:
            return await asyncio.open_connection(a.upstream_host, self.port, ssl=self.ctx,
                                                 server_hostname=a.upstream_host)
        r, w = await asyncio.open_connection(*a.proxy)
        w.write(b"CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n"
                % (a.upstream_host.encode(), self.port, a.upstream_host.encode(), self.port))
        head = await r.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise OSError("CONNECT refused: %r" % head[:200])
        await w.start_tls(self.ctx, server_hostname=a.upstream_host)
        return r, w


def pct(vals: list[float], p: float) -> float:
    vals = sorted(vals)
    return vals[min(len(vals) - 1, int(len(vals) * p / 100))]


def proxy_cpu(pid: int | None) -> float | None:
    if pid is None:
        return None
    with open(f"/proc/{pid}/stat", "rb") as f:
        rest = f.read().rsplit(b")", 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / CLK_TCK


def keepalive_latency(targets: list[Target], a) -> dict:
    conns = {t.name: t.open() for t in targets}
    times = {t.name: [] for t in targets}
    try:
        for i in range(a.warmup + a.requests):
            for t in targets:
                s = conns[t.name]
                t0 = time.perf_counter()
                s.sendall(request(a.upstream_host, t.port))
                read_response(s)
                if i >= a.warmup:
                    times[t.name].append((time.perf_counter() - t0) * 1e6)
    finally:
        for s in conns.values():
            s.close()
    return {n: {"p50_us": statistics.median(v), "p99_us": pct(v, 99), "n": len(v)} for n, v in times.items()}


def setup_latency(targets: list[Target], a) -> dict:
    times = {t.name: [] for t in targets}
    for i in range(a.setup_iters + 5):
        for t in targets:
            t0 = time.perf_counter()
            s = t.open()
            s.sendall(request(a.upstream_host, t.port))
            read_response(s)
            s.close()
            if i >= 5:
                times[t.name].append((time.perf_counter() - t0) * 1e6)
    return {n: {"p50_us": statistics.median(v), "p99_us": pct(v, 99), "n": len(v)} for n, v in times.items()}


async def _rate(t: Target, a) -> tuple[int, int]:
    ok, errors = 0, 0
    stop = time.perf_counter() + a.duration
    req = request(a.upstream_host, t.port)

    async def worker():
        nonlocal ok, errors
        r, w = await t.aopen()
        try:
            while time.perf_counter() < stop:
                w.write(req)
                head = await r.readuntil(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    errors += 1
                    return
                body = await r.readexactly(len(BODY))
                if body != BODY:
                    errors += 1
                    return
                ok += 1
        finally:
            w.close()

    results = await asyncio.gather(*(worker() for _ in range(a.concurrency)), return_exceptions=True)
    errors += sum(1 for x in results if isinstance(x, BaseException))
    return ok, errors


def keepalive_rate(t: Target, a) -> dict:
    c0, w0 = proxy_cpu(a.proxy_pid), time.perf_counter()
    ok, errors = asyncio.run(_rate(t, a))
    c1, wall = proxy_cpu(a.proxy_pid), time.perf_counter() - w0
    r = {"ok": ok, "errors": errors, "per_s": ok / a.duration}
    if c0 is not None and t.via_proxy and ok:
        r["proxy_cpu_s"] = round(c1 - c0, 3)
        r["proxy_us_per_req"] = round((c1 - c0) * 1e6 / ok, 1)
        r["proxy_cores"] = round((c1 - c0) / wall, 3)
    return r


def main(argv: list[str]) -> int:
    if argv[:1] == ["upstream"]:
        ap = argparse.ArgumentParser(prog="l7-bench.py upstream")
        ap.add_argument("--host", required=True)
        ap.add_argument("--port", type=int, action="append", required=True)
        ap.add_argument("--cert", required=True)
        ap.add_argument("--key", required=True)
        asyncio.run(_upstream(ap.parse_args(argv[1:])))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--proxy", required=True, help="HOST:PORT of the egress proxy")
    ap.add_argument("--proxy-pid", type=int)
    ap.add_argument("--upstream-host", required=True)
    ap.add_argument("--netns", help="network namespace to run the upstream in (ip netns exec)")
    ap.add_argument("--l7-port", type=int, required=True)
    ap.add_argument("--l4-port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--sandbox-ca", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--requests", type=int, default=1000, help="keep-alive requests per target per round")
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--setup-iters", type=int, default=100)
    ap.add_argument("--concurrency", "-c", type=int, default=8)
    ap.add_argument("--duration", "-t", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    host, _, port = a.proxy.rpartition(":")
    a.proxy = (host, int(port))

    command = [sys.executable, os.path.abspath(__file__), "upstream", "--host", a.upstream_host,
               "--port", str(a.l7_port), "--port", str(a.l4_port), "--cert", a.cert, "--key", a.key]
    if a.netns:  # the upstream lives in a namespace of its own (the proxy refuses the host's addresses)
        command = ["ip", "netns", "exec", a.netns] + command
    up = subprocess.Popen(command, stdout=subprocess.PIPE)
    try:
        if up.stdout.readline().strip() != b"ready":
            raise SystemExit("upstream failed to start")
        upstream_ctx = ssl.create_default_context(cafile=a.cert)
        sandbox_ctx = ssl.create_default_context(cafile=a.sandbox_ca)
        targets = [Target("l7", a, a.l7_port, sandbox_ctx, True),
                   Target("l4", a, a.l4_port, upstream_ctx, True),
                   Target("direct", a, a.l4_port, upstream_ctx, False)]
        rounds = []
        for r in range(a.rounds):
            order = targets[r % 3:] + targets[:r % 3]
            rd = {"keepalive-latency": keepalive_latency(order, a),
                  "setup-latency": setup_latency(order, a),
                  "keepalive-rate": {t.name: keepalive_rate(t, a) for t in order}}
            rounds.append(rd)
            print(f"round {r + 1}/{a.rounds} done", file=sys.stderr, flush=True)
    finally:
        up.terminate()
        up.wait(5)

    def med(test, name, field):
        vals = [rd[test][name].get(field) for rd in rounds]
        vals = [v for v in vals if v is not None]
        return (statistics.median(vals), vals) if vals else (None, [])

    summary = {}
    for t in targets:
        s = {}
        for test, field, key in (("keepalive-latency", "p50_us", "ka_p50_us"), ("keepalive-latency", "p99_us", "ka_p99_us"),
                                 ("setup-latency", "p50_us", "setup_p50_us"), ("keepalive-rate", "per_s", "ka_req_per_s"),
                                 ("keepalive-rate", "proxy_us_per_req", "proxy_us_per_req"),
                                 ("keepalive-rate", "errors", "ka_errors")):
            s[key], s[key + "_rounds"] = med(test, t.name, field)
        for test, key in (("keepalive-latency", "ka_added_p50_us"), ("setup-latency", "setup_added_p50_us")):
            added = [rd[test][t.name]["p50_us"] - rd[test]["direct"]["p50_us"] for rd in rounds]
            s[key] = statistics.median(added) if t.name != "direct" else None
        summary[t.name] = s

    def f(v, nd=0):
        return "-" if v is None else f"{v:,.{nd}f}"

    print(f"l7-bench: rounds={a.rounds} requests={a.requests} concurrency={a.concurrency} duration={a.duration}s "
          f"upstream={a.upstream_host} (medians over rounds; us)")
    print(f"{'target':<8}{'ka p50':>8}{'ka p99':>8}{'ka +p50':>9} |{'setup p50':>10}{'+p50':>8} |"
          f"{'ka req/s':>9}{'proxy us/req':>13}")
    for t in targets:
        s = summary[t.name]
        print(f"{t.name:<8}{f(s['ka_p50_us']):>8}{f(s['ka_p99_us']):>8}{f(s['ka_added_p50_us']):>9} |"
              f"{f(s['setup_p50_us']):>10}{f(s['setup_added_p50_us']):>8} |{f(s['ka_req_per_s']):>9}"
              f"{f(s['proxy_us_per_req'], 1):>13}")
    print("per round: " + "   ".join(f"{t.name} ka req/s " + "/".join(f(v) for v in summary[t.name]["ka_req_per_s_rounds"])
                                     for t in targets))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"args": {k: v for k, v in vars(a).items()}, "summary": summary, "rounds": rounds}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
