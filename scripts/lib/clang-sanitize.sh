# Sourced by scripts/test-sanitizers and scripts/fuzz: builds a program together with every
# C source of the library (CKernels/**/*.c, so new op families are picked up) with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, every UB finding fatal.
#   smk_clang_sanitized OUTPUT [extra clang flags ...] SOURCE.c

# The clang of the Swift toolchain: it ships the sanitizer and libFuzzer runtimes.
smk_clang() {
    local swift_bin
    swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
    if [ -x "$swift_bin/clang" ]; then echo "$swift_bin/clang"; else command -v clang; fi
}

smk_clang_sanitized() {
    local output="$1"; shift
    local root
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    local sources=()
    while IFS= read -r f; do sources+=("$f"); done < <(find "$root/CKernels" -name '*.c' | sort)
    local cc lld=()
    cc="$(smk_clang)"
    # lld from the same toolchain links the sanitizer runtimes without gold's warnings.
    [ -x "$(dirname "$cc")/ld.lld" ] && lld=(-fuse-ld=lld)
    # shellcheck disable=SC2046
    "$cc" "${lld[@]}" -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra \
        -fsanitize=address,undefined -fno-sanitize-recover=all \
        -I "$root/CKernels/include" -I "$root/CKernels" \
        "$@" "${sources[@]}" \
        $(pkg-config --cflags --libs openblas lapacke 2>/dev/null) -lm -o "$output"
}
