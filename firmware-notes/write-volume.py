#!/usr/bin/env python3
"""Bytes a pillboxd writes for a busy pharmacy day: N dispenses, M reads, uploads on to the simulator.
Usage: write-volume.py BUILD_DIR [dispenses] [reads]. Reads /proc/PID/io write_bytes."""
import json, os, socket, subprocess, sys, tempfile, time, http.client, random
build = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000; m = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
central_bin = next(p for p in ("pillbox-central-sim", "pillbox-central") if os.path.exists(os.path.join(build, p)))
d = tempfile.mkdtemp(prefix="pbx-wv-")
class UConn(http.client.HTTPConnection):
    def __init__(self, path): super().__init__("localhost"); self.path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX); self.sock.connect(self.path)
c = subprocess.Popen([os.path.join(build, central_bin), "--data", d + "/central.sqlite", "--port", "0", "--admin-port", "0", "--log-level", "warning"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
line = c.stdout.readline(); port = [p.split("=")[1] for p in line.split() if p.startswith("fhir=")][0]
key = d + "/master.key"; open(key, "w").write(os.urandom(32).hex()); os.chmod(key, 0o600)
cfg = {"dataDir": d + "/data", "socket": d + "/p.sock", "keyFile": key, "logLevel": "warning",
       "central": {"url": f"http://127.0.0.1:{port}/fhir", "pharmacySystem": "https://pharmacy.example/ids/0042", "pharmacyId": "0042", "startJitterSeconds": 0}}
open(d + "/c.json", "w").write(json.dumps(cfg))
p = subprocess.Popen([os.path.join(build, "pillboxd"), "--config", d + "/c.json"], stderr=open(d + "/d.log", "w"))
while not os.path.exists(d + "/p.sock"): time.sleep(0.05)
time.sleep(0.5)
def io():
    return {k: int(v) for k, v in (l.split(": ") for l in open(f"/proc/{p.pid}/io"))}
def fs():
    return sum(os.path.getsize(os.path.join(d + "/data", f)) for f in os.listdir(d + "/data") if f.startswith("pillbox.sqlite"))
before = io(); conn = UConn(d + "/p.sock")
patients = [f"TEST{i:08d}" for i in range(300)]; ids = []
t0 = time.time()
for i in range(n):
    body = {"pharmacyDispenseId": f"RX{i}-1", "patient": {"nam": random.choice(patients), "familyName": "Test", "givenName": "Patient"},
            "medication": {"din": "02242903", "display": "Metformin 500 mg tablet"}, "quantity": {"value": 60, "unit": "tablet"}, "daysSupply": 30}
    conn.request("POST", "/v1/dispenses", json.dumps(body), {"Content-Type": "application/json"}); r = conn.getresponse(); b = r.read()
    assert r.status in (200, 201), (r.status, b); ids.append(json.loads(b)["id"])
    # reads interleaved: m/n per dispense, half profiles, half single reads
    for j in range(m // n):
        if j % 2: conn.request("GET", f"/v1/patients/{random.choice(patients)}/medications")
        else: conn.request("GET", f"/v1/dispenses/{random.choice(ids)}")
        r = conn.getresponse(); r.read(); assert r.status == 200, r.status
# let the uploader drain and the audit flush
for _ in range(200):
    conn.request("GET", "/v1/status"); s = json.loads(conn.getresponse().read())
    if s.get("pendingUploads", 1) == 0: break
    time.sleep(0.2)
time.sleep(1)
after = io(); elapsed = time.time() - t0
print(json.dumps({"dispenses": n, "reads": m, "seconds": round(elapsed, 1), "write_bytes": after["write_bytes"] - before["write_bytes"],
                  "wchar": after["wchar"] - before["wchar"], "syscw": after["syscw"] - before["syscw"], "store_files_bytes": fs(),
                  "pending": s.get("pendingUploads"), "dead": s.get("deadLetters"), "databaseBytes": s.get("databaseBytes")}, indent=1))
p.terminate(); p.wait(); c.terminate(); c.wait()
