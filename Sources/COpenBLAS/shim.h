// OpenBLAS (CBLAS) and LAPACKE, as Debian's libopenblas-dev and liblapacke-dev install them.
#ifndef SMOOTHKIT_COPENBLAS_SHIM_H
#define SMOOTHKIT_COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
