#!/usr/bin/env bash
# Stages the extra directories of the skulk-logs image (two image roots, wiped first):
#
#   OUT_DIR/app      always: the container health probe (/opt/skulk-logs/probe/HealthProbe.class, java.base
#                    only) and the agent's state directory /var/lib/skulk-logs (a volume mount point).
#   OUT_DIR/runtime  with RUNTIME=jlink (the default, for the FROM scratch image): a self-contained,
#                    "distroless-style" runtime: a jlink'ed Java at /opt/java/openjdk (the path
#                    eclipse-temurin uses, so one entrypoint fits both bases), the shared libraries it links
#                    against (found with ldd, copied from this machine), CA certificates (in the runtime's
#                    cacerts), /tmp, and /etc/passwd + /etc/group with the non-root user 65532.
#                    With RUNTIME=none it stays empty: the base image (e.g. eclipse-temurin) brings all that.
#
# Usage: stage-runtime.sh JAVA_HOME MODULES OUT_DIR [jlink|none]
#   JAVA_HOME  a JDK 17 with jmods/ (Debian's openjdk-17-jdk has them)
#   MODULES    comma-separated modules for jlink
# Called by the launcher's `image` Maven profile (launcher/pom.xml); see deployment/README.md.
set -euo pipefail

java_home=$1
modules=$2
out=$3
mode=${4:-jlink}
probe_src="$(cd "$(dirname "$0")" && pwd)/probe/HealthProbe.java"

[[ -x "$java_home/bin/javac" ]] || { echo "stage-runtime: $java_home has no bin/javac (a JDK is needed)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/app/opt/skulk-logs/probe" "$out/app/var/lib/skulk-logs" "$out/runtime"
"$java_home/bin/javac" --release 17 -d "$out/app/opt/skulk-logs/probe" "$probe_src"

case "$mode" in
  none) echo "stage-runtime: no runtime staged (the base image brings Java)"; exit 0 ;;
  jlink) ;;
  *) echo "stage-runtime: RUNTIME must be jlink or none, got '$mode'" >&2; exit 1 ;;
esac
[[ -x "$java_home/bin/jlink" && -d "$java_home/jmods" ]] \
  || { echo "stage-runtime: $java_home has no bin/jlink or jmods/ (install a full JDK 17)" >&2; exit 1; }
command -v ldd >/dev/null || { echo "stage-runtime: ldd not found (glibc's ldd is needed)" >&2; exit 1; }

out="$out/runtime"
mkdir -p "$out/opt/java" "$out/etc"
runtime="$out/opt/java/openjdk"

# The AWT/sound natives of java.desktop link X11, ALSA, freetype...: the relay and agent only need the
# java.beans classes of that module, so its GUI natives are left out (and with them those libraries).
"$java_home/bin/jlink" \
  --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files --compress=2 \
  --exclude-files='**/libawt_xawt.so,**/libsplashscreen.so,**/libjawt.so,**/libjsound.so,**/libfontmanager.so,**/liblcms.so,**/libjavajpeg.so,**/libmlib_image.so' \
  --output "$runtime"

# Every shared library the runtime links against, with the dynamic loader; libraries of the runtime
# itself (libjvm.so, found through its RPATH) are already there.
mapfile -t libs < <(
  find "$runtime/bin" "$runtime/lib" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
    | xargs -0 -n1 ldd 2>/dev/null \
    | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(0x/ { print $1 }' \
    | sort -u)
missing=$(find "$runtime" -type f -name '*.so' -print0 | xargs -0 -n1 ldd 2>/dev/null \
  | awk '/=> not found/ && $1 != "libjvm.so" { print $1 }' | sort -u)
if [[ -n "$missing" ]]; then
  echo "stage-runtime: libraries not found on this machine: $missing" >&2
  exit 1
fi
for lib in "${libs[@]}"; do
  case "$lib" in "$runtime"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done

# A non-root user (65532, "nonroot" as in distroless) that the container runs as.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/etc/group"
mkdir -p "$out/home/nonroot" "$out/tmp"

echo "stage-runtime: $(du -sh "$out" | cut -f1) in $out (${#libs[@]} shared libraries)"
