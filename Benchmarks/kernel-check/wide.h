/* wide.h — an ISA header for tiny.c: AVX-512's lane counts (f32 16, f64 8) compiled for AVX2,
 * where clang splits each vector in two. On a machine without AVX-512 it runs the generic
 * tiny-row code (packed tiles c = 1 … 16, load_first/store_first pieces of 8) at those lane
 * counts, for tiny.c's bit-for-bit check; its timings mean nothing.
 *   clang -O1 -fsanitize=address -Wno-psabi -I CKernels/include -I CKernels \
 *     -DISA_HEADER='"wide.h"' Benchmarks/kernel-check/tiny.c -lm -o /tmp/tiny-wide */
#define SMK_ISA wide
#define SMK_ISA_TARGET "avx2,fma"
#define SMK_F32_LANES 16
#define SMK_F64_LANES 8
#define SMK_HAS_FMA 1
#define SMK_TINY_TRANSPOSE 1
