"""The measurements themselves. Each returns a plain dict (it goes into the JSON as is).

Sequential probes (latency, bulk) use blocking sockets: with one request in flight an event
loop only adds noise. Concurrent probes (rate, forward) use asyncio with C workers.
"""
from __future__ import annotations

import asyncio
import ssl
import statistics
import time
from dataclasses import dataclass, field

from .wire import (MB, BenchError, BlockingConnection, check_small, connect_request, get_request,
                   read_response_async, status_of)

ERRORS = (OSError, BenchError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError)


@dataclass
class Target:
    """A proxy on loopback, or `direct` (no proxy: the client dials the upstream itself)."""
    name: str
    host: str | None = None
    port: int | None = None
    pids: list[int] = field(default_factory=list)

    @property
    def direct(self) -> bool:
        return self.host is None

    def dial(self, upstream: "Upstream", port: int) -> tuple[str, int]:
        return (upstream.host, port) if self.direct else (self.host, self.port)


@dataclass
class Upstream:
    host: str
    port: int
    tls_port: int | None
    pid: int | None = None


@dataclass
class Settings:
    iters: int
    tls_iters: int
    warmup_iters: int
    concurrency: int
    duration: float
    bulk_bytes: int
    timeout: float
    bulk_timeout: float


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (as numpy's default)."""
    if not sorted_values:
        return None
    rank = (len(sorted_values) - 1) * p / 100.0
    low = int(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


# ------------------------------------------------------------------ blocking: one at a time

def new_tunnel_small(t: Target, up: Upstream, port: int, timeout: float,
                     tls: ssl.SSLContext | None = None) -> None:
    """One whole new-tunnel iteration: connect, [CONNECT,] [TLS handshake,] GET /small, close."""
    c = BlockingConnection(t.dial(up, port), timeout)
    try:
        if not t.direct:
            c.open_tunnel(up.host, port)
        if tls is not None:
            c.start_tls(tls, up.host)
        c.send(get_request(up.host, port, "/small"))
        check_small(*c.read_response())
    finally:
        c.close()


def forward_small(t: Target, up: Upstream, timeout: float) -> None:
    """One absolute-form GET through a forward proxy (origin form for direct)."""
    c = BlockingConnection(t.dial(up, up.port), timeout)
    try:
        c.send(get_request(up.host, up.port, "/small", absolute=not t.direct))
        check_small(*c.read_response())
    finally:
        c.close()


def latency(targets: list[Target], up: Upstream, s: Settings, tls: ssl.SSLContext | None = None) -> dict:
    """K new-tunnel iterations per target, the targets taking turns at every iteration
    (A, B, direct, A, B, direct, ...) so that whatever else the machine does hits all alike."""
    port = up.tls_port if tls else up.port
    iters, warmup = (s.tls_iters, max(1, s.warmup_iters // 5)) if tls else (s.iters, s.warmup_iters)
    samples = {t.name: [] for t in targets}
    errors = {t.name: 0 for t in targets}
    last_error = {}
    for i in range(warmup + iters):
        for t in targets:
            start = time.perf_counter_ns()
            try:
                new_tunnel_small(t, up, port, s.timeout, tls)
            except ERRORS as e:
                errors[t.name] += 1
                last_error[t.name] = repr(e)
                continue
            if i >= warmup:
                samples[t.name].append((time.perf_counter_ns() - start) / 1000.0)
    out = {}
    for t in targets:
        v = sorted(samples[t.name])
        r = {"n": len(v), "iterations": warmup + iters, "errors": errors[t.name],
             "p50_us": percentile(v, 50), "p90_us": percentile(v, 90), "p99_us": percentile(v, 99),
             "mean_us": statistics.fmean(v) if v else None, "turns_with": [x.name for x in targets]}
        if t.name in last_error:
            r["last_error"] = last_error[t.name]
        out[t.name] = r
    return out


def bulk(t: Target, up: Upstream, s: Settings, tls: ssl.SSLContext | None = None) -> dict:
    """One tunnel, GET /bulk of bulk_bytes; MB/s (10^6 bytes) from the GET sent to the last byte."""
    port = up.tls_port if tls else up.port
    c = BlockingConnection(t.dial(up, port), s.timeout)
    try:
        if not t.direct:
            c.open_tunnel(up.host, port)
        if tls is not None:
            c.start_tls(tls, up.host)
        c.sock.settimeout(s.bulk_timeout)
        start = time.perf_counter()
        c.send(get_request(up.host, port, f"/bulk?bytes={s.bulk_bytes}"))
        head = c.read_head()
        if status_of(head) != 200:
            raise BenchError(f"/bulk answered {status_of(head)}")
        got, c.buffer = len(c.buffer), b""
        chunk = memoryview(bytearray(1 << 20))
        while got < s.bulk_bytes:
            n = c.sock.recv_into(chunk)
            if n == 0:
                raise BenchError(f"closed after {got} of {s.bulk_bytes} bytes")
            got += n
        seconds = time.perf_counter() - start
    finally:
        c.close()
    return {"bytes": got, "seconds": seconds, "MBps": got / seconds / MB, "errors": 0, "ops": got / MB}


# ------------------------------------------------------------------ asyncio: C workers

async def _workers(make, s: Settings) -> tuple[int, int, str | None]:
    """Runs C workers for `duration` seconds once all are ready; returns (ok, errors, last error)."""
    loop = asyncio.get_running_loop()
    state = {"ok": 0, "errors": 0, "last": None, "ready": 0, "deadline": None}
    go = asyncio.Event()
    tasks = [asyncio.create_task(make(state, go)) for _ in range(s.concurrency)]
    until = loop.time() + s.timeout
    while state["ready"] < s.concurrency and loop.time() < until and not all(x.done() for x in tasks):
        await asyncio.sleep(0.005)
    state["deadline"] = loop.time() + s.duration
    go.set()
    done, pending = await asyncio.wait(tasks, timeout=s.duration + s.timeout)
    for p in pending:
        p.cancel()
    if pending:
        await asyncio.wait(pending)
        state["errors"] += len(pending)
        state["last"] = state["last"] or "worker still busy past the deadline"
    for d in done:
        if not d.cancelled() and d.exception() is not None:
            state["errors"] += 1
            state["last"] = repr(d.exception())
    return state["ok"], state["errors"], state["last"]


async def _rate(t: Target, up: Upstream, s: Settings) -> dict:
    loop = asyncio.get_running_loop()
    connect, get = connect_request(up.host, up.port), get_request(up.host, up.port, "/small")
    address = t.dial(up, up.port)

    async def once():
        reader, writer = await asyncio.open_connection(*address)
        try:
            if not t.direct:
                writer.write(connect)
                head = await reader.readuntil(b"\r\n\r\n")
                if status_of(head) != 200:
                    raise BenchError(f"CONNECT answered {status_of(head)}")
            writer.write(get)
            check_small(*await read_response_async(reader))
        finally:
            writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass

    async def worker(state, go):
        state["ready"] += 1
        await go.wait()
        while loop.time() < state["deadline"]:
            try:
                await once()
                if loop.time() <= state["deadline"]:
                    state["ok"] += 1
            except ERRORS as e:
                state["errors"] += 1
                state["last"] = repr(e)
                await asyncio.sleep(0.001)

    ok, errors, last = await _workers(worker, s)
    r = {"ok": ok, "errors": errors, "per_s": ok / s.duration, "ops": ok}
    if last:
        r["last_error"] = last
    return r


async def _forward(t: Target, up: Upstream, s: Settings) -> dict:
    loop = asyncio.get_running_loop()
    request = get_request(up.host, up.port, "/small", absolute=not t.direct)
    address = t.dial(up, up.port)
    opened = {"n": 0, "closed_by_peer": 0}

    async def worker(state, go):
        conn = None
        served = 0  # responses read on the current connection

        async def one():
            nonlocal conn, served
            for _ in range(2):
                if conn is None:
                    conn = await asyncio.open_connection(*address)
                    opened["n"] += 1
                    served = 0
                reader, writer = conn
                writer.write(request)
                try:
                    head, body = await read_response_async(reader)
                    break
                except (asyncio.IncompleteReadError, ConnectionError) as e:
                    writer.close()
                    conn = None
                    # a proxy that closes a kept-alive connection between requests without saying
                    # so (tinyproxy): not an error, the request goes again on a new connection
                    if served and not getattr(e, "partial", b""):
                        opened["closed_by_peer"] += 1
                        continue
                    raise
            served += 1
            check_small(head, body)
            if head.close:
                conn[1].close()
                conn = None

        try:
            await one()  # the connection is open (and used once) before the clock starts
        except ERRORS as e:
            state["errors"] += 1
            state["last"] = repr(e)
        state["ready"] += 1
        await go.wait()
        while loop.time() < state["deadline"]:
            try:
                await one()
                if loop.time() <= state["deadline"]:
                    state["ok"] += 1
            except ERRORS as e:
                state["errors"] += 1
                state["last"] = repr(e)
                await asyncio.sleep(0.001)
        if conn is not None:
            conn[1].close()

    ok, errors, last = await _workers(worker, s)
    r = {"ok": ok, "errors": errors, "per_s": ok / s.duration, "ops": ok,
         "connections": opened["n"], "closed_by_peer": opened["closed_by_peer"], "conns_per_req": round(opened["n"] / ok, 4) if ok else None}
    if last:
        r["last_error"] = last
    return r


def rate(t: Target, up: Upstream, s: Settings) -> dict:
    """C workers open new tunnels (CONNECT, GET /small, close) in a loop for T seconds."""
    return asyncio.run(_rate(t, up, s))


def forward(t: Target, up: Upstream, s: Settings) -> dict:
    """C keep-alive connections send absolute-form GET /small for T seconds."""
    return asyncio.run(_forward(t, up, s))
