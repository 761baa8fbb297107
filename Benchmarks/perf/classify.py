#!/usr/bin/env python3
"""classify.py perf-X.data : groups perf samples (cpu-clock, -g frame pointers) into categories."""
import sys, re, subprocess, collections
data = sys.argv[1]
out = subprocess.run(["perf", "script", "-i", data, "-F", "comm,tid,period,ip,sym,dso"], capture_output=True, text=True).stdout
samples = []  # list of (comm, [(sym, dso)])
cur = None
for line in out.split("\n"):
    if not line.strip():
        if cur: samples.append(cur); cur = None
        continue
    if not line.startswith("\t") and not line.startswith(" "):
        cur = (line.split()[0], []); continue
    m = re.match(r"\s*[0-9a-f]+ (.*) \((.*)\)$", line)
    if m and cur is not None: cur[1].append((m.group(1), m.group(2)))
if cur: samples.append(cur)
N = len(samples)
syms = sorted({s for _, fr in samples for s, _ in fr if s.startswith("$s")})
dem = {}
if syms:
    r = subprocess.run(["/opt/swift/usr/bin/swift-demangle", "--simplified", "--compact"], input="\n".join(syms), capture_output=True, text=True).stdout.split("\n")
    dem = dict(zip(syms, r))
def D(s): return dem.get(s, s)
def module(sym):
    m = re.match(r"\$s(s|S|So)?(\d+)([A-Za-z_][A-Za-z_0-9]*)", sym)
    if sym.startswith("$ss") or sym.startswith("$sS"): return "Swift"
    if m and m.group(2):
        n = int(m.group(2)); return m.group(3)[:n]
    return None
OURS = {"PillboxAPI","PillboxStore","PillboxModel","PillboxCrypto","PillboxChecks","PillboxFHIR","PillboxDaemon","PillboxUpload","pillboxd","CPillboxSys"}
HB = {"Hummingbird","HummingbirdCore","HummingbirdHTTP2","NIOCore","NIOPosix","NIOHTTP1","NIOExtras","NIOConcurrencyHelpers","HTTPTypes","NIOHTTPTypes","NIOHTTPTypesHTTP1","ServiceLifecycle","AsyncAlgorithms","UnixSignals","NIOTransportServices"}
def cat_frame(sym, dso):
    """category of one frame, or None when transparent (runtime/libc helpers)."""
    d = dso.rsplit("/",1)[-1]
    if d == "[kernel.kallsyms]": return "kernel"
    if "libcrypto" in d or re.search(r"EVP_|aes|gcm|AES|HMAC|sha256|SHA256", sym) and "libc.so" not in d: return "crypto"
    if "libsqlite3" in d: return "SQLite"
    mod = module(sym)
    ds = D(sym)
    if "libFoundation" in d or mod in ("Foundation","FoundationEssentials","FoundationInternationalization") or "_FoundationICU" in d:
        if re.search(r"JSON", ds): return "JSON (Foundation)"
        return "Foundation (other: dates, strings, Data)"
    if mod == "PillboxCrypto": return "crypto"
    if mod == "GRDB" or "GRDB" in ds[:40]: return "GRDB"
    if mod in HB or (mod and (mod.startswith("NIO") or mod.startswith("Hummingbird"))) or "c_nio_" in sym: return "Hummingbird/NIO"
    if mod in OURS:
        if re.search(r"JSON", ds): return "our code (JSON/Codable)"
        return "our code"
    if mod in ("Logging","Metrics","CoreMetrics","Tracing","Instrumentation","ServiceContextModule"): return "logging/metrics"
    return None
def leaf_cat(sym, dso):
    d = dso.rsplit("/",1)[-1]
    c = cat_frame(sym, dso)
    if c: return c
    if "libswift_Concurrency" in d or re.search(r"swift_task|swift_job|swift::AsyncTask|StackAllocator", sym): return "Swift concurrency runtime"
    if "libdispatch" in d or "libswiftDispatch" in d: return "dispatch"
    if d.startswith("libc.so") or d.startswith("ld-linux"):
        if re.search(r"malloc|free|_int_|calloc|realloc|tcache|arena", sym): return "Swift runtime (alloc)"
        if re.search(r"pthread|futex|sem_|lll_", sym): return "libc sync (mutex/futex)"
        return "libc other"
    if "libswiftCore" in d or module(sym) == "Swift" or sym.startswith("swift_") or "swift::" in sym or sym.startswith("__swift"):
        if re.search(r"alloc|dealloc|Alloc", sym): return "Swift runtime (alloc)"
        if re.search(r"retain|release|Retain|Release|RefCount", sym): return "Swift runtime (retain/release)"
        if re.search(r"Metadata|WitnessTable|Cast|cast|Conform|TypeFromMangled|Existential|getCache", sym): return "Swift runtime (metadata/casts/existentials)"
        return "Swift stdlib/runtime other"
    return "other: " + d
