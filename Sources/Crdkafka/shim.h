// Umbrella header for the system librdkafka (Debian librdkafka-dev 2.0.2).
// Only the DriftKafka module imports this.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
// malloc_trim (AllocatorTrim): returns the pages glibc keeps free after librdkafka's prefetch
// buffers were released.
#include <malloc.h>
