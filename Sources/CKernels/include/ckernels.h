#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/* Name of the instruction set the runtime dispatcher chose: "avx512", "avx2" or "scalar". */
const char *ck_isa(void);

#endif