def syscall_of(frames):
    for s, d in frames:
        m = re.match(r"__(?:x64|se|do)_sys_(\w+)|ksys_(\w+)|__sys_(\w+)|do_(epoll_wait|futex|fsync)$", s)
        if m: return next(g for g in m.groups() if g)
        if s == "eventfd_write": return "write(eventfd)"
    for s, d in frames:
        if s in ("asm_sysvec_apic_timer_interrupt","asm_common_interrupt","asm_sysvec_call_function_single", "asm_sysvec_reschedule_ipi"): return "(interrupt)"
        if "exit_to_user_mode" in s or "irqentry_exit" in s: return "(preemption/return to user)"
    return "(other kernel)"
leaf = collections.Counter(); owner = collections.Counter(); ksys = collections.Counter(); inc = collections.Counter()
leafsym = collections.Counter(); threads = collections.Counter()
MARK = {
 "JSONEncoder.encode": r"JSONEncoder\.encode|JSONEncoder.*encode", "JSONDecoder.decode": r"JSONDecoder\.decode|JSONDecoder.*decode",
 "sqlite3_prepare (SQL parse)": r"^sqlite3_prepare|^sqlite3LockAndPrepare|^sqlite3Prepare", "sqlite3_step": r"^sqlite3_step$",
 "sqlite3 commit/fsync path": r"^sqlite3VdbeHalt$|^sqlite3PagerCommitPhaseOne$|^sqlite3WalFrames$",
 "AES-GCM (any)": r"AESGCM|EVP_(Encrypt|Decrypt)", "HMAC (any)": r"HMAC|EVP_MAC",
 "peer credentials (SO_PEERCRED)": r"[Pp]eerCredentials|getsockopt", "getgrouplist / getpwuid": r"getgrouplist|getpwuid|supplementaryGroups",
 "GRDB": r"^GRDB|GRDB\.", "PillboxStore.*": r"PillboxStore\.", "AuditLog": r"AuditLog|AuditFlush|AuditEvent",
 "Logger": r"^Logging\.|Logger", "fsync/fdatasync syscall": r"__x64_sys_(fsync|fdatasync)",
 "futex syscall": r"__x64_sys_futex", "Checks (PillboxChecks)": r"PillboxChecks\.",
 "Timestamps/Date parse+format": r"Timestamps|ISO8601|DateFormatter|Date\.ISO8601", "CentralProfiles / central": r"Central",
}
MARKC = {k: re.compile(v) for k, v in MARK.items()}
for comm, fr in samples:
    threads[comm] += 1
    if not fr: continue
    s0, d0 = fr[0]
    lc = leaf_cat(s0, d0); leaf[lc] += 1
    if lc == "kernel": ksys[syscall_of(fr)] += 1
    leafsym[(D(s0)[:110], d0.rsplit("/",1)[-1])] += 1
    oc = None
    if lc == "kernel": oc = "kernel"
    for s, d in ([] if oc else fr):
        c = cat_frame(s, d)
        if c and c != "kernel": oc = c; break
    if oc is None: oc = "kernel (no user frame)" if lc == "kernel" else ("runtime/dispatch only (thread pool, no owner)" )
    owner[oc] += 1
    names = set(D(s) for s, d in fr) | set(s for s, d in fr)
    for k, rx in MARKC.items():
        if any(rx.search(n) for n in names): inc[k] += 1
ourinc = collections.Counter(); kcaller = collections.Counter()
for comm, fr in samples:
    seen = set()
    for s, d in fr:
        if module(s) in OURS or (module(s) in ("GRDB",) ) or re.search(r"Hummingbird\.(Router|.*Middleware)", D(s)):
            n = re.sub(r"\(.*", "", D(s)).replace("closure #1 in ","").replace("specialized ","")[:90]
            if n not in seen: seen.add(n); ourinc[n] += 1
    if fr and leaf_cat(*fr[0]) == "kernel":
        u = next((cat_frame(s, d) for s, d in fr if cat_frame(s, d) not in ("kernel", None)), None) or next((leaf_cat(s, d) for s, d in fr if cat_frame(s, d) != "kernel"), "none")
        kcaller[f"{syscall_of(fr)} <- {u}"] += 1
def show(title, c, n=40):
    print(f"\n## {title}")
    for k, v in c.most_common(n): print(f"{100*v/N:6.1f}%  {k}")
print(f"# {data}: {N} samples")
show("self time by category (leaf frame)", leaf)
show("self time charged to owner (first non-runtime frame up the stack)", owner)
show("kernel self time by syscall (share of all samples)", ksys, 15)
show("inclusive (share of samples with this in the stack)", inc, 30)
show("kernel: syscall <- first user-space category", kcaller, 15)
show("inclusive: our code / GRDB / HB functions on the stack (call-chain view)", ourinc, 45)
show("threads (comm)", threads, 12)
print("\n## top 30 leaf symbols")
for (s, d), v in leafsym.most_common(30): print(f"{100*v/N:6.1f}%  {s}  [{d}]")
if len(sys.argv) > 2:
    want = sys.argv[2]
    c = collections.Counter()
    for comm, fr in samples:
        if fr and leaf_cat(*fr[0]) == want: c[(D(fr[0][0])[:100], fr[0][1].rsplit("/",1)[-1])] += 1
    print(f"\n## leaf symbols in {want}")
    for (s, d), v in c.most_common(25): print(f"{100*v/N:6.1f}%  {s} [{d}]")
