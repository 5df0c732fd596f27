#pragma once
/// Cell values as users write them: "1,200", "1.200,5", "51-200", "More than 10,000", "yes", "x",
/// "03/14/2025", "14.03.2025 10:30", "N/A". Every parser returns nothing rather than guess.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace leadscore {

/// trim() for a text that may start or end with a space (the slow part, out of line).
std::string_view trim_spaces(std::string_view text) noexcept;
/// ASCII whitespace and no-break spaces trimmed from both ends.
inline std::string_view trim(std::string_view text) noexcept {
  // Most cells start and end with a printable ASCII byte: nothing to trim (inline: every cell asks).
  if (text.empty() || (static_cast<unsigned char>(text.front()) - 0x21u < 0x5Eu &&
                       static_cast<unsigned char>(text.back()) - 0x21u < 0x5Eu)) {
    return text;
  }
  return trim_spaces(text);
}
/// An ASCII letter lowered; any other byte (UTF-8 too) as it is. Branch-free: loops over text
/// with it vectorise.
constexpr char lower_ascii(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return static_cast<char>(u | (static_cast<unsigned>(u - 'A') < 26u) << 5);
}
/// ASCII letters lowered; other bytes (UTF-8) unchanged.
std::string to_lower_ascii(std::string_view text);
/// The same, appended to `out`.
void append_lower_ascii(std::string_view text, std::string& out);
/// Case-insensitive (ASCII) equality.
bool equals_ci(std::string_view a, std::string_view b) noexcept;
/// Lowercase ASCII letters and digits only: "No. of Employees" -> "noofemployees".
std::string normalize_key(std::string_view text);

/// A number or a range of numbers. A plain number has low == high.
struct Quantity {
  double low = 0;
  double high = 0;  ///< +infinity for open ranges ("10000+", "More than 10,000")
  /// The value rules compare: the midpoint of a closed range, the bound of an open one.
  double value() const noexcept;
};

/// A number: "1,200", "1.200,5", "1 200", "$1.5M", "12%", "1.2E+05", "-3". Grouping must be regular
/// ("1,2,3" is not a number). A single comma followed by exactly three digits groups thousands; a
/// single dot is a decimal point, except in "5.000" and in ranges ("1.001-5.000", "10.000+").
std::optional<double> parse_number(std::string_view text) noexcept;
/// A number, a range ("51-200", "1,001-5,000", "$1M-$5M", "10000+", "More than 10,000",
/// "Less than 10"), a duration ("2:35" or "1:02:03", in seconds), or a boolean word (yes = 1, no = 0).
std::optional<Quantity> parse_quantity(std::string_view text) noexcept;
/// yes/no, true/false, 1/0, y/n, x, checked/unchecked, on/off (and ja/nein, oui/non, si);
/// other numbers are true when above zero.
std::optional<bool> parse_bool(std::string_view text) noexcept;

/// Most numbers and words a date may have ("Fri, 14th of March 2025 10:00 GMT" has six).
inline constexpr int kMaxDateTokens = 8;
/// Days since 1970-01-01 of a date written as ISO `2025-03-14` (time and zone ignored),
/// `03/14/2025` (US; day first when the first number is above 12), `14.03.2025` or `14-03-2025`
/// (day first), with month names (`14 Mar 2025`, `March 14, 2025`), or as Unix seconds/milliseconds.
std::optional<std::int32_t> parse_date(std::string_view text) noexcept;
/// Days since 1970-01-01 of a calendar date, if it exists.
std::optional<std::int32_t> days_from_civil(int year, int month, int day) noexcept;
/// "YYYY-MM-DD" of a day number.
std::string format_date(std::int32_t days);
/// Today as days since 1970-01-01 (UTC).
std::int32_t today_days();

/// Placeholders that mean "no value", compared case-insensitively after trimming.
class MissingValues {
 public:
  /// The built-in list: "", select, n/a, na, #n/a, -, --, unknown, null, nil, none, not provided...
  MissingValues();
  explicit MissingValues(std::vector<std::string> words);
  bool is_missing(std::string_view cell) const;
  /// The placeholders, lowercase and trimmed, sorted.
  std::vector<std::string> words() const;

 private:
  std::unordered_set<std::string> lookup_;  // lowercase, trimmed
  std::size_t longest_ = 0;
  bool first_bytes_[256] = {};  // first bytes of the words, lowercase: a quick "cannot be missing"
};

/// The domain of an email address ("Jane <JANE@Acme.COM>" -> "acme.com"), or of a website URL
/// ("https://www.acme.com/about" -> "acme.com"); empty when there is none.
std::string domain_of(std::string_view email_or_url);
/// A byte of a word, for phrases: a lowercase ASCII letter, a digit, or a byte of UTF-8.
constexpr bool is_word_byte(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}
/// `needle` (lowercase) in `haystack` (lowercase) on word boundaries: "vp" is in "vp sales", not in "mvp".
bool contains_phrase(std::string_view haystack, std::string_view needle);

/// domain_of, appended to `out` (no allocation when `out` has room).
void append_domain(std::string_view email_or_url, std::string& out);
/// Where domain_of's domain is in `email_or_url`, as written (not lowered); empty when there is none.
std::string_view domain_part(std::string_view email_or_url);
/// A plausible email address: one @, no spaces, a dotted domain with a 2+ letter top level.
bool is_valid_email(std::string_view text) noexcept;
/// The domain of a valid email address as written (domain_part's, in one pass); empty when `text`
/// is not one.
std::string_view valid_email_domain(std::string_view text) noexcept;

/// Built-in domain lists a model can name: "@free_mail", "@disposable".
const std::vector<std::string>* builtin_domain_list(std::string_view name) noexcept;

}  // namespace leadscore
