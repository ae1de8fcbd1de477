#ifndef CKERNELS_H
#define CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/* Name of the instruction set the runtime dispatcher chose: "avx512", "avx2" or "scalar". */
const char *ck_isa(void);

/* Whether the CPU can run instruction set `level`: 1 = scalar, 2 = avx2, 3 = avx512. */
int ck_isa_supported(int level);

/* Stored element/block types; the values are the engine's own (not ggml's ids). */
enum {
    CK_F32 = 0, CK_F16 = 1, CK_BF16 = 2, CK_Q8_0 = 3, CK_Q4_0 = 4, CK_Q4_1 = 5,
    CK_Q5_0 = 6, CK_Q5_1 = 7, CK_Q4_K = 8, CK_Q5_K = 9, CK_Q6_K = 10
};

/* Dequantizes one row of n elements (n a multiple of the type's block size). */
void ck_dequantize_row(int dtype, const void *src, float *dst, int n);

/* y[j * ldy + r] = dot(row r of W, x + j * ldx) for r in [r0, r1) and j in [0, m).
 * W rows are row_bytes apart; k is the row length in elements. Each (r, j) result is computed
 * with the same operations in the same order whatever m, r0, r1 or the tiling, so a row's result
 * never depends on batch size or thread split. scratch holds at least 4 * k floats (used by
 * types that are dequantized to f32 first). */
void ck_matmul(int dtype, const void *w, size_t row_bytes, int k,
               const float *x, size_t ldx, int m, float *y, size_t ldy,
               int r0, int r1, float *scratch);

/* ck_matmul with an explicit instruction set (0 = the dispatcher's choice), for tests comparing
 * paths; a level the CPU lacks falls back to the dispatcher's choice. */
void ck_matmul_isa(int level, int dtype, const void *w, size_t row_bytes, int k,
                   const float *x, size_t ldx, int m, float *y, size_t ldy,
                   int r0, int r1, float *scratch);

/* Causal attention for one query position and a range of heads:
 * out[h*hd..] = softmax(scale * q_h . k_j, j < n_keys) . v_j, with GQA (head h reads kv head
 * h / (n_heads / n_kv_heads)). k and v rows are kv_stride floats apart. scores holds n_keys
 * floats. Fixed order per (query, head). */
void ck_attention(const float *q, const float *k, const float *v, size_t kv_stride, int n_keys,
                  int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                  float *out, float *scores);

/* Dot product of two f32 vectors with the dispatcher's fixed order (used by norms and tests). */
float ck_dot_f32(const float *a, const float *b, int n);

#endif
