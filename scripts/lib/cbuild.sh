# Sourced by scripts/test-sanitizers, scripts/fuzz and scripts/test-huge: builds a program
# together with every C source of the library (CKernels/**/*.c, so new op families are
# picked up) with the clang of the Swift toolchain, which ships the sanitizer and libFuzzer
# runtimes.
#   smk_clang_build OUTPUT [clang flags ...] SOURCE.c       plain -O2 build
#   smk_clang_sanitized OUTPUT [clang flags ...] SOURCE.c   ASan + UBSan, every finding fatal

smk_clang() {
    local swift_bin
    swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
    if [ -x "$swift_bin/clang" ]; then echo "$swift_bin/clang"; else command -v clang; fi
}

smk_clang_build() {
    local output="$1"; shift
    local root cc lld=() sources=()
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    cc="$(smk_clang)"
    # lld from the same toolchain links the sanitizer runtimes without gold's warnings.
    [ -x "$(dirname "$cc")/ld.lld" ] && lld=(-fuse-ld=lld)
    while IFS= read -r f; do sources+=("$f"); done < <(find "$root/CKernels" -name '*.c' | sort)
    # shellcheck disable=SC2046
    "$cc" "${lld[@]}" -std=gnu11 -g -Wall -Wextra -I "$root/CKernels/include" -I "$root/CKernels" \
        "$@" "${sources[@]}" $(pkg-config --cflags --libs openblas lapacke 2>/dev/null) -lm -o "$output"
}

smk_clang_sanitized() {
    local output="$1"; shift
    smk_clang_build "$output" -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
        -fno-sanitize-recover=all "$@"
}
