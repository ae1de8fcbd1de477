/* Dense layers of the BERT encoder: y = x·Wᵀ + b with W packed once at load.
 *
 * OpenBLAS repacks W on every call, which cost the encoder an eighth of its time once its
 * products were split into row chunks for the worker pool. Here W is packed at load into panels
 * of 16 outputs ([panel][k][16]), and a 6-row × 16-output AVX2 register tile walks k with one
 * fused multiply-add per element and k step. Every output is therefore
 * fma(x[k-1], w[k-1], … fma(x[0], w[0], 0)) + b, in k order, whatever the number of rows, the
 * tile a row falls in, or the chunk it was computed in; the scalar path does the same with fmaf,
 * so a sentence's result is bit-identical alone or in any batch, on either path. */
#include <math.h>
#include <string.h>
#include "ckernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { PANEL = 16, TILE_ROWS = 6 };

size_t ck_bert_packed_count(int out, int in) {
    if (out <= 0 || in <= 0) return 0;
    return (size_t)((out + PANEL - 1) / PANEL) * PANEL * (size_t)in;
}

void ck_bert_pack(const float *w, int out, int in, float *packed) {
    int panels = (out + PANEL - 1) / PANEL;
    for (int p = 0; p < panels; p++) {
        float *dst = packed + (size_t)p * PANEL * in;
        for (int k = 0; k < in; k++) {
            for (int j = 0; j < PANEL; j++) {
                int o = p * PANEL + j;
                dst[(size_t)k * PANEL + j] = o < out ? w[(size_t)o * in + k] : 0.0f;
            }
        }
    }
}

static void linear_scalar(const float *x, size_t ldx, int rows, const float *packed, const float *bias,
                          int out, int in, float *y, size_t ldy) {
    int panels = (out + PANEL - 1) / PANEL;
    for (int p = 0; p < panels; p++) {
        const float *wp = packed + (size_t)p * PANEL * in;
        int cols = out - p * PANEL < PANEL ? out - p * PANEL : PANEL;
        for (int r = 0; r < rows; r++) {
            const float *xr = x + (size_t)r * ldx;
            for (int j = 0; j < cols; j++) {
                float acc = 0.0f;
                for (int k = 0; k < in; k++) acc = fmaf(xr[k], wp[(size_t)k * PANEL + j], acc);
                y[(size_t)r * ldy + p * PANEL + j] = acc + bias[p * PANEL + j];
            }
        }
    }
}

#if defined(__x86_64__)
/* One tile: R rows (a compile-time constant after inlining, so the 2·R accumulators stay in
 * registers) by one panel of 16 outputs, of which `cols` are stored. */
__attribute__((target("avx2,fma"), always_inline)) static inline void
tile_avx2(const int R, const float *x, size_t ldx, const float *wp, int in, const float *bias, int cols,
          float *y, size_t ldy) {
    __m256 acc[TILE_ROWS][2];
    for (int r = 0; r < R; r++) {
        acc[r][0] = _mm256_setzero_ps();
        acc[r][1] = _mm256_setzero_ps();
    }
    for (int k = 0; k < in; k++) {
        __m256 w0 = _mm256_loadu_ps(wp + (size_t)k * PANEL);
        __m256 w1 = _mm256_loadu_ps(wp + (size_t)k * PANEL + 8);
        for (int r = 0; r < R; r++) {
            __m256 xv = _mm256_broadcast_ss(x + (size_t)r * ldx + k);
            acc[r][0] = _mm256_fmadd_ps(xv, w0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(xv, w1, acc[r][1]);
        }
    }
    float b[PANEL];
    for (int j = 0; j < PANEL; j++) b[j] = j < cols ? bias[j] : 0.0f;
    __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
    for (int r = 0; r < R; r++) {
        __m256 v0 = _mm256_add_ps(acc[r][0], b0), v1 = _mm256_add_ps(acc[r][1], b1);
        float *yr = y + (size_t)r * ldy;
        if (cols == PANEL) {
            _mm256_storeu_ps(yr, v0);
            _mm256_storeu_ps(yr + 8, v1);
        } else {
            float tmp[PANEL];
            _mm256_storeu_ps(tmp, v0);
            _mm256_storeu_ps(tmp + 8, v1);
            memcpy(yr, tmp, sizeof(float) * (size_t)cols);
        }
    }
}

__attribute__((target("avx2,fma"))) static void
linear_avx2(const float *x, size_t ldx, int rows, const float *packed, const float *bias, int out, int in,
            float *y, size_t ldy) {
    int panels = (out + PANEL - 1) / PANEL;
    for (int p = 0; p < panels; p++) {
        const float *wp = packed + (size_t)p * PANEL * in;
        int cols = out - p * PANEL < PANEL ? out - p * PANEL : PANEL;
        const float *bp = bias + p * PANEL;
        float *yp = y + p * PANEL;
        int r = 0;
        for (; r + TILE_ROWS <= rows; r += TILE_ROWS)
            tile_avx2(TILE_ROWS, x + (size_t)r * ldx, ldx, wp, in, bp, cols, yp + (size_t)r * ldy, ldy);
        const float *xr = x + (size_t)r * ldx;
        float *yr = yp + (size_t)r * ldy;
        switch (rows - r) {
        case 5: tile_avx2(5, xr, ldx, wp, in, bp, cols, yr, ldy); break;
        case 4: tile_avx2(4, xr, ldx, wp, in, bp, cols, yr, ldy); break;
        case 3: tile_avx2(3, xr, ldx, wp, in, bp, cols, yr, ldy); break;
        case 2: tile_avx2(2, xr, ldx, wp, in, bp, cols, yr, ldy); break;
        case 1: tile_avx2(1, xr, ldx, wp, in, bp, cols, yr, ldy); break;
        default: break;
        }
    }
}

static int bert_avx2 = -1;

static int use_avx2(void) {
    if (bert_avx2 < 0) {
        __builtin_cpu_init();
        bert_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return bert_avx2;
}
#endif

void ck_bert_linear_isa(int level, const float *x, size_t ldx, int rows, const float *packed, const float *bias,
                        int out, int in, float *y, size_t ldy) {
    if (rows <= 0 || out <= 0 || in <= 0) return;
#if defined(__x86_64__)
    if (level != 1 && use_avx2()) {
        linear_avx2(x, ldx, rows, packed, bias, out, in, y, ldy);
        return;
    }
#endif
    linear_scalar(x, ldx, rows, packed, bias, out, in, y, ldy);
}

void ck_bert_linear(const float *x, size_t ldx, int rows, const float *packed, const float *bias,
                    int out, int in, float *y, size_t ldy) {
    ck_bert_linear_isa(0, x, ldx, rows, packed, bias, out, in, y, ldy);
}
