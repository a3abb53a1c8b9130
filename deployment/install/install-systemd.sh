#!/usr/bin/env bash
# Installs the skulk-logs agent on Linux as the systemd user unit skulk-logs-agent.service, reading Skulk's
# lines from the journal (Skulk's unit is skulk.service). Idempotent: a second run changes nothing and
# calls neither systemctl nor loginctl.
# Usage: see usage() below, or deployment/install/README.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

UNIT_NAME=skulk-logs-agent.service
UNIT_DIR="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
UNIT="$UNIT_DIR/$UNIT_NAME"
# systemd-logind keeps one file per lingering user here (checked so that a second run calls nothing).
LINGER_DIR=${SKULK_LOGS_LINGER_DIR:-/var/lib/systemd/linger}
USER_NAME=${USER:-$(id -un)}

usage() {
  cat <<EOF
Usage: $PROG [--kafka HOST:PORT] [--node-id ID] [--dist DIR] [--java PATH]
       $PROG --uninstall [--purge]

Installs the skulk-logs agent as the systemd user unit $UNIT_NAME (skulk-logs agent --journald):
the product in ~/.skulk/skulk-logs/, the unit in ~/.config/systemd/user/, SKULK_LOGS_KAFKA in
~/.skulk/skulk.env; enables linger so it runs without a login session; then (re)starts it.

  --kafka HOST:PORT   Kafka address (default: SKULK_LOGS_KAFKA from ~/.skulk/skulk.env)
  --node-id ID        this node's name (default: the host name)
  --dist DIR          directory with skulk-logs.jar and lib/ (default: build this repository)
  --java PATH         java 17+ to run the agent with (default: JAVA_HOME, then PATH)
  --uninstall         stop and disable the unit, remove it and the product (state stays)
  --purge             with --uninstall: also delete the state directory (checkpoints, buffer)
EOF
}

while [ $# -gt 0 ]; do
  common_option "$@"
  shift "$SHIFT"
done
check_options
[ "$(uname -s)" = Linux ] || die "this installer is for Linux (systemd); on macOS use install-launchd.sh"

# One word of an ExecStart= line: as is when plain, else double-quoted with systemd's escapes.
systemd_word() {
  if [[ $1 =~ ^[A-Za-z0-9/._+@-]+$ ]]; then
    printf '%s' "$1"
  else
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/%/%%/g' -e 's/\$/$$/g')"
  fi
}

write_unit() {
  local exec
  exec="$(systemd_word "$WRAPPER") agent --journald"
  [ -z "$NODE_ID" ] || exec="$exec --node-id $NODE_ID"
  cat <<EOF
# Written by skulk-logs' $PROG: re-run it to change this file (edits are overwritten).
# No secrets here: the agent reads SKULK_LOGS_KAFKA and the rest from ~/.skulk/skulk.env itself.
[Unit]
Description=skulk-logs agent: ships Skulk's log lines (journalctl --user -u skulk) to Kafka

[Service]
Type=simple
ExecStart=$exec
Restart=on-failure
RestartSec=10
# The JVM exits with 143 after a clean stop on SIGTERM.
SuccessExitStatus=143
# A clean stop finishes in-flight sends and writes checkpoints (bounded at 30 s).
TimeoutStopSec=45
SyslogIdentifier=skulk-logs-agent

[Install]
WantedBy=default.target
EOF
}

# Without the unit the next run starts over instead of finding nothing to change.
activation_failed() {
  rm -f "$UNIT"
  die "$1 failed (removed $UNIT so that the next run tries again; see: journalctl --user -u $UNIT_NAME)"
}

ensure_linger() {
  [ ! -e "$LINGER_DIR/$USER_NAME" ] || return 0
  if loginctl enable-linger "$USER_NAME"; then
    say "enabled linger for $USER_NAME: user units run without a login session"
    CHANGED=1
  else
    warn "could not enable linger; without it the agent stops at logout. Run: sudo loginctl enable-linger $USER_NAME"
  fi
}

install() {
  local unit_existed=0
  resolve_kafka
  find_java
  resolve_dist

  ensure_env_kafka
  install_product
  write_unit >"$WORK/unit"
  [ -f "$UNIT" ] && unit_existed=1
  install_file "$WORK/unit" "$UNIT" 644

  if [ "$WROTE" = 1 ]; then
    systemctl --user daemon-reload || activation_failed "systemctl --user daemon-reload"
  fi
  if [ "$unit_existed" = 0 ]; then
    systemctl --user enable --now "$UNIT_NAME" || activation_failed "systemctl --user enable --now $UNIT_NAME"
    say "enabled and started $UNIT_NAME"
  elif [ "$WROTE" = 1 ] || [ "$PRODUCT_CHANGED" = 1 ]; then
    systemctl --user restart "$UNIT_NAME" || activation_failed "systemctl --user restart $UNIT_NAME"
    say "restarted $UNIT_NAME"
  fi
  ensure_linger
  if [ "$CHANGED" = 0 ]; then
    say "nothing to change: $UNIT_NAME is installed and up to date"
  else
    say "done: $UNIT_NAME ships to Kafka at $KAFKA; its own log: journalctl --user -u $UNIT_NAME"
  fi
}

uninstall() {
  if [ -f "$UNIT" ]; then
    if systemctl --user disable --now "$UNIT_NAME"; then
      say "stopped and disabled $UNIT_NAME"
    else
      warn "systemctl --user disable --now $UNIT_NAME failed; removing the unit anyway"
    fi
    rm -f "$UNIT"
    say "removed $UNIT"
    systemctl --user daemon-reload || warn "systemctl --user daemon-reload failed"
    CHANGED=1
  fi
  remove_product
  if [ "$PURGE" = 1 ]; then purge_state; else keep_state_note; fi
  [ "$CHANGED" = 1 ] || say "nothing to uninstall"
  say "linger stays enabled (Skulk's own user unit may need it); $ENV_FILE is left as it is"
}

if [ "$UNINSTALL" = 1 ]; then uninstall; else install; fi
