# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are read by the installers that source this file
# Shared by install-launchd.sh and install-systemd.sh (sourced, never run): option parsing, the checks made
# before anything is written, the product copy, the wrapper, ~/.skulk/skulk.env, and idempotent file writes.
#
# Rules every function here follows: nothing is written before every check passed; a file whose bytes are
# already right is not touched (same inode, same mtime); each change is printed. Compatible with macOS's
# bash 3.2: no associative arrays, no empty "${array[@]}" under set -u.

: "${HOME:?HOME is not set}"

PROG=$(basename "$0")
INSTALL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_ROOT=$(cd "$INSTALL_DIR/../.." && pwd)

SKULK_DIR="$HOME/.skulk"
ENV_FILE="$SKULK_DIR/skulk.env"
PREFIX="$SKULK_DIR/skulk-logs"        # the product: skulk-logs.jar, lib/, bin/skulk-logs
WRAPPER="$PREFIX/bin/skulk-logs"
LOG_DIR="$SKULK_DIR/logs"
# The agent's JVM flags, as in bin/skulk-logs and docs/operations.md (a test checks they stay equal).
AGENT_JVM_OPTS="-Xms16m -Xmx128m -XX:+UseSerialGC -Xss512k -XX:CICompilerCount=2 -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000"
MIN_JAVA=17

# Options (set by common_option).
KAFKA=""
NODE_ID=""
DIST=""
JAVA_OPT=""
UNINSTALL=0
PURGE=0

# Outcome of the run.
CHANGED=0           # anything written or removed
PRODUCT_CHANGED=0   # jar, lib/ or wrapper: the running agent must restart
WROTE=0             # set by install_file: 1 when it wrote
LAST_VERB=""        # set by install_file: created, updated, or empty when it left the file alone

say() { printf '%s: %s\n' "$PROG" "$*"; }
warn() { printf '%s: warning: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/skulk-logs-install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Parses one option both installers take. Sets SHIFT to the number of words used. Calls `usage` (defined by
# the installer) for --help.
common_option() {
  case "$1" in
    --kafka|--node-id|--dist|--java)
      [ $# -ge 2 ] || die "$1 needs a value"
      set_value_option "$1" "$2"
      SHIFT=2 ;;
    --kafka=*|--node-id=*|--dist=*|--java=*)
      set_value_option "${1%%=*}" "${1#*=}"
      SHIFT=1 ;;
    --uninstall) UNINSTALL=1; SHIFT=1 ;;
    --purge) PURGE=1; SHIFT=1 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see $PROG --help)" ;;
  esac
}

set_value_option() {
  case "$1" in
    --kafka) KAFKA=$2 ;;
    --node-id) NODE_ID=$2 ;;
    --dist) DIST=$2 ;;
    --java) JAVA_OPT=$2 ;;
  esac
}

# Checks made whatever the mode; installers call it after parsing.
check_options() {
  if [ "$PURGE" = 1 ] && [ "$UNINSTALL" = 0 ]; then
    die "--purge goes with --uninstall"
  fi
  if [ -n "$KAFKA" ] && ! valid_kafka "$KAFKA"; then
    die "--kafka must be HOST:PORT[,HOST:PORT...], got '$KAFKA'"
  fi
  if [ -n "$NODE_ID" ] && ! [[ $NODE_ID =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$ ]]; then
    die "--node-id must be letters, digits, '.', '_' or '-' (a host name), got '$NODE_ID'"
  fi
}

valid_kafka() {
  local hostport='(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}'
  [[ $1 =~ ^$hostport(,$hostport)*$ ]]
}

