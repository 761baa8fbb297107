#!/usr/bin/env python3
"""A client in a loop: GET PATH on one connection, DEPTH requests pipelined at a time, for
SECONDS. Prints the requests answered and how many of each status. Used by flood.sh."""
import collections, socket, sys, time

sock_path, seconds, path, depth = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4])
s = socket.socket(socket.AF_UNIX)
s.connect(sock_path)
request = f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
statuses = collections.Counter()
buffer = b""
end = time.time() + seconds
while time.time() < end:
    s.sendall(request * depth)
    answered = 0
    while answered < depth:
        chunk = s.recv(1 << 20)
        if not chunk:
            sys.exit("the daemon closed the connection")
        buffer += chunk
        # Each answer: a head, then a body of Content-Length bytes.
        while True:
            head_end = buffer.find(b"\r\n\r\n")
            if head_end < 0:
                break
            head = buffer[:head_end].decode("latin-1").split("\r\n")
            length = 0
            for line in head[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(buffer) < head_end + 4 + length:
                break
            statuses[head[0].split(" ")[1]] += 1
            buffer = buffer[head_end + 4 + length:]
            answered += 1
print(sum(statuses.values()), dict(sorted(statuses.items())))
