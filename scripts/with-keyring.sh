#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so tests use a real
# Secret Service (what keytar talks to on Linux) without touching the developer's own keyring.
# Usage: scripts/with-keyring.sh CMD [ARGS…]   — exits with CMD's exit code.
# gnome-keyring-daemon(1) (--unlock reads the password on stdin).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 64
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$0: $tool is not installed (apt-get install dbus gnome-keyring)" >&2
    exit 127
  fi
done

scratch="$(mktemp -d "${TMPDIR:-/tmp}/signup-desk-keyring.XXXXXX")"
cleanup() { rm -rf -- "$scratch"; }
trap cleanup EXIT

mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/runtime"
chmod 700 "$scratch/runtime"

# The keyring lives under the fresh HOME/XDG dirs; the command's own HOME-relative paths go there too.
# The repo's tools (npx, node_modules/.bin) do not depend on HOME, but npm's cache does: keep the
# caller's cache so npx does not try to download anything.
export npm_config_cache="${npm_config_cache:-${HOME:-/root}/.npm}"
export npm_config_update_notifier="${npm_config_update_notifier:-false}"
export HOME="$scratch/home"
export XDG_DATA_HOME="$scratch/data"
export XDG_CONFIG_HOME="$scratch/config"
export XDG_RUNTIME_DIR="$scratch/runtime"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

# The daemon forks into the background and quits by itself when the private bus goes away, which
# dbus-run-session does as soon as CMD exits; CMD's exit code is dbus-run-session's.
dbus-run-session -- bash -c '
  # --unlock creates the "login" keyring with the password read on stdin and unlocks it: no prompt.
  printf %s signup-desk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 70
  exec "$@"
' with-keyring "$@" &
session=$!

# On Ctrl-C or kill, pass the signal down to CMD (dbus-run-session does not), then clean up.
descendants() {
  local pid
  for pid in $(pgrep -P "$1" 2>/dev/null); do
    descendants "$pid"
    echo "$pid"
  done
}
forward() {
  # shellcheck disable=SC2046
  kill -TERM $(descendants "$session") "$session" 2>/dev/null || true
}
trap forward INT TERM

status=0
while :; do
  set +e
  wait "$session"
  status=$?
  set -e
  # wait returns early (status > 128) when a trapped signal arrives; keep waiting for the real exit.
  kill -0 "$session" 2>/dev/null || break
done
exit "$status"
