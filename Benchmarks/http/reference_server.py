"""Reference server for make bench-http: what any server on this machine gets under the same load.

It answers every HTTP/1.1 request (keep-alive, Content-Length bodies, as wrk sends them) with a fixed
JSON body of the options answer's size, after spending BURN_US microseconds of its own CPU time
(thread CPU clock, so waiting for the CPU does not count). No database, no parsing of the order, no
sourcing: the only thing it shares with `keel serve` is the CPU it needs per answer. bench.sh starts
two on one port (SO_REUSEPORT) so that, like Keel's server, it can use both cores.

    python3 reference_server.py PORT BYTES BURN_US
"""
import asyncio
import socket
import sys
import time


def serve(port: int, size: int, burn: float) -> None:
    body = b'{"x":"' + b"a" * max(0, size - 8) + b'"}'
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body

    class Connection(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport, self.buffer = transport, b""

        def data_received(self, data):
            self.buffer += data
            while True:
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                head, length = self.buffer[:end].lower(), 0
                at = head.find(b"content-length:")
                if at >= 0:
                    length = int(head[at + 15:].split(b"\r\n", 1)[0])
                if len(self.buffer) < end + 4 + length:
                    return
                self.buffer = self.buffer[end + 4 + length:]
                if burn > 0:
                    started = time.thread_time()
                    while time.thread_time() - started < burn:
                        pass
                self.transport.write(answer)

    async def main():
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(1024)
        server = await asyncio.get_running_loop().create_server(Connection, sock=sock)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


if __name__ == "__main__":
    port, size, burn_us = (int(a) for a in sys.argv[1:4])
    serve(port, size, burn_us / 1e6)
