/* Row kernels for arm64 Advanced SIMD. */
#if defined(__aarch64__)
#include "simd/neon.h"
#include "kernels/instantiate.h"
#endif
