# Sourced by the scripts: installs the system packages SmoothKit needs when they are missing.
# OpenBLAS + LAPACKE (Debian: libopenblas-dev, liblapacke-dev) and pkg-config.
smk_ensure_deps() {
    if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openblas lapacke 2>/dev/null \
        && [ -f /usr/include/lapacke.h ]; then
        return 0
    fi
    echo "== installing libopenblas-dev liblapacke-dev pkg-config (apt)" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libopenblas-dev liblapacke-dev pkg-config >/dev/null
}

# Universal Ctags (Debian: universal-ctags), for scripts/check-c-layout.
smk_ensure_ctags() {
    if ctags --version 2>/dev/null | grep -q "Universal Ctags"; then
        return 0
    fi
    echo "== installing universal-ctags (apt)" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq universal-ctags >/dev/null
}
