#pragma once
/// Numbers as every score is computed and shown: whole tenths, rounded half away from zero, and
/// the decay curve, computed identically on every platform.

#include <cstdint>
#include <string>

namespace leadscore {

namespace detail {
std::int64_t round_tenths_huge(double v) noexcept;
}  // namespace detail

/// `x` in whole tenths, rounded half away from zero. The nudge puts 61.7499999 (61.75 after binary
/// representation error) at 61.8, as by hand.
inline std::int64_t round_tenths(double x) noexcept {
  const double v = x * 10 * (1 + 1e-12);
  if (!(v < 4e15 && v > -4e15)) return detail::round_tenths_huge(v);
  // Like std::round, without a libm call: truncation and its remainder are exact here.
  const auto whole = static_cast<std::int64_t>(v);
  const double rest = v - static_cast<double>(whole);
  return rest >= 0.5 ? whole + 1 : rest <= -0.5 ? whole - 1 : whole;
}

/// Rounds to one decimal, the precision every score is shown and compared at.
inline double round1(double x) noexcept { return static_cast<double>(round_tenths(x)) / 10; }

/// 2^(-x) for x >= 0, computed the same way on every platform (no libm differences).
double half_life_factor(double x) noexcept;

/// `value` at one decimal, written at `out` (at most 24 bytes): "12.0", "-7.5"; with `sign` a
/// leading "+" for positives; with `trim_zero` "12" rather than "12.0". Returns the end.
char* write_decimal(char* out, double value, bool sign, bool trim_zero = true) noexcept;
/// "+12", "-7.5", "0" at `out`; returns the end.
char* write_points(char* out, double points) noexcept;
/// "+12", "-7.5", "0".
std::string format_points(double points);
/// One decimal when it is not zero: "12", "7.5", "-3".
std::string format_number(double value);
/// A score with exactly one decimal: "80.9", "0.0".
std::string format_score(double score);
/// The same text written at `out` (at most 24 bytes); returns its end.
char* write_score(char* out, double score) noexcept;

}  // namespace leadscore
