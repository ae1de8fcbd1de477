#ifndef CBLAS_SHIM_H
#define CBLAS_SHIM_H
#include <cblas.h>   /* Debian: openblas-pthread through the alternatives system */
#endif
