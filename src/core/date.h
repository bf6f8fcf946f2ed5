// Calendar dates (ISO 8601, proleptic Gregorian) as a small value type.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace poles {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  auto operator<=>(const Date&) const = default;

  // Parses "YYYY-MM-DD". Returns nullopt on a malformed or impossible date.
  static std::optional<Date> parse(std::string_view text);
  // Days since 1970-01-01 (negative before).
  int64_t to_days() const;
  static Date from_days(int64_t days);
  std::string to_string() const;
};

bool is_leap_year(int year);
// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_timestamp();
// The same with milliseconds ("2026-11-29T06:22:53.123Z"): for rows listed newest first, whose
// order must not depend on two being made within one second.
std::string utc_timestamp_millis();
// Current UTC date.
Date today_utc();
int days_in_month(int year, int month);

}  // namespace poles
