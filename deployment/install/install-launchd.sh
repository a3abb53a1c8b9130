#!/usr/bin/env bash
# Installs the skulk-logs agent on macOS as the LaunchAgent foundation.foxlight.skulk-logs, beside Skulk's
# own agents. Idempotent: a second run changes nothing and makes no launchctl call that changes anything.
# Usage: see usage() below, or deployment/install/README.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

LABEL=foundation.foxlight.skulk-logs
VECTOR_LABEL=foundation.foxlight.skulk-vector
AGENTS_DIR="$HOME/Library/LaunchAgents"
PLIST="$AGENTS_DIR/$LABEL.plist"
VECTOR_PLIST="$AGENTS_DIR/$VECTOR_LABEL.plist"
# The agent's own output (it logs to stderr). Not matched by the file it tails (skulk.stdout.log).
STDOUT_LOG="$LOG_DIR/skulk-logs.stdout.log"
STDERR_LOG="$LOG_DIR/skulk-logs.stderr.log"
REPLACE_VECTOR=0

usage() {
  cat <<EOF
Usage: $PROG [--kafka HOST:PORT] [--node-id ID] [--dist DIR] [--java PATH] [--replace-vector]
       $PROG --uninstall [--purge]

Installs the skulk-logs agent as the LaunchAgent $LABEL: the product in ~/.skulk/skulk-logs/,
the plist in ~/Library/LaunchAgents/, SKULK_LOGS_KAFKA in ~/.skulk/skulk.env; then (re)starts it.

  --kafka HOST:PORT   Kafka address (default: SKULK_LOGS_KAFKA from ~/.skulk/skulk.env)
  --node-id ID        this node's name (default: the host name)
  --dist DIR          directory with skulk-logs.jar and lib/ (default: build this repository)
  --java PATH         java 17+ to run the agent with (default: JAVA_HOME, java_home, Homebrew, PATH)
  --replace-vector    stop and disable Skulk's Vector shipper ($VECTOR_LABEL)
  --uninstall         stop the agent, remove the plist and the product (state and logs stay)
  --purge             with --uninstall: also delete the state directory and the agent's logs
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --replace-vector) REPLACE_VECTOR=1; shift ;;
    *) common_option "$@"; shift "$SHIFT" ;;
  esac
done
check_options
[ "$(uname -s)" = Darwin ] || die "this installer is for macOS (launchd); on Linux use install-systemd.sh"
DOMAIN="gui/$(id -u)"

vector_loaded() { launchctl print "$DOMAIN/$VECTOR_LABEL" >/dev/null 2>&1; }

vector_disabled() {
  local out
  out=$(launchctl print-disabled "$DOMAIN" 2>/dev/null) || true
  case "$out" in
    *"\"$VECTOR_LABEL\" => disabled"* | *"\"$VECTOR_LABEL\" => true"*) return 0 ;;
    *) return 1 ;;
  esac
}

# Vector and the agent must not both ship Skulk's file. Only looked at when Vector is installed (or
# --replace-vector asks), so a node without it sees no launchctl call at all.
handle_vector() {
  if [ "$REPLACE_VECTOR" = 1 ]; then
    if vector_loaded; then
      launchctl bootout "$DOMAIN/$VECTOR_LABEL" || die "launchctl bootout $DOMAIN/$VECTOR_LABEL failed"
      say "stopped Vector ($VECTOR_LABEL)"
      CHANGED=1
    fi
    if ! vector_disabled; then
      launchctl disable "$DOMAIN/$VECTOR_LABEL" || die "launchctl disable $DOMAIN/$VECTOR_LABEL failed"
      say "disabled Vector ($VECTOR_LABEL): it stays off at the next login"
      CHANGED=1
    fi
  elif [ -f "$VECTOR_PLIST" ] && vector_loaded; then
    warn "Vector ($VECTOR_LABEL) is loaded too: both ship Skulk's log (every line twice). Re-run with --replace-vector to stop and disable it."
  fi
}

