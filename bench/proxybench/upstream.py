"""The upstream server every target reaches: plain HTTP and HTTP over TLS, keep-alive.

`GET /small` answers SMALL_BODY (100 bytes); `GET /bulk?bytes=N` answers N bytes; anything
else 404. Requests are heads only (the benchmark never sends a body). A protocol class rather
than asyncio streams: the upstream shares the two cores with the client and the proxy, so the
less it costs per request, the less it disturbs what is measured.

Run as `proxy-bench.py upstream --host IP --port P [--tls-port Q --cert C --key K]`; the
harness starts it inside the upstream's network namespace. It prints one JSON line with its pid
when it listens and stops on SIGTERM, SIGINT or when its standard input closes (so it never
outlives the harness that started it).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from .wire import MIB, SMALL_BODY


def _small(keep_alive: bool) -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n%s\r\n"
            % (len(SMALL_BODY), b"" if keep_alive else b"Connection: close\r\n")) + SMALL_BODY


SMALL = {True: _small(True), False: _small(False)}
CHUNK = memoryview(b"\x5a" * MIB)


class UpstreamProtocol(asyncio.Protocol):
    """One connection: parses request heads as they arrive, answers them in order."""

    def __init__(self):
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.bulk_left = 0  # bytes of a /bulk body still to write
        self.close_after_bulk = False
        self.paused = False

    def connection_made(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        transport.set_write_buffer_limits(high=4 * MIB)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.bulk_left == 0 and not self.transport.is_closing():
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self.transport.close()
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4:]
            self.answer(head)

    def answer(self, head: bytes) -> None:
        line, _, fields = head.partition(b"\r\n")
        parts = line.split(b" ")
        if len(parts) != 3:
            self.transport.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            self.transport.close()
            return
        method, target, version = parts
        connection = b""
        for field in fields.split(b"\r\n"):
            name, _, value = field.partition(b":")
            if name.strip().lower() == b"connection":
                connection = value.strip().lower()
        keep_alive = b"close" not in connection if version == b"HTTP/1.1" else b"keep-alive" in connection
        if not target.startswith(b"/"):  # absolute form (a forward proxy passing it on): drop the authority
            slash = target.find(b"/", target.find(b"//") + 2)
            target = target[slash:] if slash > 0 else b"/"
        path, _, query = target.partition(b"?")
        if path == b"/small":
            self.transport.write(SMALL[keep_alive])
        elif path == b"/bulk":
            size = 0
            for pair in query.split(b"&"):
                if pair.startswith(b"bytes="):
                    size = int(pair[6:])
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                                 b"Content-Length: %d\r\n%s\r\n"
                                 % (size, b"" if keep_alive else b"Connection: close\r\n"))
            if method != b"HEAD" and size > 0:
                self.bulk_left, self.close_after_bulk = size, not keep_alive
                self.write_bulk()
                return
        else:
            self.transport.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        if not keep_alive:
            self.transport.close()

    def write_bulk(self) -> None:
        while self.bulk_left > 0 and not self.paused:
            n = min(self.bulk_left, len(CHUNK))
            self.transport.write(CHUNK[:n])
            self.bulk_left -= n
        if self.bulk_left == 0:
            if self.close_after_bulk:
                self.transport.close()
            elif self.buffer:
                self.data_received(b"")  # requests pipelined behind the bulk one

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        if self.bulk_left:
            self.write_bulk()


async def serve(args: argparse.Namespace) -> None:
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(UpstreamProtocol, args.host, args.port, backlog=4096, reuse_address=True)]
    if args.tls_port:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        servers.append(await loop.create_server(UpstreamProtocol, args.host, args.tls_port, ssl=context,
                                                backlog=4096, reuse_address=True))
    print(json.dumps({"pid": os.getpid(), "host": args.host, "port": args.port, "tls_port": args.tls_port}),
          flush=True)
    stop = loop.create_future()

    def done(*_):
        if not stop.done():
            stop.set_result(None)

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, done)

    def stdin_readable():
        try:
            data = os.read(sys.stdin.fileno(), 4096)
        except OSError:
            data = b""
        if not data:
            done()

    if args.exit_on_stdin_eof:
        loop.add_reader(sys.stdin.fileno(), stdin_readable)
    await stop
    for s in servers:
        s.close()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="proxy-bench.py upstream", description="Run only the upstream server.")
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--tls-port", type=int)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--exit-on-stdin-eof", action="store_true")
    args = ap.parse_args(argv)
    if args.tls_port and not (args.cert and args.key):
        ap.error("--tls-port needs --cert and --key")
    asyncio.run(serve(args))
    return 0
