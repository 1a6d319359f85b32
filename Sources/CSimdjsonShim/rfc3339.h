#ifndef DRIFTD_SHIM_RFC3339_H
#define DRIFTD_SHIM_RFC3339_H

#include <cstdint>
#include <string_view>

namespace driftd_shim {

/// Earliest accepted event time: 0001-01-01T00:00:00Z in epoch milliseconds.
constexpr int64_t kMinTimestampMs = -62135596800000LL;
/// Latest accepted event time: 9999-12-31T23:59:59.999Z in epoch milliseconds.
constexpr int64_t kMaxTimestampMs = 253402300799999LL;

/// Parses an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`,
/// `T`/`t`/space separator, `Z`/`z`) into epoch milliseconds. The fraction may have
/// any number of digits and is truncated to milliseconds; second 60 (leap second)
/// is accepted and counts as the first second of the next minute. Returns false on
/// any syntax or range error, or a result outside [kMinTimestampMs, kMaxTimestampMs].
bool parse_rfc3339_ms(std::string_view text, int64_t &out_ms) noexcept;

}  // namespace driftd_shim

#endif
