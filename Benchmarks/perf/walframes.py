# walframes.py DB WAL: the frames of a WAL by the B-tree their page belongs to, per commit.
# Page owners come from `dbstat` over DB read without its WAL (immutable; pages a split added
# since the last checkpoint show as "new page"). Reads every whole commit the file holds: the
# current generation's, then the older generation's frames left after them. Take DB and WAL from a
# daemon stopped with kill -9 (a clean stop checkpoints and removes the WAL). docs/performance.md,
# "intake: sealed before the writer".
import sys, struct, sqlite3, collections
db, wal = sys.argv[1], sys.argv[2]
c = sqlite3.connect(f'file:{db}?immutable=1', uri=True)
owner = {pg: name for name, pg in c.execute('select name, pageno from dbstat')}
maxpg = max(owner)
data = open(wal, 'rb').read()
pagesize = struct.unpack('>I', data[8:12])[0]
off = 32; raw = []
while off + 24 + pagesize <= len(data):
    pg, commit = struct.unpack('>II', data[off:off+8]); raw.append((pg, commit, data[off+8:off+16])); off += 24 + pagesize
n = 0
while n < len(raw) and raw[n][2] == data[16:24]: n += 1
old = raw[n:]
# drop the partial commit at the start of the old part
k = 0
while k < len(old) and old[k][1] == 0: k += 1
old = old[k+1:]
# drop a trailing partial commit
while old and old[-1][1] == 0: old.pop()
frames = [(p, c) for p, c, _ in raw[:n]] + [(p, c) for p, c, _ in old]
commits = sum(1 for _, cm in frames if cm)
by = collections.Counter(owner.get(pg, 'new page' if pg > maxpg else 'free?') for pg, _ in frames)
print(f'frames {len(frames)} commits {commits} frames/commit {len(frames)/max(commits,1):.1f}')
for name, k in by.most_common(): print(f'  {name:32s} {k:6d} {k/max(commits,1):6.2f}/commit')
