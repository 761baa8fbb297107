#!/usr/bin/env bash
# Installs Pillbox on this machine (or into DESTDIR): the release binaries, the systemd unit,
# the sysusers and tmpfiles snippets, and the example configuration when none is there.
#
#   swift build -c release --static-swift-stdlib && sudo systemd/install.sh
#
# Environment:
#   PREFIX   where the binaries go, as PREFIX/bin (default /usr/local); the unit's ExecStart
#            is rewritten to match.
#   DESTDIR  a folder to install into instead of / (packaging, CI); nothing is started then,
#            no user is created and no file changes owner.
#   PILLBOX_BUILD_DIR  the folder holding pillboxd and pillbox (default .build/release).
#
# Never overwritten: /etc/pillbox/pillbox.json, the master key (master.key.cred, master.key:
# this script never creates or touches a key), the TLS files. Overwritten on each run: the
# binaries, the unit and the two snippets (that is how an update is installed).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
build_dir=${PILLBOX_BUILD_DIR:-$repo/.build/release}

fail() { echo "install.sh: $*" >&2; exit 1; }

case "$PREFIX" in
    /*) ;;
    *) fail "PREFIX must be an absolute path, got '$PREFIX'" ;;
esac
if [ -n "$DESTDIR" ]; then
    case "$DESTDIR" in
        /*) ;;
        *) fail "DESTDIR must be an absolute path, got '$DESTDIR'" ;;
    esac
fi
for binary in pillboxd pillbox; do
    [ -x "$build_dir/$binary" ] || fail "$build_dir/$binary is missing: run swift build -c release --static-swift-stdlib first"
done
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
    fail "run as root (sudo systemd/install.sh), or set DESTDIR to install into a folder"
fi

bindir=$DESTDIR$PREFIX/bin
unitdir=$DESTDIR/etc/systemd/system
sysusersdir=$DESTDIR/etc/sysusers.d
tmpfilesdir=$DESTDIR/etc/tmpfiles.d
confdir=$DESTDIR/etc/pillbox

install -d -m 0755 "$bindir" "$unitdir" "$sysusersdir" "$tmpfilesdir"
install -m 0755 "$build_dir/pillboxd" "$build_dir/pillbox" "$bindir/"
echo "installed $bindir/pillboxd, $bindir/pillbox"

# The unit names /usr/local/bin/pillboxd; point it at PREFIX. Written next to the target and
# renamed, so a running systemd never reads half a file.
sed "s|/usr/local/bin/pillboxd|$PREFIX/bin/pillboxd|g" "$repo/systemd/pillboxd.service" > "$unitdir/.pillboxd.service.new"
chmod 0644 "$unitdir/.pillboxd.service.new"
mv -f "$unitdir/.pillboxd.service.new" "$unitdir/pillboxd.service"
# The scheduled backup (docs/operations.md): the service names /usr/local/bin/pillbox.
sed "s|/usr/local/bin/pillbox |$PREFIX/bin/pillbox |g" "$repo/systemd/pillbox-backup.service" > "$unitdir/.pillbox-backup.service.new"
chmod 0644 "$unitdir/.pillbox-backup.service.new"
mv -f "$unitdir/.pillbox-backup.service.new" "$unitdir/pillbox-backup.service"
install -m 0644 "$repo/systemd/pillbox-backup.timer" "$unitdir/pillbox-backup.timer"
echo "installed $unitdir/pillbox-backup.service, $unitdir/pillbox-backup.timer"
install -m 0644 "$repo/systemd/pillbox.sysusers.conf" "$sysusersdir/pillbox.conf"
install -m 0644 "$repo/systemd/pillbox.tmpfiles.conf" "$tmpfilesdir/pillbox.conf"
echo "installed $unitdir/pillboxd.service, $sysusersdir/pillbox.conf, $tmpfilesdir/pillbox.conf"

if [ -z "$DESTDIR" ]; then
    # The user and group first, then /etc/pillbox with its owner and mode (tmpfiles snippet).
    systemd-sysusers "$sysusersdir/pillbox.conf"
    systemd-tmpfiles --create "$tmpfilesdir/pillbox.conf"
else
    install -d -m 0750 "$confdir"
fi

config=$confdir/pillbox.json
if [ -e "$config" ] || [ -L "$config" ]; then
    echo "kept the existing $config (not overwritten)"
else
    # Written under a temporary name and linked into place: if a configuration appeared
    # meanwhile, ln fails and it is kept.
    install -m 0640 "$repo/systemd/pillbox.json.example" "$confdir/.pillbox.json.new"
    if [ -z "$DESTDIR" ]; then
        chown root:pillbox "$confdir/.pillbox.json.new"
    fi
    if ln "$confdir/.pillbox.json.new" "$config" 2>/dev/null; then
        echo "installed the example configuration as $config"
    else
        echo "kept the existing $config (not overwritten)"
    fi
    rm -f "$confdir/.pillbox.json.new"
fi

if [ -z "$DESTDIR" ]; then
    systemctl daemon-reload 2>/dev/null || echo "note: systemctl daemon-reload failed (is systemd running?)"
fi

if [ -e "$confdir/master.key.cred" ] || [ -e "$confdir/master.key" ]; then
    key_step="A master key is already there ($confdir/master.key.cred or master.key): keep it; never replace it."
else
    key_step="Create the master key, ONCE (systemd/README.md, step 2), and put a copy in escrow:
     umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > /root/pillbox-master.key; echo >> /root/pillbox-master.key
     systemd-creds encrypt --with-key=auto --name=pillbox-master-key /root/pillbox-master.key /etc/pillbox/master.key.cred
     (copy /root/pillbox-master.key to the escrow, then: shred -u /root/pillbox-master.key)"
fi

cat <<EOF

Pillbox is installed. Next steps, as root:
  1. $key_step
  2. Set the central record's URL and the pharmacy's identity, then check the file:
     editor /etc/pillbox/pillbox.json
     runuser -u pillbox -- $PREFIX/bin/pillboxd --config /etc/pillbox/pillbox.json --check-config
  3. Start the service now and at every boot:
     systemctl enable --now pillboxd
  4. Check it (every check OK, or do what each failing one says):
     pillbox doctor
     pillbox status
EOF
