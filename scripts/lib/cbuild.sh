# Sourced by scripts/test-sanitizers, scripts/fuzz and scripts/test-huge: builds a program
# together with every C source of the library (CKernels/**/*.c, so new op families are
# picked up) with the clang of the Swift toolchain, which ships the sanitizer and libFuzzer
# runtimes. The sources compile in parallel, one clang each (an ASan build of the C example
# took 45 s as one clang call and 27 s so on 2 cores).
#   smk_clang_build OUTPUT [clang flags ...] SOURCE.c       plain build (flags as given)
#   smk_clang_sanitized OUTPUT [clang flags ...] SOURCE.c   ASan + UBSan, every finding fatal

smk_clang() {
    local swift_bin
    swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
    if [ -x "$swift_bin/clang" ]; then echo "$swift_bin/clang"; else command -v clang; fi
}

smk_clang_build() {
    local output="$1"; shift
    local root cc lld=() flags=() sources=() objdir status=0
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    cc="$(smk_clang)"
    # lld from the same toolchain links the sanitizer runtimes without gold's warnings.
    [ -x "$(dirname "$cc")/ld.lld" ] && lld=(-fuse-ld=lld)
    for a in "$@"; do case "$a" in *.c) sources+=("$a") ;; *) flags+=("$a") ;; esac; done
    while IFS= read -r f; do sources+=("$f"); done < <(find "$root/CKernels" -name '*.c' | sort)
    # One clang per source, as many at once as there are cores (the three instruction-set
    # kernel files dominate), then one link: same flags for both, so a -fsanitize=fuzzer
    # build instruments the library as well as the harness.
    objdir="$(mktemp -d)"
    # shellcheck disable=SC2016,SC2046
    printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -I{} sh -c \
        'cc="$1"; dir="$2"; src="$3"; shift 3; exec "$cc" "$@" -c "$src" -o "$dir/$(echo "$src" | tr / _).o"' \
        sh "$cc" "$objdir" {} -std=gnu11 -g -Wall -Wextra -I "$root/CKernels/include" -I "$root/CKernels" \
        $(pkg-config --cflags openblas lapacke 2>/dev/null) "${flags[@]}" || status=$?
    if [ "$status" -eq 0 ]; then
        # shellcheck disable=SC2046
        "$cc" "${lld[@]}" "${flags[@]}" "$objdir"/*.o \
            $(pkg-config --libs openblas lapacke 2>/dev/null) -lm -o "$output" || status=$?
    fi
    rm -rf "$objdir"
    return "$status"
}

smk_clang_sanitized() {
    local output="$1"; shift
    smk_clang_build "$output" -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
        -fno-sanitize-recover=all "$@"
}