# The value KEY has in ~/.skulk/skulk.env as a shell sourcing the file sees it (Skulk sources it too; the
# agent's own reader follows the same quoting). Empty when the file or the key is absent. The file is read
# in a clean environment, so a variable of this shell cannot stand in for a missing key.
env_file_value() {
  [ -f "$ENV_FILE" ] || return 0
  # shellcheck disable=SC2016 # expanded by the inner shell
  env -i HOME="$HOME" PATH=/usr/bin:/bin "$BASH" -c \
    '__skulk_logs_key=$2; . "$1" >/dev/null 2>&1 </dev/null; printf %s "${!__skulk_logs_key-}"' \
    _ "$ENV_FILE" "$1" 2>/dev/null || true
}

# The Kafka address: --kafka, else SKULK_LOGS_KAFKA from ~/.skulk/skulk.env, else a clear failure.
resolve_kafka() {
  if [ -z "$KAFKA" ]; then
    KAFKA=$(env_file_value SKULK_LOGS_KAFKA)
    [ -n "$KAFKA" ] || die "no Kafka address: pass --kafka HOST:PORT (it is then kept as SKULK_LOGS_KAFKA in $ENV_FILE), or set SKULK_LOGS_KAFKA there"
    valid_kafka "$KAFKA" || die "SKULK_LOGS_KAFKA in $ENV_FILE must be HOST:PORT[,HOST:PORT...], got '$KAFKA'"
    say "Kafka address from $ENV_FILE: $KAFKA"
  fi
}

# The major version of a java binary ("1.8.0_392" -> 8, "17.0.15" -> 17, "21-ea" -> 21); empty if it does not run.
java_major() {
  local out
  out=$("$1" -version 2>&1 </dev/null) || return 0
  printf '%s\n' "$out" | sed -n 's/.* version "\([^"]*\)".*/\1/p' | sed -n 1p |
    awk -F. '{ v = ($1 == "1") ? $2 : $1; sub(/[^0-9].*/, "", v); print v }'
}

