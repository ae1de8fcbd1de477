/* Portable kernels: the fallback on CPUs without AVX2 and for shapes the vector kernels skip.
 * Each (row, column) result is a left-to-right sum over the dequantized row. */
#include "ckernels.h"
#include "blocks.h"
#include "internal.h"

float ck_dot_f32_scalar(const float *a, const float *b, int n) {
    float s = 0.0f;
    for (int i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

void ck_matmul_scalar(int dtype, const void *wv, size_t row_bytes, int k, const float *x, size_t ldx,
                      int m, float *y, size_t ldy, int r0, int r1, float *scratch) {
    const uint8_t *w = wv;
    for (int r = r0; r < r1; r++) {
        ck_dequantize_row(dtype, w + (size_t)r * row_bytes, scratch, k);
        for (int j = 0; j < m; j++) y[(size_t)j * ldy + r] = ck_dot_f32_scalar(scratch, x + (size_t)j * ldx, k);
    }
}

void ck_attention_scalar(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                         int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                         float *out, float *scores) {
    const int group = n_heads / n_kv_heads;
    for (int h = h0; h < h1; h++) {
        const float *qh = q + (size_t)h * hd;
        const size_t koff = (size_t)(h / group) * hd;
        float mx = -INFINITY;
        for (int j = 0; j < n_keys; j++) {
            const float s = ck_dot_f32_scalar(qh, k + (size_t)j * kv_stride + koff, hd) * scale;
            scores[j] = s;
            mx = s > mx ? s : mx;
        }
        float sum = 0.0f;
        for (int j = 0; j < n_keys; j++) {
            scores[j] = expf(scores[j] - mx);
            sum += scores[j];
        }
        const float inv = 1.0f / sum;
        float *oh = out + (size_t)h * hd;
        for (int d = 0; d < hd; d++) {
            float acc = 0.0f;
            for (int j = 0; j < n_keys; j++) acc += scores[j] * v[(size_t)j * kv_stride + koff + d];
            oh[d] = acc * inv;
        }
    }
}
