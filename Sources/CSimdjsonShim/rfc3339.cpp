#include "rfc3339.h"

namespace driftd_shim {
namespace {

/// Reads exactly `count` ASCII digits at `pos`; false if any is not a digit.
bool read_digits(std::string_view s, size_t pos, size_t count, int &value) noexcept {
    if (pos + count > s.size()) return false;
    int v = 0;
    for (size_t i = 0; i < count; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    value = v;
    return true;
}

bool is_leap_year(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) noexcept {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap_year(y)) ? 29 : days[m - 1];
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

bool parse_rfc3339_ms(std::string_view s, int64_t &out_ms) noexcept {
    int year, month, day, hour, minute, second;
    // date-fullyear "-" date-month "-" date-mday
    if (!read_digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-') return false;
    if (!read_digits(s, 5, 2, month) || s[7] != '-') return false;
    if (!read_digits(s, 8, 2, day)) return false;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
    if (!read_digits(s, 11, 2, hour) || s[13] != ':') return false;
    if (!read_digits(s, 14, 2, minute) || s[16] != ':') return false;
    if (!read_digits(s, 17, 2, second)) return false;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return false;
    if (hour > 23 || minute > 59 || second > 60) return false;

    size_t pos = 19;
    int64_t millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        const size_t start = pos;
        int scale = 100;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (scale > 0) {
                millis += (s[pos] - '0') * scale;
                scale /= 10;
            }
            ++pos;
        }
        if (pos == start) return false;  // "." without digits
    }

    int64_t offset_minutes = 0;
    if (pos >= s.size()) return false;  // the offset is mandatory
    const char zone = s[pos];
    if (zone == 'Z' || zone == 'z') {
        ++pos;
    } else if (zone == '+' || zone == '-') {
        int oh, om;
        if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':') return false;
        if (!read_digits(s, pos + 4, 2, om)) return false;
        if (oh > 23 || om > 59) return false;
        offset_minutes = (oh * 60 + om) * (zone == '-' ? -1 : 1);
        pos += 6;
    } else {
        return false;
    }
    if (pos != s.size()) return false;

    const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    const int64_t result = seconds * 1000 + millis;
    if (result < kMinTimestampMs || result > kMaxTimestampMs) return false;
    out_ms = result;
    return true;
}

}  // namespace driftd_shim