# Sets JAVA to a java >= 17: --java, else $JAVA_HOME, else (macOS) java_home and Homebrew's keg-only
# openjdk, else java on PATH. The service managers start the agent with a minimal PATH, so the wrapper
# keeps the absolute path found here.
find_java() {
  local candidates=() c major tried=""
  if [ -n "$JAVA_OPT" ]; then
    major=$(java_major "$JAVA_OPT")
    if [ -z "$major" ] || [ "$major" -lt "$MIN_JAVA" ]; then
      die "--java $JAVA_OPT: need Java $MIN_JAVA or newer, found ${major:-nothing that runs}"
    fi
    JAVA=$JAVA_OPT
    return
  fi
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  if [ "$(uname -s)" = Darwin ]; then
    if [ -x /usr/libexec/java_home ] && c=$(/usr/libexec/java_home -v "$MIN_JAVA+" 2>/dev/null); then
      candidates+=("$c/bin/java")
    fi
    for c in /opt/homebrew/opt/openjdk@17 /opt/homebrew/opt/openjdk /usr/local/opt/openjdk@17 /usr/local/opt/openjdk; do
      [ -x "$c/bin/java" ] && candidates+=("$c/bin/java")
    done
  fi
  c=$(command -v java || true)
  [ -n "$c" ] && candidates+=("$c")
  [ ${#candidates[@]} -gt 0 ] || die "no java found: install Java $MIN_JAVA or newer (macOS: brew install openjdk@17; Debian/Ubuntu: apt install openjdk-17-jre-headless), or pass --java PATH"
  for c in "${candidates[@]}"; do
    major=$(java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge "$MIN_JAVA" ]; then
      JAVA=$c
      return
    fi
    tried="$tried $c (${major:-does not run})"
  done
  die "need Java $MIN_JAVA or newer, found only:$tried; install one or pass --java PATH"
}

# Sets DIST to a directory holding skulk-logs.jar and lib/: --dist, else this repository's launcher/target,
# built (or rebuilt when sources changed) by bin/skulk-logs, which knows when a build is due.
resolve_dist() {
  if [ -z "$DIST" ]; then
    if [ ! -x "$REPO_ROOT/bin/skulk-logs" ] || [ ! -f "$REPO_ROOT/mvnw" ]; then
      die "no --dist DIR given and $REPO_ROOT is not a skulk-logs checkout"
    fi
    say "checking the build in $REPO_ROOT (builds with ./mvnw when missing or out of date)"
    PATH="$(dirname "$JAVA"):$PATH" "$REPO_ROOT/bin/skulk-logs" --version >/dev/null ||
      die "building skulk-logs failed (try: cd $REPO_ROOT && ./mvnw -B -DskipTests -pl launcher -am package)"
    DIST="$REPO_ROOT/launcher/target"
  fi
  [ -f "$DIST/skulk-logs.jar" ] || die "$DIST/skulk-logs.jar not found (--dist takes the directory holding skulk-logs.jar and lib/)"
  [ -d "$DIST/lib" ] || die "$DIST/lib/ not found (--dist takes the directory holding skulk-logs.jar and lib/)"
  DIST=$(cd "$DIST" && pwd)
}

# install_file SRC DEST MODE: gives DEST the bytes of SRC and MODE. Leaves DEST untouched when its bytes
# are already right (only a wrong mode is fixed); otherwise writes a temporary file beside it and renames
# it over DEST, so a reader (or a running JVM) sees the old file or the new one, never half of one.
# Sets WROTE and LAST_VERB (created, updated, or empty); prints what it did unless QUIET=1.
install_file() {
  local src=$1 dest=$2 mode=$3 tmp verb=updated
  WROTE=0
  LAST_VERB=""
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then
    ensure_mode "$dest" "$mode"
    return 0
  fi
  [ -e "$dest" ] || verb=created
  mkdir -p "$(dirname "$dest")"
  tmp=$(mktemp "$(dirname "$dest")/.${dest##*/}.XXXXXX")
  if ! { cp "$src" "$tmp" && chmod "$mode" "$tmp" && mv -f "$tmp" "$dest"; }; then
    rm -f "$tmp"
    die "could not write $dest"
  fi
  [ "${QUIET:-0}" = 1 ] || say "$verb $dest"
  LAST_VERB=$verb
  WROTE=1
  CHANGED=1
}

ensure_mode() {
  if [ -z "$(find "$1" -prune -perm "$2")" ]; then
    chmod "$2" "$1"
    say "set mode $2 on $1"
    CHANGED=1
  fi
}

# Copies the product into $PREFIX (jar, lib/, minus lib/ files the new version no longer has) and writes
# the wrapper. Sets PRODUCT_CHANGED.
install_product() {
  local f created=0 updated=0 removed=0
  install_file "$DIST/skulk-logs.jar" "$PREFIX/skulk-logs.jar" 644
  [ "$WROTE" = 0 ] || PRODUCT_CHANGED=1
  for f in "$DIST"/lib/*; do
    [ -f "$f" ] || continue
    QUIET=1 install_file "$f" "$PREFIX/lib/${f##*/}" 644
    case "$LAST_VERB" in
      created) created=$((created + 1)) ;;
      updated) updated=$((updated + 1)) ;;
    esac
  done
  for f in "$PREFIX"/lib/* "$PREFIX"/lib/.[!.]*; do
    [ -e "$f" ] || continue
    if [ ! -e "$DIST/lib/${f##*/}" ]; then
      rm -rf "$f"
      removed=$((removed + 1))
    fi
  done
  if [ $((created + updated + removed)) -gt 0 ]; then
    say "$PREFIX/lib/: $created created, $updated updated, $removed removed (not in the new version)"
    PRODUCT_CHANGED=1
    CHANGED=1
  fi
  write_wrapper >"$WORK/wrapper"
  install_file "$WORK/wrapper" "$WRAPPER" 755
  [ "$WROTE" = 0 ] || PRODUCT_CHANGED=1
}

# 'text' with single quotes escaped, for a POSIX shell.
sh_quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

