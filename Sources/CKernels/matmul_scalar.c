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

/* Key or value element i as f32, from an f32 or an f16 (f16 != 0) cache. */
static float kv_at(const void *base, size_t i, int f16) {
    return f16 ? ck_fp16_to_f32(((const uint16_t *)base)[i]) : ((const float *)base)[i];
}

static void attention(const float *q, const void *k, const void *v, int f16, size_t kv_stride, int n_keys,
                      int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                      float *out, float *scores) {
    const int group = n_heads / n_kv_heads;
    for (int h = h0; h < h1; h++) {
        const float *qh = q + (size_t)h * hd;
        const size_t koff = (size_t)(h / group) * hd;
        float mx = -INFINITY;
        for (int j = 0; j < n_keys; j++) {
            float s = 0.0f;
            for (int i = 0; i < hd; i++) s = __builtin_fmaf(qh[i], kv_at(k, (size_t)j * kv_stride + koff + i, f16), s);
            s *= scale;
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
            for (int j = 0; j < n_keys; j++) acc += scores[j] * kv_at(v, (size_t)j * kv_stride + koff + d, f16);
            oh[d] = acc * inv;
        }
    }
}

void ck_attention_scalar(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                         int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                         float *out, float *scores) {
    attention(q, k, v, 0, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
}

void ck_attention_f16_scalar(const float *q, const uint16_t *k, const uint16_t *v, size_t kv_stride, int n_keys,
                             int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                             float *out, float *scores) {
    attention(q, k, v, 1, kv_stride, n_keys, n_heads, n_kv_heads, hd, scale, h0, h1, out, scores);
}

void ck_f32_to_f16_row_scalar(const float *x, uint16_t *out, int n) {
    for (int i = 0; i < n; i++) out[i] = ck_f32_to_fp16(x[i]);
}
