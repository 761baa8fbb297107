#!/usr/bin/env python3
"""Loopback TCP to Unix socket bridge for the bad-input drill (docs/reliability.md, "Bad input").

Usage: socket-bridge.py PORT SOCKET. Listens on 127.0.0.1:PORT only and copies bytes both ways
between each TCP connection and a new connection to the Unix socket SOCKET. The daemon then
sees the bridge's uid (SO_PEERCRED), so run it as the user whose role the fuzzer should have.
"""
import asyncio
import sys


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def serve(port, socket_path):
    async def handle(client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_unix_connection(socket_path)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer))

    server = await asyncio.start_server(handle, "127.0.0.1", port, reuse_address=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2]))
