#!/usr/bin/env python3
"""coldstart.py STORE BIN_DIR... [--rounds N]: start to READY=1 of each BIN_DIR/pillboxd on a
copy of STORE (a folder `pillbox-bench all --store` seeded: data/, master.key), cold (the page
cache dropped first, as after a boot: needs root) and warm (the start just after), each build
in turn, N rounds. Prints per start: milliseconds to READY=1, the daemon's major page faults
and the bytes it read from the disk by then (/proc/PID/stat, /proc/PID/io), then per build the
median and the highest of each kind. docs/performance.md, "a start after a boot"."""
import os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

args = sys.argv[1:]
rounds = 5
if "--rounds" in args:
    i = args.index("--rounds"); rounds = int(args[i + 1]); del args[i:i + 2]
if len(args) < 2:
    sys.exit(__doc__)
store, bins = args[0], args[1:]

work = tempfile.mkdtemp(prefix="coldstart.")
try:
    shutil.copytree(store, work + "/st", symlinks=True)
    with open(work + "/pillbox.json", "w") as f:
        f.write('{"central":{"pharmacyId":"0042","prefetch":{"recentDays":0},'
                '"pharmacySystem":"https://pharmacy.example/ids/0042",'
                '"url":"http://127.0.0.1:9/fhir","startJitterSeconds":0}}')
    notify = work + "/notify"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(notify)
    listener.settimeout(30)

    def drop_caches():
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")

    def start(binary):
        env = dict(os.environ, NOTIFY_SOCKET=notify)
        began = time.monotonic()
        child = subprocess.Popen([binary + "/pillboxd", "--data-dir", work + "/st/data", "--socket", work + "/s",
                                  "--key-file", work + "/st/master.key", "--config", work + "/pillbox.json",
                                  "--log-level", "error"], env=env, stderr=subprocess.DEVNULL)
        while True:
            message = listener.recv(4096)
            if b"READY=1" in message.split(b"\n"):
                break
        ms = (time.monotonic() - began) * 1000
        majflt = int(open(f"/proc/{child.pid}/stat").read().rsplit(")", 1)[1].split()[9])
        io = dict(line.split(": ") for line in open(f"/proc/{child.pid}/io").read().split("\n") if line)
        child.send_signal(signal.SIGTERM)
        child.wait()
        return ms, majflt, int(io["read_bytes"])

    figures = {b: {"cold": [], "warm": []} for b in bins}
    for r in range(rounds):
        for b in bins:
            drop_caches()
            for kind in ("cold", "warm"):
                ms, majflt, read = start(b)
                figures[b][kind].append((ms, majflt, read))
                print(f"round {r + 1} {b} {kind}: {ms:.1f} ms to READY=1, {majflt} major faults, "
                      f"{read / 1048576:.1f} MiB read", flush=True)
    for b in bins:
        for kind in ("cold", "warm"):
            rows = figures[b][kind]
            ms = [x[0] for x in rows]
            print(f"{b} {kind}: median {statistics.median(ms):.1f} ms, highest {max(ms):.1f} ms; "
                  f"major faults median {statistics.median(x[1] for x in rows):.0f}; "
                  f"read median {statistics.median(x[2] for x in rows) / 1048576:.1f} MiB ({len(rows)} starts)")
finally:
    shutil.rmtree(work, ignore_errors=True)
