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

/* ck_attention over an f16 KV cache (the fast precision keeps keys and values in f16, as llama.cpp
 * does): the same steps, each key and value element converted to f32 as it is read. */
void ck_attention_f16(const float *q, const uint16_t *k, const uint16_t *v, size_t kv_stride, int n_keys,
                      int n_heads, int n_kv_heads, int hd, float scale, int h0, int h1,
                      float *out, float *scores);

/* Causal attention for `rows` consecutive positions of one sequence and the query heads of kv head
 * g: query row r (q + r * q_stride) has n_keys = first_keys + r; output row r goes to
 * out + r * out_stride. k and v are f32 or (kv_f16) f16. Each (row, head) gets bit for bit what
 * ck_attention / ck_attention_f16 gives it; rows and heads are only blocked to share key and value
 * loads. scores holds 16 * (first_keys + rows) floats. */
void ck_attention_rows(const float *q, size_t q_stride, int rows, int first_keys, const void *k, const void *v,
                       int kv_f16, size_t kv_stride, int n_heads, int n_kv_heads, int hd, float scale, int g,
                       float *out, size_t out_stride, float *scores);

/* out[i] = (half)x[i], round to nearest even. */
void ck_f32_to_f16_row(const float *x, uint16_t *out, int n);

/* Hands whole free pages inside the malloc heap back to the system (glibc malloc_trim; a no-op
 * elsewhere). Loading a model frees many parse-time blocks that would otherwise stay resident. */
void ck_trim_heap(void);

/* C = alpha*op(A)*op(B) + beta*C on row-major matrices (op(A) m x k, op(B) k x n, C m x n; a
 * transpose flag of 1 means the stored matrix is op's transpose). The fallback when OpenBLAS cannot
 * be loaded: one float accumulation per output in k order, no blocking. Matches: CBLAS sgemm. */
void ck_sgemm_reference(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                        const float *b, int ldb, float beta, float *c, int ldc);

/* ---- Quantized activations (the fast path, as llama.cpp computes) ----
 * An activation row is quantized once to int8 blocks of 32 (CK_ACT_BLOCK_BYTES each: f32 d, f32 s,
 * int32 sum, 4 spare bytes, 32 int8 q; d = fp16(amax / 127), q = round-half-even(x * 127 / amax),
 * sum = sum q, s = fp16(unrounded d * sum)), the values ggml's quantize_row_q8_1 produces. Weights
 * of the types ck_q8_supported accepts are packed once (ck_pack_q8) and multiplied with integer
 * dot products per block. */
#define CK_ACT_BLOCK_BYTES 48

/* Quantizes m rows of k floats (k % 32 == 0, row stride ldx) into m * k / 32 blocks at out,
 * row after row. */
void ck_quantize_rows_q8(const float *x, size_t ldx, int k, int m, void *out);

/* Whether the int8 kernels multiply weights of this type (Q4_0, Q4_1, Q8_0). */
int ck_q8_supported(int dtype);

/* Packed weights: rows in groups of 8 (the last group padded with zero rows), each group's blocks
 * in order; a group-block holds the 8 rows' fp16 scales (and Q4_1 mins), then their quants
 * interleaved 4 bytes per row (quant bytes 4t..4t+3 of rows 0..7, for t = 0, 1, ...), so one
 * 32-byte load feeds 8 rows. Bytes of a packed matrix of `rows` x k (0 if the type has no int8
 * kernel or k % 32 != 0). */
size_t ck_packed_q8_bytes(int dtype, int rows, int k);

/* Packs groups [g0, g1) of a row-major matrix of `rows` rows (row_bytes apart) into `packed`
 * (the whole matrix's packed buffer). */
void ck_pack_q8(int dtype, const void *w, size_t row_bytes, int k, int rows, int g0, int g1, void *packed);

/* Row `row` of a packed matrix as k floats, bit-identical to ck_dequantize_row on the stored row
 * (a tied embedding is looked up in its packed copy once the stored pages are released). */
