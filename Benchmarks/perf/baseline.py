# plain SQLite: one row per transaction, WAL, synchronous=FULL, same disk, ~payload size of a sealed dispense
import sqlite3, time, os, sys
p = "baseline.sqlite"
for f in (p, p+"-wal", p+"-shm"):
    if os.path.exists(f): os.remove(f)
db = sqlite3.connect(p, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE t(id TEXT PRIMARY KEY, nam TEXT, at TEXT, payload BLOB)"); db.execute("CREATE INDEX t_nam ON t(nam, at)")
blob = os.urandom(int(sys.argv[1]) if len(sys.argv) > 1 else 600)
n = 0; t0 = time.time(); c0 = time.process_time()
while time.time() - t0 < 10:
    db.execute("BEGIN IMMEDIATE"); db.execute("INSERT INTO t VALUES(?,?,?,?)", (os.urandom(16).hex(), "PERF%08d" % n, str(time.time()), blob)); db.execute("COMMIT"); n += 1
dt = time.time() - t0
print(f"plain SQLite: {n} rows in {dt:.1f}s = {n/dt:.0f} rows/s, cpu {1e6*(time.process_time()-c0)/n:.0f} us/row (python incl.)")
