# Sourced by scripts/run, scripts/test and scripts/bench: installs what the
# build needs when it is missing (Debian/Ubuntu, apt-get, as root or with
# sudo) and configures and builds into $BUILD_DIR when out of date.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}

need_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "exo: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

BUILD_PACKAGES=(gcc libc6-dev meson ninja-build pkg-config libreadline-dev zlib1g-dev tzdata)
TEST_PACKAGES=(libcriterion-dev python3)

# build [meson options...]: configure $BUILD_DIR once, then build what changed.
build() {
    if [ ! -f "$BUILD_DIR/build.ninja" ]; then
        meson setup "$BUILD_DIR" "$ROOT" "$@" >&2
    fi
    ninja -C "$BUILD_DIR" >&2
}