void ck_packed_q8_dequantize_row(int dtype, const void *packed, int k, int row, float *out);

/* y[j * ldy + r] = dot(row r of the packed W, activation row j) for the rows of groups [g0, g1)
 * that are below `rows`, j in [0, m); xq holds m rows of k / 32 blocks from ck_quantize_rows_q8.
 * Per (r, j): per block, the exact integer sum of q_w * q_x (for Q4_0, sum (q_w - 8) q_x) is
 * accumulated as acc = fma(d_w * d_x, sum, acc) in block order; Q4_1 adds the separately summed
 * mins = fma(m_w, s_x, mins) at the end. The same operations run whatever m, g0, g1, the tiling or
 * the instruction set (level as in ck_matmul_isa), so every path gives bit-identical results. */
void ck_matmul_q8_isa(int level, int dtype, const void *packed, int k, int rows, const void *xq, int m,
                      float *y, size_t ldy, int g0, int g1);

/* gate[i] = silu(gate[i]) * up[i] for n elements (vectorized exp; same value per element
 * whatever n). */
void ck_silu_mul(float *gate, const float *up, int n);

/* x[i] = (float)(half)x[i], round to nearest even: llama.cpp keeps keys and values (and the
 * queries it multiplies with them) in f16; the fast precision rounds them the same way. */
void ck_round_to_f16(float *x, int n);

/* Dot product of two f32 vectors with the dispatcher's fixed order (used by norms and tests). */
float ck_dot_f32(const float *a, const float *b, int n);

/* ---- BERT (encoder dense layers; Sources/CKernels/bert_gemm.c) ---- */

/* Floats needed to pack a [out, in] row-major weight: out rounded up to 16, times in. */
size_t ck_bert_packed_count(int out, int in);

/* Packs W [out, in] (row-major, PyTorch nn.Linear layout) into panels of 16 outputs. */
void ck_bert_pack(const float *w, int out, int in, float *packed);

/* y[r * ldy + o] = sum_k x[r * ldx + k] * W[o, k] + bias[o] for r < rows, o < out, with W packed
 * by ck_bert_pack. Each output sums its k terms with fused multiply-adds in k order and adds the
 * bias last, whatever rows or the instruction set, so results are bit-identical across batch
 * compositions, chunkings and the scalar/AVX2 paths. x and y must not overlap. */
void ck_bert_linear(const float *x, size_t ldx, int rows, const float *packed, const float *bias,
                    int out, int in, float *y, size_t ldy);

/* ck_bert_linear with a forced path (1 = scalar, 0 = the best the CPU has), for tests. */
void ck_bert_linear_isa(int level, const float *x, size_t ldx, int rows, const float *packed, const float *bias,
                        int out, int in, float *y, size_t ldy);

/* x[i] = x[i]·Φ(x[i]) (exact GELU, erf as Eigen's rational approximation) for n elements. */
void ck_bert_gelu(float *x, size_t n);

/* Floats of scratch ck_bert_attend_head needs for sequences of up to `longest` tokens. */
size_t ck_bert_attention_scratch(int longest, int head_dim);

/* One head of one sequence: out[i, c] = Σ_j softmax_j(scale · q_i·k_j) · v[j, c] for i < len,
 * c < head_dim, where q, k and v rows are `ld` floats apart and out rows `ldo`. keep (len flags,
 * or NULL for all) hides keys: they get weight 0, and a row with none kept gets uniform weights.
 * Inputs must not overlap out or scratch (ck_bert_attention_scratch(len, head_dim) floats). */
void ck_bert_attend_head(const float *q, const float *k, const float *v, size_t ld, int len, int head_dim, float scale,
                         const _Bool *keep, float *scratch, float *out, size_t ldo);

/* x[r] = LayerNorm(x[r] + residual[r]) · gamma + beta for each of `rows` rows of `width` floats
 * (residual may be NULL; biased variance, as nn.LayerNorm). */
void ck_bert_add_layer_norm(float *x, const float *residual, int rows, int width, const float *gamma,
                            const float *beta, float epsilon);

#endif
