#!/usr/bin/env bash
# Checks the files of systemd/ without systemd as PID 1 (CI runs it from .ci/run):
# the unit's sandboxing score, `systemd-analyze verify` on the installed unit, install.sh into
# a temporary DESTDIR (files, modes, ExecStart, a second run keeps a changed configuration and
# the key), the sysusers and tmpfiles snippets applied to that tree, the built daemon under the
# unit's seccomp filter, and shellcheck.
# Prints PASS/FAIL lines and ends with "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 2
# The highest accepted `systemd-analyze security` exposure, in tenths (20 = 2.0).
max_exposure_tenths=20

passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() {
    echo "FAIL $1"
    if [ -n "${2:-}" ]; then printf '%s\n' "$2" | sed 's/^/    /'; fi
    failed=$((failed + 1))
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Sandboxing score. --threshold exits non-zero when the exposure is above it.
unit=systemd/pillboxd.service
if out=$(systemd-analyze security --offline=true --threshold="$max_exposure_tenths" "$unit" 2>&1); then
    pass "exposure of $unit: $(printf '%s\n' "$out" | grep -o 'Overall exposure level.*' | grep -oE '[0-9]+\.[0-9]+' | head -n 1) (at most 2.0)"
else
    fail "exposure of $unit above 2.0 (systemd-analyze security --offline=true --threshold=$max_exposure_tenths)" \
        "$(printf '%s\n' "$out" | grep -E '✗|Overall')"
fi

# Stand-in binaries: install.sh only copies them, and verify only needs them executable.
fake_build=$work/build
mkdir -p "$fake_build"
for binary in pillboxd pillbox; do
    printf '#!/bin/sh\nexit 0\n' > "$fake_build/$binary"
    chmod 0755 "$fake_build/$binary"
done
root=$work/root

# 2. A refused install: no build, nothing installed.
if out=$(DESTDIR=$work/nobuild PILLBOX_BUILD_DIR=$work/empty systemd/install.sh 2>&1); then
    fail "install.sh without a release build must fail" "$out"
elif ! printf '%s\n' "$out" | grep -q "run swift build -c release --static-swift-stdlib first"; then
    fail "install.sh without a release build says to run swift build -c release --static-swift-stdlib first" "$out"
elif [ -e "$work/nobuild" ]; then
    fail "install.sh without a release build installed nothing" "$(find "$work/nobuild")"
else
    pass "install.sh without a release build fails, says 'run swift build -c release --static-swift-stdlib first', installs nothing"
fi

# 3. Install into DESTDIR: exactly these files with these modes.
if out=$(DESTDIR=$root PILLBOX_BUILD_DIR=$fake_build systemd/install.sh 2>&1); then
    pass "install.sh into a temporary DESTDIR exits 0"
else
    fail "install.sh into a temporary DESTDIR exits 0" "$out"
fi
expected="755 etc
750 etc/pillbox
640 etc/pillbox/pillbox.json
755 etc/systemd
755 etc/systemd/system
644 etc/systemd/system/pillbox-backup.service
644 etc/systemd/system/pillbox-backup.timer
644 etc/systemd/system/pillboxd.service
755 etc/sysusers.d
644 etc/sysusers.d/pillbox.conf
755 etc/tmpfiles.d
644 etc/tmpfiles.d/pillbox.conf
755 usr
755 usr/local
755 usr/local/bin
755 usr/local/bin/pillbox
755 usr/local/bin/pillboxd"
tree=$(cd "$root" && find . -mindepth 1 -printf '%m %P\n' | sort -k2)
if [ "$tree" = "$expected" ]; then
    pass "installed tree holds exactly the 17 expected paths with their modes"
else
    fail "installed tree differs from the expected one" "$(diff <(printf '%s\n' "$expected") <(printf '%s\n' "$tree"))"
fi
if cmp -s systemd/pillbox.json.example "$root/etc/pillbox/pillbox.json" &&
   cmp -s systemd/pillbox.sysusers.conf "$root/etc/sysusers.d/pillbox.conf" &&
   cmp -s systemd/pillbox.tmpfiles.conf "$root/etc/tmpfiles.d/pillbox.conf" &&
   cmp -s systemd/pillboxd.service "$root/etc/systemd/system/pillboxd.service" &&
   cmp -s systemd/pillbox-backup.service "$root/etc/systemd/system/pillbox-backup.service" &&
   cmp -s systemd/pillbox-backup.timer "$root/etc/systemd/system/pillbox-backup.timer"; then
    pass "configuration, snippets and unit installed as in systemd/ (PREFIX=/usr/local leaves ExecStart as is)"
else
    fail "an installed file differs from its source in systemd/"
fi
if printf '%s\n' "$out" | grep -q "systemctl enable --now pillboxd" &&
   printf '%s\n' "$out" | grep -q "systemd-creds encrypt" &&
   printf '%s\n' "$out" | grep -q "pillbox status"; then
    pass "install.sh prints the next steps (key credential, enable --now, pillbox status)"
else
    fail "install.sh prints the next steps" "$out"
fi

# 4. PREFIX rewrites ExecStart and moves the binaries.
if out=$(DESTDIR=$work/prefixed PREFIX=/opt/pillbox PILLBOX_BUILD_DIR=$fake_build systemd/install.sh 2>&1) &&
   grep -qx "ExecStart=/opt/pillbox/bin/pillboxd --config /etc/pillbox/pillbox.json" \
       "$work/prefixed/etc/systemd/system/pillboxd.service" &&
   grep -q "^ExecStart=/opt/pillbox/bin/pillbox backup " "$work/prefixed/etc/systemd/system/pillbox-backup.service" &&
   [ -x "$work/prefixed/opt/pillbox/bin/pillboxd" ] && [ -x "$work/prefixed/opt/pillbox/bin/pillbox" ]; then
    pass "PREFIX=/opt/pillbox: binaries in /opt/pillbox/bin and ExecStart=/opt/pillbox/bin/pillboxd (and pillbox backup)"
else
    fail "PREFIX=/opt/pillbox: binaries in /opt/pillbox/bin and ExecStart rewritten" "$out"
fi

# 5. systemd-analyze verify on every installed unit, against the tree (so ExecStart's binary
# exists) plus a copy of the host's units (sysinit.target...). Warnings count as failures.
mkdir -p "$work/verify/usr/lib/systemd"
cp -a "$root/." "$work/verify/"
cp -a /usr/lib/systemd/system "$work/verify/usr/lib/systemd/"
for installed in "$root"/etc/systemd/system/*.service "$root"/etc/systemd/system/*.socket "$root"/etc/systemd/system/*.timer; do
    [ -e "$installed" ] || continue
    name=$(basename "$installed")
    if out=$(systemd-analyze verify --root="$work/verify" "$name" 2>&1) && [ -z "$out" ]; then
        pass "systemd-analyze verify $name: no error, no warning"
    else
        fail "systemd-analyze verify $name" "$out"
    fi
done

# 6. The snippets, applied to the tree: user and group, /etc/pillbox root:pillbox 0750,
# pillbox.json root:pillbox 0640.
if out=$(systemd-sysusers --root="$root" 2>&1 && systemd-tmpfiles --root="$root" --create 2>&1); then
    gid=$(awk -F: '$1 == "pillbox" { print $3 }' "$root/etc/group")
    user=$(awk -F: '$1 == "pillbox" { print $4 ":" $6 }' "$root/etc/passwd")
    folder=$(stat -c '%a %u %g' "$root/etc/pillbox")
    config=$(stat -c '%a %u %g' "$root/etc/pillbox/pillbox.json")
    if [ -n "$gid" ] && [ "$user" = "$gid:/var/lib/pillbox" ] && [ "$folder" = "750 0 $gid" ] && [ "$config" = "640 0 $gid" ]; then
        pass "sysusers creates user and group pillbox; tmpfiles sets /etc/pillbox 750 root:pillbox, pillbox.json 640 root:pillbox"
    else
        fail "sysusers and tmpfiles applied to the tree" "gid=$gid user=$user folder=$folder config=$config"
    fi
else
    fail "systemd-sysusers and systemd-tmpfiles --root accept the snippets" "$out"
fi

# 7. A second run keeps a changed configuration and never touches a key.
printf '{"changed": "by the technician"}\n' > "$root/etc/pillbox/pillbox.json"
printf 'sealed\n' > "$root/etc/pillbox/master.key.cred"
printf 'plain\n' > "$root/etc/pillbox/master.key"
chmod 0600 "$root/etc/pillbox/master.key.cred" "$root/etc/pillbox/master.key"
before=$(cd "$root/etc/pillbox" && sha256sum pillbox.json master.key.cred master.key)
if out=$(DESTDIR=$root PILLBOX_BUILD_DIR=$fake_build systemd/install.sh 2>&1) &&
   [ "$(cd "$root/etc/pillbox" && sha256sum pillbox.json master.key.cred master.key)" = "$before" ] &&
   printf '%s\n' "$out" | grep -q "kept the existing" &&
   printf '%s\n' "$out" | grep -q "A master key is already there"; then
    pass "a second install.sh keeps a changed pillbox.json, master.key.cred and master.key byte for byte"
else
    fail "a second install.sh keeps the configuration and the keys" "$out"
fi
if [ -z "$(find "$root/etc/pillbox" -name '.*')" ]; then
    pass "no temporary file left in /etc/pillbox"
else
    fail "temporary files left in /etc/pillbox" "$(find "$root/etc/pillbox" -name '.*')"
fi

# 8. The daemon under the unit's system call filter and write-xor-execute rule (sandbox-exec.py):
# it starts, records a dispense, reads it back and stops cleanly. Needs a built daemon
# (PILLBOXD_BINARY, default .build/debug/pillboxd: run after swift test) and python3-seccomp.
binary=${PILLBOXD_BINARY:-.build/debug/pillboxd}
if [ ! -x "$binary" ]; then
    echo "SKIP daemon under the seccomp filter: $binary is not built"
elif ! /usr/bin/python3 -c 'import seccomp' 2>/dev/null; then
    fail "daemon under the seccomp filter: python3-seccomp is missing (apt-get install -y python3-seccomp)"
elif systemd/sandbox-exec.py /usr/sbin/chroot / /bin/true >/dev/null 2>&1; then
    fail "sandbox-exec.py lets chroot (@privileged) through: the filter is not in force"
else
    smoke=$work/smoke
    mkdir -m 0700 "$smoke"
    systemd/sandbox-exec.py "$binary" --dev --data-dir "$smoke/data" --socket "$smoke/s" >"$smoke/log" 2>&1 &
    daemon=$!
    for _ in $(seq 1 300); do
        [ -S "$smoke/s" ] && break
        kill -0 "$daemon" 2>/dev/null || break
        sleep 0.1
    done
    seccomp_mode=$(awk '/^Seccomp:/ { print $2 }' "/proc/$daemon/status" 2>/dev/null)
    body='{"pharmacyDispenseId":"SANDBOX-1","patient":{"nam":"TREM50020312","familyName":"Tremblay","givenName":"Marie","birthDate":"1950-02-03"},"medication":{"din":"02242903","display":"Metformin 500 mg tablet","strength":"500 mg","form":"tablet"},"quantity":{"value":60,"unit":"tablet"},"daysSupply":30,"dosageText":"1 tablet twice daily","prescriber":{"license":"1234567","familyName":"Gagnon","givenName":"Luc"},"pharmacist":{"license":"PH-998"},"prescriptionId":"RX-SANDBOX-1","whenHandedOver":"2026-11-20T10:00:00-05:00","lot":"L123"}'
    created=$(curl -s --unix-socket "$smoke/s" -o "$smoke/created" -w '%{http_code}' -X POST \
        -H 'content-type: application/json' --data "$body" http://localhost/v1/dispenses)
    id=$(grep -o '"id" *: *"[^"]*"' "$smoke/created" 2>/dev/null | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
    read_back=$(curl -s --unix-socket "$smoke/s" -o /dev/null -w '%{http_code}' "http://localhost/v1/dispenses/$id")
    kill -TERM "$daemon" 2>/dev/null
    wait "$daemon"
    status=$?
    if [ "$seccomp_mode" = 2 ] && [ "$created" = 201 ] && [ -n "$id" ] && [ "$read_back" = 200 ] && [ "$status" = 0 ]; then
        pass "daemon under the seccomp filter and PR_SET_MDWE: Seccomp 2, POST 201, GET 200, SIGTERM exits 0"
    else
        fail "daemon under the seccomp filter and PR_SET_MDWE" \
            "Seccomp=$seccomp_mode POST=$created id=$id GET=$read_back exit=$status
$(tail -n 20 "$smoke/log")"
    fi
fi

# 9. shellcheck, when installed (.ci/run installs it).
if command -v shellcheck >/dev/null 2>&1; then
    if out=$(shellcheck systemd/install.sh systemd/check.sh 2>&1); then
        pass "shellcheck install.sh check.sh"
    else
        fail "shellcheck install.sh check.sh" "$out"
    fi
else
    echo "SKIP shellcheck is not installed"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
