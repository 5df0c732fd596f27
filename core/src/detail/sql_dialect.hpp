#pragma once
/// The few SQL building blocks whose spelling differs between engines. Everything the compiler
/// writes goes through them, so one model text gives the same arithmetic on every engine: doubles
/// typed as doubles (never decimals), ASCII-only lowering, regular expressions kept to the subset
/// every engine reads (classes, ranges, \xHH, counted repeats, alternation, ^ and $).

#include <cstdint>
#include <string>
#include <string_view>

#include "leadscore/sql_export.hpp"

namespace leadscore::detail {

class SqlDialectWriter {
 public:
  explicit SqlDialectWriter(SqlDialect dialect) : d_(dialect) {}
  SqlDialect id() const noexcept { return d_; }

  /// A quoted identifier.
  std::string ident(std::string_view name) const;
  /// A text literal (any bytes but NUL; control characters spelled so every engine reads them).
  std::string text(std::string_view value) const;
  /// A double literal with the exact bits of `value`.
  std::string number(double value) const;
  /// A regular expression literal (the pattern in the shared subset).
  std::string regex_literal(std::string_view pattern) const;

  std::string cast_text(const std::string& e) const;
  std::string cast_double(const std::string& e) const;
  std::string cast_bigint(const std::string& e) const;
  /// Lowers ASCII letters only (as the core does: "É" stays "É").
  std::string lower_ascii(const std::string& e) const;
  /// Characters of `set` (a literal) removed from both ends, the start, or the end.
  std::string trim_chars(const std::string& e, const std::string& set) const;
  std::string ltrim_chars(const std::string& e, const std::string& set) const;
  std::string rtrim_chars(const std::string& e, const std::string& set) const;
  std::string length(const std::string& e) const;
  std::string byte_length(const std::string& e) const;
  /// 1-based position of `needle` in `e`, 0 when absent.
  std::string position(const std::string& e, const std::string& needle) const;
  std::string substr(const std::string& e, const std::string& start) const;
  std::string substr(const std::string& e, const std::string& start, const std::string& count) const;
  /// True when `e` matches `pattern` somewhere (the pattern anchors itself with ^ and $).
  std::string matches(const std::string& e, std::string_view pattern) const;
  /// 1 or 0 for a condition.
  std::string to_int(const std::string& condition) const;
  /// Truncation toward zero of a double (the result stays a whole double or an integer).
  std::string trunc(const std::string& e) const;
  /// Whole-number quotient and remainder of two non-negative integers.
  std::string div(const std::string& a, const std::string& b) const;
  std::string mod(const std::string& a, const std::string& b) const;
  /// 2^e for a whole e in [-1000, 0], exact.
  std::string power_of_two(const std::string& e) const;
  /// The current date as days since 1970-01-01.
  std::string today_days() const;
  /// A date as days since 1970-01-01, and a timestamp's date (no time zone applied).
  std::string days_since_epoch(const std::string& date) const;
  std::string cast_date(const std::string& e) const;

 private:
  SqlDialect d_;
};

}  // namespace leadscore::detail
