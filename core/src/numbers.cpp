#include "leadscore/numbers.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace leadscore {

namespace detail {
[[gnu::noinline]] std::int64_t round_tenths_huge(double v) noexcept {
  return static_cast<std::int64_t>(std::clamp(std::round(v), -4e15, 4e15));
}
}  // namespace detail

double half_life_factor(double x) noexcept {
  if (!(x > 0)) return 1;
  if (x > 1000) return 0;
  const double whole = std::floor(x);
  // 2^-f = e^(-f ln 2) by its Taylor series: only + and *, so every platform gets the same bits.
  const double y = -(x - whole) * 0.6931471805599453;
  double term = 1, sum = 1;
  for (int k = 1; k < 24; ++k) {
    term *= y / k;
    sum += term;
  }
  return std::ldexp(sum, -static_cast<int>(whole));
}

char* write_decimal(char* out, double value, bool sign, bool trim_zero) noexcept {
  // From whole tenths with integer arithmetic: no printf, the same text on every platform.
  std::int64_t tenths = round_tenths(value);
  char buffer[24];
  char* p = buffer + sizeof buffer;  // written backwards
  const bool negative = tenths < 0;
  if (negative) tenths = -tenths;
  if (!trim_zero || tenths % 10 != 0) {
    *--p = static_cast<char>('0' + tenths % 10);
    *--p = '.';
  }
  std::int64_t whole = tenths / 10;
  do {
    *--p = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole > 0);
  if (negative) {
    *--p = '-';
  } else if (sign && tenths > 0) {
    *--p = '+';
  }
  const auto size = static_cast<std::size_t>(buffer + sizeof buffer - p);
  std::memcpy(out, p, size);
  return out + size;
}

char* write_points(char* out, double points) noexcept {
  if (round1(points) != 0) return write_decimal(out, points, true);
  *out = '0';
  return out + 1;
}

namespace {

template <class Write>
std::string format_with(Write&& write) {
  char buffer[24];
  return std::string(buffer, write(buffer));
}

}  // namespace

char* write_score(char* out, double score) noexcept { return write_decimal(out, score, false, false); }

std::string format_score(double score) {
  return format_with([&](char* out) { return write_score(out, score); });
}

std::string format_points(double points) {
  return format_with([&](char* out) { return write_points(out, points); });
}

std::string format_number(double value) {
  return format_with([&](char* out) { return write_decimal(out, value, false); });
}

}  // namespace leadscore
