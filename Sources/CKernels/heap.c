/* Heap housekeeping the Swift side cannot reach: glibc's malloc_trim is not exported by Swift's
 * Glibc module. */
#include "ckernels.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void ck_trim_heap(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
