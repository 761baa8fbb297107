#!/usr/bin/python3
"""Runs a program under the kernel mechanisms behind two lines of pillboxd.service, as systemd
sets them up, for tests without systemd as PID 1 (systemd/check.sh):

- SystemCallFilter=@system-service, SystemCallFilter=~@privileged @resources,
  SystemCallErrorNumber=EPERM: a seccomp filter allowing exactly that set (expanded by this
  machine's `systemd-analyze syscall-filter`); every other call fails with EPERM.
- MemoryDenyWriteExecute=yes: prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN) (Linux 6.3+): no
  mapping may be writable and executable, none may become executable later.

Usage: sandbox-exec.py PROGRAM [ARGUMENTS...]   (needs Debian's python3-seccomp)
"""
import ctypes
import os
import subprocess
import sys

import seccomp

PR_SET_MDWE = 65
PR_MDWE_REFUSE_EXEC_GAIN = 1


def expand(name):
    """The system call names of a systemd group, nested groups included."""
    out = subprocess.run(["systemd-analyze", "syscall-filter", name],
                         capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines()[1:]:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names |= expand(line) if line.startswith("@") else {line}
    return names


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    allowed = expand("@system-service") - expand("@privileged") - expand("@resources")
    syscall_filter = seccomp.SyscallFilter(defaction=seccomp.ERRNO(1))  # EPERM
    for name in sorted(allowed):
        try:
            syscall_filter.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError, OSError):
            pass  # not a system call on this architecture
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
        sys.exit("sandbox-exec.py: PR_SET_MDWE failed (errno %d; Linux 6.3 or later needed)" % ctypes.get_errno())
    syscall_filter.load()
    os.execv(sys.argv[1], sys.argv[1:])


main()
