"""HTTP/1.1 as the benchmark speaks it: the few requests the client sends, and reading answers.

Both the blocking client (one request in flight: latency, bulk) and the asyncio client (many
connections: rate, forward) read responses here, so every target is parsed the same way.
"""
from __future__ import annotations

import asyncio
import socket
import ssl
from dataclasses import dataclass

# The body of GET /small: 100 bytes, checked on every response.
SMALL_BODY = (b"openshell proxy-bench /small " + b"abcdefghijklmnopqrstuvwxyz0123456789" * 3)[:100]
assert len(SMALL_BODY) == 100
MIB = 1 << 20
MB = 1_000_000


class BenchError(Exception):
    """A target answered something other than what the benchmark expects."""


def connect_request(host: str, port: int) -> bytes:
    authority = b"%s:%d" % (host.encode(), port)
    return b"CONNECT " + authority + b" HTTP/1.1\r\nHost: " + authority + b"\r\n\r\n"


def get_request(host: str, port: int, path: str, absolute: bool = False) -> bytes:
    """A GET in origin form (inside a tunnel, or direct) or absolute form (to a forward proxy)."""
    authority = b"%s:%d" % (host.encode(), port)
    target = (b"http://" + authority if absolute else b"") + path.encode()
    return b"GET " + target + b" HTTP/1.1\r\nHost: " + authority + b"\r\n\r\n"


@dataclass(frozen=True)
class ResponseHead:
    status: int
    length: int | None  # Content-Length, if any
    chunked: bool
    close: bool  # the sender will close the connection after this response


def parse_head(raw: bytes) -> ResponseHead:
    lines = raw.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        raise BenchError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    length, chunked, connection = None, False, None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name in (b"connection", b"proxy-connection"):
            connection = value
    if parts[0] == b"HTTP/1.1":
        close = connection is not None and b"close" in connection
    else:
        close = connection is None or b"keep-alive" not in connection
    return ResponseHead(int(parts[1]), length, chunked, close)


def status_of(raw_head: bytes) -> int:
    return parse_head(raw_head).status


class BlockingConnection:
    """One blocking TCP connection with a read buffer (TCP_NODELAY, a timeout on every call)."""

    def __init__(self, address: tuple[str, int], timeout: float):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(timeout)
        try:
            s.connect(address)
        except OSError:
            s.close()
            raise
        self.sock: socket.socket | ssl.SSLSocket = s
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _fill(self) -> None:
        data = self.sock.recv(262144)
        if not data:
            raise BenchError("connection closed by the peer")
        self.buffer += data

    def read_head(self) -> bytes:
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                head, self.buffer = self.buffer[:end + 4], self.buffer[end + 4:]
                return head
            if len(self.buffer) > 65536:
                raise BenchError("response head over 64 KiB")
            self._fill()

    def read_exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def read_response(self) -> tuple[ResponseHead, bytes]:
        head = parse_head(self.read_head())
        if head.chunked:
            body = b""
            while (size := int(self.read_line().split(b";")[0], 16)) > 0:
                body += self.read_exactly(size + 2)[:size]
            while self.read_line():  # trailers, up to the empty line
                pass
            return head, body
        if head.length is not None:
            return head, self.read_exactly(head.length)
        body, self.buffer = self.buffer, b""
        while data := self.sock.recv(262144):
            body += data
        return head, body

    def open_tunnel(self, host: str, port: int) -> None:
        """CONNECT host:port through the proxy this connection goes to; fails unless 200."""
        self.send(connect_request(host, port))
        status = status_of(self.read_head())
        if status != 200:
            raise BenchError(f"CONNECT answered {status}")
        if self.buffer:
            raise BenchError("bytes after the CONNECT response")

    def start_tls(self, context: ssl.SSLContext, server_name: str) -> None:
        self.sock = context.wrap_socket(self.sock, server_hostname=server_name)


def check_small(head: ResponseHead, body: bytes) -> None:
    if head.status != 200 or body != SMALL_BODY:
        raise BenchError(f"bad /small response: status {head.status}, {len(body)} bytes")


async def read_response_async(reader: asyncio.StreamReader) -> tuple[ResponseHead, bytes]:
    head = parse_head(await reader.readuntil(b"\r\n\r\n"))
    if head.chunked:
        body = b""
        while (size := int((await reader.readline()).split(b";")[0], 16)) > 0:
            body += (await reader.readexactly(size + 2))[:size]
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        return head, body
    if head.length is not None:
        return head, await reader.readexactly(head.length)
    return ResponseHead(head.status, None, False, True), await reader.read()
