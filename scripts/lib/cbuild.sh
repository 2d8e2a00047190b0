# Sourced by scripts/test-sanitizers, scripts/fuzz and scripts/test-huge: builds programs
# together with every C source of the library (CKernels/**/*.c, so new op families are
# picked up) with the clang of the Swift toolchain, which ships the sanitizer and libFuzzer
# runtimes. The sources compile in parallel, one clang each (an ASan build of the C example
# took 45 s as one clang call and 27 s so on 2 cores).
# SMK_CBUILD_CACHE=DIR keeps the library's objects in DIR, one folder per compiler, flags and
# library sources (a hash of them), and reuses them: scripts/test builds the sanitized library
# once for the C example and both fuzzers. Unset: a temporary folder per build.
#   smk_clang_build OUTPUT [clang flags ...] SOURCE.c...     one program (flags as given)
#   smk_clang_sanitized OUTPUT [clang flags ...] SOURCE.c... ASan + UBSan, every finding fatal
#   smk_clang_sanitized_each OUTDIR [clang flags ...] A.c B.c...
#       one program per source, OUTDIR/A, OUTDIR/B, ..., the library compiled once for all

smk_clang() {
    local swift_bin
    swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
    if [ -x "$swift_bin/clang" ]; then echo "$swift_bin/clang"; else command -v clang; fi
}

# smk_clang_programs OUTDIR|OUTPUT MODE [clang flags ...] SOURCE.c...: MODE "one" links every
# source into OUTPUT, "each" links one program per source into OUTDIR.
smk_clang_programs() {
    local output="$1" mode="$2"; shift 2
    local root cc lld=() flags=() libflags=() sources=() lib=() objdir libdir key status=0 obj
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    cc="$(smk_clang)"
    # lld from the same toolchain links the sanitizer runtimes without gold's warnings.
    [ -x "$(dirname "$cc")/ld.lld" ] && lld=(-fuse-ld=lld)
    for a in "$@"; do case "$a" in *.c) sources+=("$a") ;; *) flags+=("$a") ;; esac; done
    # The library takes the same flags but -fsanitize=fuzzer, which only the programs need (its
    # coverage instrumentation is -fsanitize=fuzzer-no-link, part of SMK_SANITIZE_FLAGS), so
    # the sanitized C example and the fuzzers link the same library objects.
    for a in "${flags[@]}"; do [ "$a" = -fsanitize=fuzzer ] || libflags+=("$a"); done
    while IFS= read -r f; do lib+=("$f"); done < <(find "$root/CKernels" -name '*.c' | sort)
    objdir="$(mktemp -d)"
    libdir="$objdir/lib"
    if [ -n "${SMK_CBUILD_CACHE:-}" ]; then
        key="$( { echo "$cc" "${libflags[@]}"; find "$root/CKernels" -type f | sort | xargs cat; } | sha1sum | cut -c1-16)"
        libdir="$SMK_CBUILD_CACHE/$key"
    fi
    # One clang per source, as many at once as there are cores (the three instruction-set
    # kernel files dominate), then the links.
    _smk_compile() { # OBJDIR [flags ...] -- SOURCE...
        local dir="$1"; shift
        local f=() s
        while [ "$1" != -- ]; do f+=("$1"); shift; done
        shift
        mkdir -p "$dir"
        # shellcheck disable=SC2016,SC2046
        for s in "$@"; do echo "$s"; done | xargs -P "$(nproc)" -I{} sh -c \
            'cc="$1"; dir="$2"; src="$3"; shift 3; exec "$cc" "$@" -c "$src" -o "$dir/$(echo "$src" | tr / _).o"' \
            sh "$cc" "$dir" {} -std=gnu11 -g -Wall -Wextra -I "$root/CKernels/include" -I "$root/CKernels" \
            $(pkg-config --cflags openblas lapacke 2>/dev/null) "${f[@]}"
    }
    if [ ! -d "$libdir" ]; then
        # into a new folder, renamed into place when complete: a cache entry is never half built
        # (when another build put the same entry there first, its objects are used)
        if _smk_compile "$objdir/lib.new" "${libflags[@]}" -- "${lib[@]}"; then
            mkdir -p "$(dirname "$libdir")"
            mv -T "$objdir/lib.new" "$libdir" 2>/dev/null || [ -d "$libdir" ] || status=1
        else
            status=1
        fi
    fi
    [ "$status" -eq 0 ] && { _smk_compile "$objdir" "${flags[@]}" -- "${sources[@]}" || status=$?; }
    local libobjs=()
    for f in "${lib[@]}"; do libobjs+=("$libdir/$(echo "$f" | tr / _).o"); done
    _smk_link() { # OUTPUT OBJECTS...
        local out="$1"; shift
        # shellcheck disable=SC2046
        "$cc" "${lld[@]}" "${flags[@]}" "$@" "${libobjs[@]}" $(pkg-config --libs openblas lapacke 2>/dev/null) \
            -lm -o "$out"
    }
    if [ "$status" -eq 0 ] && [ "$mode" = one ]; then
        local objs=()
        for s in "${sources[@]}"; do objs+=("$objdir/$(echo "$s" | tr / _).o"); done
        _smk_link "$output" "${objs[@]}" || status=$?
    elif [ "$status" -eq 0 ]; then
        for s in "${sources[@]}"; do
            obj="$objdir/$(echo "$s" | tr / _).o"
            _smk_link "$output/$(basename "$s" .c)" "$obj" || { status=$?; break; }
        done
    fi
    rm -rf "$objdir"
    return "$status"
}

smk_clang_build() {
    local output="$1"; shift
    smk_clang_programs "$output" one "$@"
}

# fuzzer-no-link: libFuzzer's coverage counters, so that the fuzzers can share these objects
# (outside libFuzzer nothing reads them; the ASan runtime provides their hooks).
SMK_SANITIZE_FLAGS=(-O1 -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all)

smk_clang_sanitized() {
    local output="$1"; shift
    smk_clang_programs "$output" one "${SMK_SANITIZE_FLAGS[@]}" "$@"
}

smk_clang_sanitized_each() {
    local outdir="$1"; shift
    smk_clang_programs "$outdir" each "${SMK_SANITIZE_FLAGS[@]}" "$@"
}
