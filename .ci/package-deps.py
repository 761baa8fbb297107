#!/usr/bin/env python3
"""Checks that each target of Package.swift declares what its files import, and imports what it
declares (issue 7). Prints each mismatch and exits 1 if there is one; `--root DIR` (default: here)."""
import re, os, subprocess, json
root = os.sys.argv[os.sys.argv.index("--root") + 1] if "--root" in os.sys.argv else "."
problems = 0
desc = json.loads(subprocess.check_output(["swift", "package", "dump-package"], cwd=root, stderr=subprocess.DEVNULL))
for t in desc["targets"]:
    name = t["name"]; path = t.get("path") or (("Tests/" if t["type"] == "test" else "Sources/") + name)
    declared = set()
    for d in t["dependencies"]:
        if "byName" in d: declared.add(d["byName"][0])
        elif "product" in d: declared.add(d["product"][0])
        elif "target" in d: declared.add(d["target"][0])
    imported = set()
    full = os.path.join(root, path)
    for dp, _, fs in os.walk(full):
        for f in fs:
            if f.endswith((".swift", ".c", ".h")):
                for line in open(os.path.join(dp, f), errors="ignore"):
                    m = re.match(r"\s*(?:@testable\s+|@_exported\s+|public\s+|package\s+|internal\s+)?import\s+(?:struct\s+|class\s+|enum\s+|func\s+|protocol\s+)?(\w+)", line)
                    if m: imported.add(m.group(1))
    system = {"Foundation", "FoundationEssentials", "Glibc", "Musl", "Dispatch", "XCTest", "Testing", "Darwin", "Synchronization", "_Concurrency"}
    unused = sorted(declared - imported)
    undeclared = sorted(imported - declared - system - {name})
    if unused or undeclared:
        problems += 1
        print(f"{name}: declared but not imported {unused}; imported but not declared {undeclared}")
print(f"package dependencies: {problems} target(s) with a mismatch")
os.sys.exit(1 if problems else 0)
