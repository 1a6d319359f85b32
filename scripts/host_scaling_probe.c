/*
 * host_scaling_probe: how much of two cores this machine gives, for SIMD work and for scalar work.
 *
 * `make host-probe` builds and runs it. Nothing of driftd is involved: plain pthreads, private data
 * per thread, no shared writes. Each round times, back to back:
 *   - simd:   the compare-all-edges bin count of BinCounter (AVX2, 11 edges, 4 sub-histograms) over
 *             50,000 doubles x 40 passes, on one thread, then on two threads at once;
 *   - scalar: a dependent integer multiply-add chain (one ALU, no memory), one thread then two.
 * Scaling is 2 x (one-thread time) / (two-thread time): 2.0 means two full cores.
 *
 * docs/performance.md ("Dispatch") reads the result: on the development host the scalar chain
 * scaled with medians of 1.97-1.99 and a steady one-thread time (single rounds down to 1.17),
 * while the SIMD kernel's one-thread time (4.4-9.5 ms) and its scaling (0.95-2.24) swung between
 * rounds, so the host's vector throughput is what varies most.
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { LENGTH = 50000, PASSES = 40, ROUNDS = 30, EDGES = 11 };

static const double edges[EDGES] = {-2, -1.5, -1, -0.6, -0.3, 0, 0.3, 0.6, 1, 1.5, 2};
static double *data[2];

typedef struct {
    int id;
    long result;
} worker_t;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *simd_bins(void *argument) {
    worker_t *worker = argument;
    const double *values = data[worker->id];
    int counts[4][EDGES + 2] = {{0}};
    for (int pass = 0; pass < PASSES; pass++) {
        for (int i = 0; i + 4 <= LENGTH; i += 4) {
            __m256d v = _mm256_loadu_pd(values + i);
            __m256i bins = _mm256_setzero_si256();
            for (int k = 0; k < EDGES; k++) {
                __m256d edge = _mm256_set1_pd(edges[k]);
                bins = _mm256_sub_epi64(bins, _mm256_castpd_si256(_mm256_cmp_pd(edge, v, _CMP_LE_OQ)));
            }
            long long lanes[4];
            _mm256_storeu_si256((__m256i *)lanes, bins);
            for (int lane = 0; lane < 4; lane++) counts[lane][lanes[lane]]++;
        }
    }
    long sum = 0;
    for (int lane = 0; lane < 4; lane++)
        for (int b = 0; b < EDGES + 2; b++) sum += (long)counts[lane][b] * b;
    worker->result = sum;
    return NULL;
}

static void *scalar_chain(void *argument) {
    worker_t *worker = argument;
    unsigned long x = (unsigned long)worker->id + 1;
    for (long i = 0; i < 6000000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
    worker->result = (long)x;
    return NULL;
}

static double timed(void *(*body)(void *), int threads) {
    pthread_t handles[2];
    worker_t workers[2] = {{0, 0}, {1, 0}};
    double start = now();
    for (int t = 0; t < threads; t++) pthread_create(&handles[t], NULL, body, &workers[t]);
    for (int t = 0; t < threads; t++) pthread_join(handles[t], NULL);
    return now() - start;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void summary(const char *name, double *scaling, double *single) {
    qsort(scaling, ROUNDS, sizeof(double), ascending);
    qsort(single, ROUNDS, sizeof(double), ascending);
    printf("%-6s scaling: median %.2f, quartiles %.2f-%.2f, range %.2f-%.2f; one-thread time %.1f-%.1f ms\n",
           name, scaling[ROUNDS / 2], scaling[ROUNDS / 4], scaling[3 * ROUNDS / 4], scaling[0],
           scaling[ROUNDS - 1], single[0] * 1e3, single[ROUNDS - 1] * 1e3);
}

int main(void) {
    srand(7);
    for (int t = 0; t < 2; t++) {
        data[t] = aligned_alloc(64, LENGTH * sizeof(double));
        if (!data[t]) return 1;
        for (int i = 0; i < LENGTH; i++) data[t][i] = (rand() / (double)RAND_MAX) * 5 - 2.5;
    }
    double simd[ROUNDS], simd_single[ROUNDS], scalar[ROUNDS], scalar_single[ROUNDS];
    timed(simd_bins, 2);  // warm up: page in, wake both cores
    for (int r = 0; r < ROUNDS; r++) {
        double s1 = timed(simd_bins, 1), s2 = timed(simd_bins, 2);
        double c1 = timed(scalar_chain, 1), c2 = timed(scalar_chain, 2);
        simd[r] = 2 * s1 / s2;
        simd_single[r] = s1;
        scalar[r] = 2 * c1 / c2;
        scalar_single[r] = c1;
        printf("round %2d: simd %.2f (one thread %.1f ms), scalar %.2f (one thread %.1f ms)\n", r + 1, simd[r],
               s1 * 1e3, scalar[r], c1 * 1e3);
    }
    summary("simd", simd, simd_single);
    summary("scalar", scalar, scalar_single);
    return 0;
}