write_wrapper() {
  cat <<EOF
#!/bin/sh
# skulk-logs, written by skulk-logs' $PROG: re-run the installer to update it (edits are overwritten).
# JVM flags of the per-node agent (see docs/operations.md); SKULK_LOGS_JAVA_OPTS replaces them.
# At most two glibc malloc arenas: about 24 MiB less RSS (docs/performance.md).
MALLOC_ARENA_MAX=\${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX
# shellcheck disable=SC2086
exec $(sh_quote "$JAVA") \${SKULK_LOGS_JAVA_OPTS:-$AGENT_JVM_OPTS} -jar $(sh_quote "$PREFIX/skulk-logs.jar") "\$@"
EOF
}

# Keeps the line SKULK_LOGS_KAFKA=<KAFKA> in ~/.skulk/skulk.env: adds it, or replaces that key's line(s)
# (the first keeps its place and an `export`, later duplicates go); every other line stays as it is. The
# file is left alone when it already yields this value, and gets mode 600 (it may hold secrets).
ensure_env_kafka() {
  local line="SKULK_LOGS_KAFKA=$KAFKA"
  if [ -f "$ENV_FILE" ] && [ "$(env_file_value SKULK_LOGS_KAFKA)" = "$KAFKA" ]; then
    ensure_mode "$ENV_FILE" 600
    return 0
  fi
  if [ -f "$ENV_FILE" ]; then
    awk -v line="$line" '
      /^[[:space:]]*(export[[:space:]]+)?SKULK_LOGS_KAFKA=/ {
        if (!done) { print (($0 ~ /^[[:space:]]*export[[:space:]]/) ? "export " line : line); done = 1 }
        next
      }
      { print }
      END { if (!done) print line }' "$ENV_FILE" >"$WORK/skulk.env"
  else
    printf '%s\n' "$line" >"$WORK/skulk.env"
  fi
  (umask 077 && mkdir -p "$SKULK_DIR")
  install_file "$WORK/skulk.env" "$ENV_FILE" 600
}

# A path with a leading ~ or ~/ made absolute, as the agent does.
expand_tilde() {
  case "$1" in
    \~) printf '%s' "$HOME" ;;
    \~/*) printf '%s/%s' "$HOME" "${1#\~/}" ;;
    *) printf '%s' "$1" ;;
  esac
}

# The agent's state directory, as the agent computes it: $SKULK_VECTOR_DATA_DIR/skulk-logs, else
# ~/.skulk/skulk-logs.
state_dir() {
  local vector
  vector=$(expand_tilde "$(env_file_value SKULK_VECTOR_DATA_DIR)")
  if [ -n "$vector" ]; then printf '%s/skulk-logs\n' "${vector%/}"; else printf '%s\n' "$PREFIX"; fi
}

# Removes the product (jar, lib/, wrapper) from $PREFIX; the directory itself only if nothing else is left
# in it (by default it is also the agent's state directory).
remove_product() {
  local p
  for p in "$PREFIX/skulk-logs.jar" "$PREFIX/lib" "$WRAPPER"; do
    if [ -e "$p" ]; then
      rm -rf "$p"
      say "removed $p"
      CHANGED=1
    fi
  done
  rmdir "$PREFIX/bin" 2>/dev/null || true
  rmdir "$PREFIX" 2>/dev/null || true
}

# With --purge: removes the agent's state directory (checkpoints and disk buffer; lines still in the
# buffer are then lost).
purge_state() {
  local dir
  dir=$(state_dir)
  case "$dir" in
    */skulk-logs) ;;
    *) die "refusing to delete '$dir': not a skulk-logs state directory" ;;
  esac
  if [ -e "$dir" ]; then
    rm -rf "$dir"
    say "removed the state directory $dir (checkpoints and buffer)"
    CHANGED=1
  fi
}

keep_state_note() {
  local dir
  dir=$(state_dir)
  if [ -e "$dir" ]; then
    say "kept the state directory $dir (checkpoints, buffer: unsent lines are shipped if the agent is installed again); --purge deletes it"
  fi
}
