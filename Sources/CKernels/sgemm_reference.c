/* The reference sgemm used when OpenBLAS is not available (see ckernels.h). */
#include "ckernels.h"

void ck_sgemm_reference(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                        const float *b, int ldb, float beta, float *c, int ldc) {
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            float sum = 0;
            for (int p = 0; p < k; p++) {
                float x = trans_a ? a[(long)p * lda + i] : a[(long)i * lda + p];
                float y = trans_b ? b[(long)j * ldb + p] : b[(long)p * ldb + j];
                sum += x * y;
            }
            float *out = c + (long)i * ldc + j;
            *out = beta == 0 ? alpha * sum : alpha * sum + beta * *out;
        }
    }
}
