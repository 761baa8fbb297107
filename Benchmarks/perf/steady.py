#!/usr/bin/env python3
"""A well-behaved client: GET PATH on one kept-alive connection every INTERVAL ms for SECONDS;
prints how many were answered, by status, and the latency p50 / p99 / max in ms. Run beside
flood.py to see what a looping client does to everyone else (flood.sh STEADY=1)."""
import collections, socket, sys, time

sock_path, seconds, path, interval = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4]) / 1000
s = socket.socket(socket.AF_UNIX)
s.connect(sock_path)
request = f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
statuses, latencies = collections.Counter(), []
end = time.time() + seconds
while time.time() < end:
    started = time.perf_counter()
    s.sendall(request)
    buffer = b""
    while True:
        buffer += s.recv(65536)
        head_end = buffer.find(b"\r\n\r\n")
        if head_end < 0:
            continue
        head = buffer[:head_end].decode("latin-1").split("\r\n")
        length = next((int(l.split(":", 1)[1]) for l in head[1:] if l.lower().startswith("content-length:")), 0)
        if len(buffer) >= head_end + 4 + length:
            break
    latencies.append((time.perf_counter() - started) * 1000)
    statuses[head[0].split(" ")[1]] += 1
    time.sleep(max(0, interval - (time.perf_counter() - started)))
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
print(f"{len(latencies)} answered {dict(statuses)}; p50 {pick(0.5):.2f} ms, p99 {pick(0.99):.2f} ms, max {latencies[-1]:.2f} ms")