# The agent's output goes next to Skulk's, so it must not be one of the files the agent tails.
check_log_paths() {
  local tailed f
  tailed=$(expand_tilde "$(env_file_value SKULK_LOG_FILE)")
  [ -n "$tailed" ] || return 0
  for f in "$STDOUT_LOG" "$STDERR_LOG"; do
    # shellcheck disable=SC2053 # $tailed is a glob on purpose: the agent accepts globs in the file name
    if [[ $f == $tailed ]]; then
      die "SKULK_LOG_FILE=$tailed in $ENV_FILE matches the agent's own log $f: the agent would ship its own output"
    fi
  done
}

xml_escape() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }

write_plist() {
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Written by skulk-logs' $PROG: re-run it to change this file (edits are overwritten).
     No secrets here: the agent reads SKULK_LOGS_KAFKA and the rest from ~/.skulk/skulk.env itself. -->
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>$LABEL</string>
  <key>ProgramArguments</key>
  <array>
    <string>$(xml_escape "$WRAPPER")</string>
    <string>agent</string>
EOF
  if [ -n "$NODE_ID" ]; then
    printf '    <string>--node-id</string>\n    <string>%s</string>\n' "$NODE_ID"
  fi
  cat <<EOF
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ThrottleInterval</key>
  <integer>10</integer>
  <key>ExitTimeOut</key>
  <integer>45</integer>
  <key>StandardOutPath</key>
  <string>$(xml_escape "$STDOUT_LOG")</string>
  <key>StandardErrorPath</key>
  <string>$(xml_escape "$STDERR_LOG")</string>
</dict>
</plist>
EOF
}

bootstrap() {
  launchctl enable "$DOMAIN/$LABEL" || die "launchctl enable $DOMAIN/$LABEL failed"
  if ! launchctl bootstrap "$DOMAIN" "$PLIST"; then
    # Without the plist the next run starts over instead of finding nothing to change.
    rm -f "$PLIST"
    die "launchctl bootstrap $DOMAIN $PLIST failed (removed the plist so that the next run tries again)"
  fi
  say "loaded and started $LABEL"
}

install() {
  local plist_existed=0
  resolve_kafka
  find_java
  check_log_paths
  resolve_dist
  handle_vector

  ensure_env_kafka
  install_product
  mkdir -p "$LOG_DIR" # launchd does not create the directory of StandardOutPath
  write_plist >"$WORK/plist"
  [ -f "$PLIST" ] && plist_existed=1
  install_file "$WORK/plist" "$PLIST" 644

  if [ "$WROTE" = 1 ]; then
    if [ "$plist_existed" = 1 ]; then
      if launchctl bootout "$DOMAIN/$LABEL" 2>/dev/null; then say "stopped $LABEL (its plist changed)"; fi
    fi
    bootstrap
  elif [ "$PRODUCT_CHANGED" = 1 ]; then
    if launchctl kickstart -k "$DOMAIN/$LABEL"; then
      say "restarted $LABEL (new version)"
    else
      bootstrap
    fi
  fi
  if [ "$CHANGED" = 0 ]; then
    say "nothing to change: $LABEL is installed and up to date"
  else
    say "done: agent $LABEL ships to Kafka at $KAFKA; its output is in $STDERR_LOG"
  fi
}

uninstall() {
  local f
  if [ -f "$PLIST" ]; then
    if launchctl bootout "$DOMAIN/$LABEL" 2>/dev/null; then say "stopped $LABEL"; else say "$LABEL was not loaded"; fi
    rm -f "$PLIST"
    say "removed $PLIST"
    CHANGED=1
  fi
  remove_product
  if [ "$PURGE" = 1 ]; then
    purge_state
    for f in "$STDOUT_LOG" "$STDERR_LOG"; do
      if [ -e "$f" ]; then rm -f "$f"; say "removed $f"; CHANGED=1; fi
    done
  else
    keep_state_note
  fi
  [ "$CHANGED" = 1 ] || say "nothing to uninstall"
  if [ -f "$VECTOR_PLIST" ]; then
    say "to turn Vector back on: launchctl enable $DOMAIN/$VECTOR_LABEL && launchctl bootstrap $DOMAIN $VECTOR_PLIST"
  fi
  say "$ENV_FILE is left as it is"
}

if [ "$UNINSTALL" = 1 ]; then uninstall; else install; fi
