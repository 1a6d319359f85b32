#ifndef DRIFTD_BENCH_ALLOCATOR_STATS_H
#define DRIFTD_BENCH_ALLOCATOR_STATS_H

#include <stddef.h>

/// Bytes the allocator has handed out and not taken back (glibc mallinfo2: uordblks + hblkhd);
/// -1 where the C library has no mallinfo2.
long long driftd_bench_heap_in_use(void);

/// Returns free heap memory to the kernel (glibc malloc_trim); no effect elsewhere.
void driftd_bench_heap_trim(void);

#endif
