# Sourced by ./mvnw and ./glovebox: exports JAVA_HOME pointing at a JDK of version 21 or newer.
# Order: JAVA_HOME if it is >= 21, else the newest JDK under /usr/lib/jvm (or /Library/Java/JavaVirtualMachines),
# else `java` on the PATH if it is >= 21, else a clear error.
glovebox_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
glovebox_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(glovebox_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  best=""; bestv=0
  case $- in *f*) glovebox_noglob=1; set +f ;; *) glovebox_noglob=0 ;; esac
  for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$d/bin/javac" ] || continue
    v=$(glovebox_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best="$d"; bestv="$v"; fi
  done
  [ "$glovebox_noglob" = 1 ] && set -f
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(glovebox_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then best="$d"; fi
  fi
  if [ -z "$best" ]; then
    echo "Glovebox needs a JDK of version 21 or newer (25 recommended, e.g. Eclipse Temurin 25)." >&2
    echo "Install one, or set JAVA_HOME to it; none was found in JAVA_HOME, /usr/lib/jvm or on the PATH." >&2
    return 1
  fi
  JAVA_HOME="$best"; export JAVA_HOME
}
glovebox_find_jdk || exit 1
