#include "leadscore/values.hpp"

#include "leadscore/value_words.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <limits>

namespace leadscore {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool starts_with_ci(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && equals_ci(s.substr(0, prefix.size()), prefix);
}
bool ends_with_ci(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && equals_ci(s.substr(s.size() - suffix.size()), suffix);
}

// No-break space (U+00A0), narrow no-break space (U+202F) and the thin space (U+2009): thousands
// separators in French and other locales, and stray padding anywhere.
constexpr std::string_view kNbsp = "\xC2\xA0";
constexpr std::string_view kNarrowNbsp = "\xE2\x80\xAF";
constexpr std::string_view kThinSpace = "\xE2\x80\x89";

/// Length of a space-like sequence at the start of `s` (0 when none).
std::size_t space_at(std::string_view s) noexcept {
  if (s.empty()) return 0;
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n' || s[0] == '\f' || s[0] == '\v') return 1;
  for (std::string_view sp : {kNbsp, kNarrowNbsp, kThinSpace}) {
    if (s.substr(0, sp.size()) == sp) return sp.size();
  }
  return 0;
}

/// Strips currency marks and codes from either end.
std::string_view strip_currency(std::string_view s) noexcept {
  for (bool changed = true; changed;) {
    changed = false;
    for (std::string_view mark : value_words::kCurrencies) {
      if (starts_with_ci(s, mark)) {
        s = trim(s.substr(mark.size()));
        changed = true;
      }
      if (ends_with_ci(s, mark)) {
        s = trim(s.substr(0, s.size() - mark.size()));
        changed = true;
      }
    }
  }
  return s;
}

/// A scale word after a number: "k", "M", "mm", "bn", "million"...
std::optional<double> scale_suffix(std::string_view s) noexcept {
  s = trim(s);
  if (s.empty()) return 1.0;
  for (const auto& scale : value_words::kScales) {
    if (equals_ci(s, scale.word)) return scale.factor;
  }
  return std::nullopt;
}

/// 10^n for n <= 22, exact (literals, not libm, so every platform gets the same bits).
double power_of_ten(int n) noexcept {
  static constexpr double kExact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  return kExact[n];
}

/// Digits with at most one kind of grouping and one decimal mark -> value. Handles the locale
/// guesswork: "1,200" = 1200, "1,5" = 1.5, "1.200,5" = 1200.5, "1 200" = 1200, "1'200" = 1200.
/// A number's digits and marks as written: commas, dots and group spaces with how many digits
/// come before each, and where an exponent starts.
struct NumberText {
  std::string digits;
  std::vector<std::pair<char, std::size_t>> marks;  // (mark, digits before it); ' ' for a group space
  std::size_t exponent_at = std::string_view::npos;
};

/// The digits and marks of `s`; false when it holds anything else.
bool read_number_text(std::string_view s, NumberText& n) {
  std::string& digits = n.digits;
  auto& marks = n.marks;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_digit(c)) {
      digits.push_back(c);
      ++i;
    } else if (c == ',' || c == '.') {
      marks.emplace_back(c, digits.size());
      ++i;
    } else if (c == '\'') {
      marks.emplace_back(' ', digits.size());
      ++i;
    } else if (const std::size_t sp = space_at(s.substr(i)); sp > 0 && !digits.empty()) {
      marks.emplace_back(' ', digits.size());
      i += sp;
    } else if ((c == 'e' || c == 'E') && !digits.empty() && i + 1 < s.size()) {
      n.exponent_at = i;
      break;
    } else {
      return false;
    }
  }
  return true;
}

/// Which mark is the decimal separator (0: none); nothing when the marks cannot be a number's.
std::optional<char> decimal_mark(const NumberText& n, bool dot_groups_thousands) {
  const std::string& digits = n.digits;
  const auto& marks = n.marks;
  char decimal = 0;
  std::size_t commas = 0, dots = 0, spaces = 0;
  for (const auto& mark : marks) {
    commas += mark.first == ',';
    dots += mark.first == '.';
    spaces += mark.first == ' ';
  }
  if (commas > 0 && dots > 0) {
    // The last comma or dot is the decimal mark (a space never is).
    for (auto it = marks.rbegin(); it != marks.rend(); ++it) {
      if (it->first != ' ') {
        decimal = it->first;
        break;
      }
    }
    if ((decimal == ',' ? commas : dots) != 1) return std::nullopt;
  } else if (dots == 1 || commas == 1) {
    // A lone mark before exactly three digits ("1,200", "5.000") may group thousands.
    const char mark = dots == 1 ? '.' : ',';
    std::size_t at = 0;
    for (const auto& m : marks) {
      if (m.first == mark) at = m.second;
    }
    const bool three_after = digits.size() - at == 3 && at >= 1 && at <= 3 && digits[0] != '0' && spaces == 0;
    // A comma there always groups; a dot only in "5.000" or inside a range ("1.001-5.000"):
    // "2.333" pages per visit stays a decimal.
    const bool grouping = three_after && (mark == ',' || dot_groups_thousands || digits.compare(at, 3, "000") == 0);
    decimal = grouping ? 0 : mark;
  }
  return decimal;
}

/// Where the decimal point goes among the digits, once the grouping marks are checked to sit every
/// three digits; nothing when they do not.
std::optional<std::size_t> decimal_position(const NumberText& n, char decimal) {
  std::size_t decimal_pos = n.digits.size();
  std::size_t last_group = std::string::npos;
  for (const auto& mark : n.marks) {
    if (mark.first == decimal) {
      decimal_pos = mark.second;
      continue;
    }
    if (mark.second == 0) return std::nullopt;
    if (last_group == std::string::npos) {
      if (mark.second > 3) return std::nullopt;
    } else if (mark.second - last_group != 3) {
      return std::nullopt;
    }
    last_group = mark.second;
  }
  if (last_group != std::string::npos) {
    const std::size_t end = decimal_pos;
    if (end < last_group || end - last_group != 3) return std::nullopt;
  }
  return decimal_pos;
}

/// `value` times ten to the exponent written in `e` ("+3", "-2"); nothing when it is not one.
std::optional<double> with_exponent(double value, std::string_view e) {
  bool negative = false;
  if (!e.empty() && (e[0] == '+' || e[0] == '-')) {
    negative = e[0] == '-';
    e.remove_prefix(1);
  }
  if (e.empty() || e.size() > 3) return std::nullopt;
  int exponent = 0;
  for (char c : e) {
    if (!is_digit(c)) return std::nullopt;
    exponent = exponent * 10 + (c - '0');
  }
  // Beyond 10^22 a power of ten is not exact: no lead list means such a number.
  if (exponent > 22) return std::nullopt;
  if (value != 0) value = negative ? value / power_of_ten(exponent) : value * power_of_ten(exponent);
  return value;
}

std::optional<double> parse_plain_number(std::string_view s, bool dot_groups_thousands) noexcept {
  NumberText n;
  if (!read_number_text(s, n)) return std::nullopt;
  // More than 15 digits is an id or a phone number, not a quantity (and would not be exact).
  if (n.digits.empty() || n.digits.size() > 15) return std::nullopt;
  const auto decimal = decimal_mark(n, dot_groups_thousands);
  if (!decimal) return std::nullopt;
  const auto decimal_pos = decimal_position(n, *decimal);
  if (!decimal_pos) return std::nullopt;
  const std::string& digits = n.digits;
  // All digits as one integer, then one division by a power of ten: correctly rounded ("0.3" is
  // the double nearest 0.3) while the digits fit in 15 places.
  double value = 0;
  for (char d : digits) value = value * 10 + (d - '0');
  const std::size_t decimals = digits.size() - *decimal_pos;
  if (decimals > 0) value /= power_of_ten(static_cast<int>(decimals));
  if (n.exponent_at != std::string_view::npos) {
    const auto scaled = with_exponent(value, s.substr(n.exponent_at + 1));
    if (!scaled) return std::nullopt;
    value = *scaled;
  }
  // Beyond a double ("1e309", 400 digits): not a number a lead list means.
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

/// A number with sign, currency, percent and a scale word: "-$1.5M", "12 %", "5k".
struct ScaledNumber {
  double value;   ///< scale applied
  double factor;  ///< the scale word's factor, 1 when there is none
};

std::optional<ScaledNumber> parse_scaled_number(std::string_view s, bool in_range = false) noexcept {
  s = trim(s);
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s = trim(s.substr(1));
  }
  s = strip_currency(s);
  if (!s.empty() && s.back() == '%') s = trim(s.substr(0, s.size() - 1));
  std::size_t end = s.size();
  while (end > 0 && is_alpha(s[end - 1])) --end;
  const auto factor = scale_suffix(s.substr(end));
  if (!factor) return std::nullopt;
  const auto value = parse_plain_number(trim(s.substr(0, end)), in_range);
  if (!value) return std::nullopt;
  return ScaledNumber{(negative ? -*value : *value) * *factor, *factor};
}

/// The common case first: a short run of plain digits ("12").
std::optional<double> parse_digits(std::string_view s) noexcept {
  if (s.empty() || s.size() > 15) return std::nullopt;
  double value = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

/// "2:35" -> 155 seconds, "1:02:03" -> 3723.
std::optional<double> parse_duration(std::string_view s) noexcept {
  double total = 0;
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = i;
    while (j < s.size() && is_digit(s[j])) ++j;
    if (j == i || j - i > 4) return std::nullopt;
    double part = 0;
    for (std::size_t k = i; k < j; ++k) part = part * 10 + (s[k] - '0');
    if (parts > 0 && part >= 60) return std::nullopt;
    total = total * 60 + part;
    ++parts;
    if (j == s.size()) break;
    if (s[j] != ':') return std::nullopt;
    i = j + 1;
  }
  if (parts < 2 || parts > 3) return std::nullopt;
  return total;
}

template <std::size_t N>
bool word_in(std::string_view lowered, const std::string_view (&words)[N]) noexcept {
  return std::find(std::begin(words), std::end(words), lowered) != std::end(words);
}

}  // namespace

std::string_view trim_spaces(std::string_view text) noexcept {
  while (const std::size_t n = space_at(text)) text.remove_prefix(n);
  while (!text.empty()) {
    const char c = text.back();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      text.remove_suffix(1);
      continue;
    }
    bool removed = false;
    for (std::string_view sp : {kNbsp, kNarrowNbsp, kThinSpace}) {
      if (text.size() >= sp.size() && text.substr(text.size() - sp.size()) == sp) {
        text.remove_suffix(sp.size());
        removed = true;
        break;
      }
    }
    if (!removed) break;
  }
  return text;
}

std::string to_lower_ascii(std::string_view text) {
  std::string out;
  append_lower_ascii(text, out);
  return out;
}

void append_lower_ascii(std::string_view text, std::string& out) {
  const std::size_t at = out.size();
  out.resize(at + text.size());
  // Through plain pointers: a store through the string's operator[] may alias its own pointer,
  // which keeps the loop from being vectorised.
  const char* in = text.data();
  char* lowered = out.data() + at;
  for (std::size_t i = 0; i < text.size(); ++i) lowered[i] = lower_ascii(in[i]);
}

bool equals_ci(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  }
  return true;
}

std::string normalize_key(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (is_digit(c) || is_alpha(c)) {
      out.push_back(lower_ascii(c));
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      out.push_back(c);  // keep non-ASCII letters ("Größe") as they are
    }
  }
  return out;
}

double Quantity::value() const noexcept {
  if (std::isinf(high)) return low;
  return (low + high) / 2;
}

std::optional<double> parse_number(std::string_view text) noexcept {
  if (const auto plain = parse_digits(trim(text))) return plain;
  const auto n = parse_scaled_number(text);
  if (!n) return std::nullopt;
  return n->value;
}

std::optional<Quantity> parse_quantity(std::string_view text) noexcept {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (const auto n = parse_digits(s)) return Quantity{*n, *n};
  if (const auto n = parse_scaled_number(s)) return Quantity{n->value, n->value};

  // Open ranges: "10000+", "More than 10,000", "> 500", "under 10", "10 or more".
  if (s.back() == '+') {
    if (const auto n = parse_scaled_number(s.substr(0, s.size() - 1), true)) return Quantity{n->value, kInfinity};
  }
  for (const auto& phrase : value_words::kRangePrefixes) {
    if (starts_with_ci(s, phrase.words)) {
      if (const auto n = parse_scaled_number(s.substr(phrase.words.size()), true)) {
        // "under -5" has no range from 0 (found by fuzz_values: its low end was above its high end).
        if (!phrase.at_least && n->value < 0) return std::nullopt;
        return phrase.at_least ? Quantity{n->value, kInfinity} : Quantity{0, n->value};
      }
    }
  }
  for (std::string_view suffix : value_words::kRangeSuffixes) {
    if (ends_with_ci(s, suffix)) {
      if (const auto n = parse_scaled_number(s.substr(0, s.size() - suffix.size()), true)) {
        return Quantity{n->value, kInfinity};
      }
    }
  }
  // Closed ranges: a dash (or en/em dash, "to") between two numbers; a leading minus is a sign.
  for (std::string_view dash : value_words::kRangeDashes) {
    for (std::size_t at = s.find(dash, 1); at != std::string_view::npos; at = s.find(dash, at + 1)) {
      const auto low = parse_scaled_number(s.substr(0, at), true);
      const auto high = parse_scaled_number(s.substr(at + dash.size()), true);
      if (!low || !high) continue;
      // "1-10M": a scale word written once applies to both ends.
      const double low_value = low->factor == 1 ? low->value * high->factor : low->value;
      return Quantity{std::min(low_value, high->value), std::max(low_value, high->value)};
    }
  }
  if (const auto seconds = parse_duration(s)) return Quantity{*seconds, *seconds};
  if (const auto flag = parse_bool(s)) return Quantity{*flag ? 1.0 : 0.0, *flag ? 1.0 : 0.0};
  return std::nullopt;
}

std::optional<bool> parse_bool(std::string_view text) noexcept {
  const std::string_view s = trim(text);
  if (s.empty() || s.size() > 12) return std::nullopt;
  const std::string lowered = to_lower_ascii(s);
  if (word_in(lowered, value_words::kTrueWords)) return true;
  if (word_in(lowered, value_words::kFalseWords)) return false;
  if (const auto n = parse_plain_number(s, false)) return *n > 0;
  return std::nullopt;
}

std::optional<std::int32_t> days_from_civil(int year, int month, int day) noexcept {
  if (year < 1800 || year > 2300 || month < 1 || month > 12 || day < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return std::nullopt;
  // Howard Hinnant's days_from_civil.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::int32_t today_days() { return static_cast<std::int32_t>(std::time(nullptr) / 86400); }

std::string format_date(std::int32_t days) {
  // Howard Hinnant's civil_from_days.
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int day = doy - (153 * mp + 2) / 5 + 1;
  const int month = mp < 10 ? mp + 3 : mp - 9;
  const int year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buffer[16];
  const int y = std::clamp(year, 0, 9999);
  buffer[0] = static_cast<char>('0' + y / 1000);
  buffer[1] = static_cast<char>('0' + y / 100 % 10);
  buffer[2] = static_cast<char>('0' + y / 10 % 10);
  buffer[3] = static_cast<char>('0' + y % 10);
  buffer[4] = '-';
  buffer[5] = static_cast<char>('0' + month / 10);
  buffer[6] = static_cast<char>('0' + month % 10);
  buffer[7] = '-';
  buffer[8] = static_cast<char>('0' + day / 10);
  buffer[9] = static_cast<char>('0' + day % 10);
  return std::string(buffer, 10);
}

namespace {

/// What parse_date reads of a date before it decides which number is which: up to three numbers
/// (with their widths), a month's name, and the first mark between two numbers.
struct DateTokens {
  int numbers[3] = {0, 0, 0};
  int widths[3] = {0, 0, 0};
  int count = 0;
  int month_name = 0;
  char separator = 0;
};

/// The tokens of `s` (trimmed, not Unix time), one number or word at a time; nothing when a
/// token cannot be part of a date.
std::optional<DateTokens> date_tokens(std::string_view s) noexcept {
  DateTokens t;
  int(&numbers)[3] = t.numbers;
  int(&widths)[3] = t.widths;
  int& count = t.count;
  int& month_name = t.month_name;
  char& separator = t.separator;
  int tokens = 0;  // numbers and words: a date has at most kMaxDateTokens
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_digit(c)) {
      std::size_t j = i;
      while (j < s.size() && is_digit(s[j])) ++j;
      if (j < s.size() && s[j] == ':') break;  // a time of day: the date is complete
      if (count == 3 || j - i > 4 || ++tokens > kMaxDateTokens) return std::nullopt;
      int n = 0;
      for (std::size_t k = i; k < j; ++k) n = n * 10 + (s[k] - '0');
      numbers[count] = n;
      widths[count] = static_cast<int>(j - i);
      ++count;
      i = j;
      // "1st", "2nd", "3rd", "4th"
      if (i + 1 < s.size() && is_alpha(s[i]) && is_alpha(s[i + 1])) {
        const std::string suffix = to_lower_ascii(s.substr(i, 2));
        if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") i += 2;
      }
    } else if (is_alpha(c)) {
      std::size_t j = i;
      while (j < s.size() && is_alpha(s[j])) ++j;
      const std::string word = to_lower_ascii(s.substr(i, j - i));
      if (word == "t" && count == 3) break;  // ISO 8601 time separator
      if (++tokens > kMaxDateTokens) return std::nullopt;
      if (word.size() >= 3) {
        const auto month =
            std::find(std::begin(value_words::kMonths), std::end(value_words::kMonths), word.substr(0, 3));
        if (month != std::end(value_words::kMonths) && month_name == 0 &&
            (word.size() == 3 || word == "sept" || value_words::kMonthNames.find(word) != std::string_view::npos)) {
          month_name = static_cast<int>(month - std::begin(value_words::kMonths)) + 1;
          i = j;
          continue;
        }
      }
      // Week days and zone names are noise; anything else means this is not a date.
      const std::string head = word.substr(0, 3);
      if (std::find(std::begin(value_words::kDateNoise), std::end(value_words::kDateNoise), head) ==
          std::end(value_words::kDateNoise)) {
        return std::nullopt;
      }
      i = j;
    } else {
      if (separator == 0 && count == 1 && (c == '/' || c == '-' || c == '.')) separator = c;
      if (c != '/' && c != '-' && c != '.' && c != ',' && c != ' ') return std::nullopt;
      ++i;
    }
  }
  return t;
}

/// The day the tokens name: which number is the year, the month and the day.
std::optional<std::int32_t> day_of(const DateTokens& t) noexcept {
  const int(&numbers)[3] = t.numbers;
  const int(&widths)[3] = t.widths;
  const int count = t.count;
  const int month_name = t.month_name;
  const char separator = t.separator;
  int year = 0, month = 0, day = 0;
  auto full_year = [](int y, int width) { return width == 2 ? (y < 70 ? 2000 + y : 1900 + y) : y; };
  if (month_name != 0) {
    if (count != 2) return std::nullopt;
    month = month_name;
    const int year_index = widths[0] == 4 ? 0 : 1;
    year = full_year(numbers[year_index], widths[year_index]);
    day = numbers[1 - year_index];
  } else {
    if (count != 3) return std::nullopt;
    if (widths[0] == 4) {  // Y M D
      year = numbers[0];
      month = numbers[1];
      day = numbers[2];
    } else if (widths[2] == 4 || widths[2] == 2) {
      year = full_year(numbers[2], widths[2]);
      const bool day_first = separator != '/' || numbers[0] > 12;
      day = day_first ? numbers[0] : numbers[1];
      month = day_first ? numbers[1] : numbers[0];
    } else {
      return std::nullopt;
    }
  }
  return days_from_civil(year, month, day);
}

}  // namespace

std::optional<std::int32_t> parse_date(std::string_view text) noexcept {
  const std::string_view s = trim(text);
  if (s.empty() || s.size() > 64) return std::nullopt;
  if (std::all_of(s.begin(), s.end(), is_digit) && (s.size() == 10 || s.size() == 13)) {
    // Unix time in seconds or milliseconds (API exports).
    std::int64_t t = 0;
    for (char c : s) t = t * 10 + (c - '0');
    if (s.size() == 13) t /= 1000;
    return static_cast<std::int32_t>(t / 86400);
  }
  const auto tokens = date_tokens(s);
  return tokens ? day_of(*tokens) : std::nullopt;
}

MissingValues::MissingValues()
    : MissingValues({"",
                     "select",
                     "n/a",
                     "na",
                     "#n/a",
                     "-",
                     "--",
                     "---",
                     "unknown",
                     "null",
                     "nil",
                     "none",
                     "(none)",
                     "(blank)",
                     "not provided",
                     "not specified",
                     "not available",
                     "nan",
                     "undefined",
                     "?"}) {}

MissingValues::MissingValues(std::vector<std::string> words) {
  for (const auto& word : words) {
    std::string lowered = to_lower_ascii(trim(word));
    longest_ = std::max(longest_, lowered.size());
    if (!lowered.empty()) first_bytes_[static_cast<unsigned char>(lowered[0])] = true;
    lookup_.insert(std::move(lowered));
  }
}

bool MissingValues::is_missing(std::string_view cell) const {
  const std::string_view s = trim(cell);
  if (s.empty()) return true;
  // Most cells fail these two checks and need no lowering or lookup.
  if (s.size() > longest_ || !first_bytes_[static_cast<unsigned char>(lower_ascii(s[0]))]) return false;
  return lookup_.count(to_lower_ascii(s)) > 0;
}

std::vector<std::string> MissingValues::words() const {
  std::vector<std::string> out(lookup_.begin(), lookup_.end());
  std::sort(out.begin(), out.end());
  return out;
}

void append_domain(std::string_view email_or_url, std::string& out) {
  append_lower_ascii(domain_part(email_or_url), out);
}

std::string_view domain_part(std::string_view email_or_url) {
  std::string_view s = trim(email_or_url);
  const std::size_t at = s.rfind('@');
  if (at != std::string_view::npos) {
    s = s.substr(at + 1);
    while (!s.empty() && (s.back() == '>' || s.back() == '.' || s.back() == ' ')) s.remove_suffix(1);
  } else {
    if (const std::size_t scheme = s.find("://"); scheme != std::string_view::npos) s = s.substr(scheme + 3);
    s = s.substr(0, s.find_first_of("/?#:"));
    if (starts_with_ci(s, "www.")) s = s.substr(4);
  }
  if (s.find('.') == std::string_view::npos || s.find(' ') != std::string_view::npos) return {};
  return s;
}

bool contains_phrase(std::string_view haystack, std::string_view needle) {
  for (std::size_t at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1)) {
    const bool start_ok = at == 0 || !is_word_byte(haystack[at - 1]) || !is_word_byte(needle.front());
    const std::size_t end = at + needle.size();
    const bool end_ok = end == haystack.size() || !is_word_byte(haystack[end]) || !is_word_byte(needle.back());
    if (start_ok && end_ok) return true;
  }
  return false;
}

std::string domain_of(std::string_view email_or_url) {
  std::string domain;
  append_domain(email_or_url, domain);
  return domain;
}

namespace {

/// The bytes an address may hold: kLocalByte in its local part (no control, space, '"', ',', '<'
/// or '>'), kDomainByte in its domain (letters, digits, '-', '.' and UTF-8).
constexpr std::uint8_t kLocalByte = 1, kDomainByte = 2;
constexpr std::array<std::uint8_t, 256> kEmailBytes = [] {
  std::array<std::uint8_t, 256> bytes{};
  for (int c = 0; c < 256; ++c) {
    const bool local = c > ' ' && c != '"' && c != ',' && c != '<' && c != '>';
    const bool domain =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' || c >= 0x80;
    bytes[static_cast<std::size_t>(c)] =
        static_cast<std::uint8_t>((local ? kLocalByte : 0) | (domain ? kDomainByte : 0));
  }
  return bytes;
}();

bool email_byte(char c, std::uint8_t kind) noexcept { return kEmailBytes[static_cast<unsigned char>(c)] & kind; }

}  // namespace

std::string_view valid_email_domain(std::string_view text) noexcept {
  const std::string_view s = trim(text);
  if (s.size() > 254) return {};
  // The local part up to the first '@' (a second '@' fails the domain's check).
  std::size_t at = 0;
  while (at < s.size() && s[at] != '@') {
    if (!email_byte(s[at], kLocalByte)) return {};
    ++at;
  }
  if (at == 0 || at == s.size() || s.front() == '.' || s[at - 1] == '.') return {};
  const std::string_view domain = s.substr(at + 1);
  if (domain.empty() || domain.front() == '-') return {};
  std::size_t last_dot = std::string_view::npos;
  char previous = '.';  // no leading dot, no two in a row
  for (std::size_t i = 0; i < domain.size(); ++i) {
    const char c = domain[i];
    if (!email_byte(c, kDomainByte) || (c == '.' && previous == '.')) return {};
    if (c == '.') last_dot = i;
    previous = c;
  }
  if (last_dot == std::string_view::npos) return {};
  const std::string_view tld = domain.substr(last_dot + 1);
  if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), is_alpha)) return {};
  return domain;
}

bool is_valid_email(std::string_view text) noexcept { return !valid_email_domain(text).empty(); }

const std::vector<std::string>* builtin_domain_list(std::string_view name) noexcept {
  static const std::vector<std::string> kFreeMail = {
      "gmail.com",      "googlemail.com", "yahoo.com",   "yahoo.co.uk",  "yahoo.fr",       "yahoo.de",
      "yahoo.es",       "yahoo.it",       "yahoo.co.in", "yahoo.co.jp",  "ymail.com",      "rocketmail.com",
      "hotmail.com",    "hotmail.co.uk",  "hotmail.fr",  "hotmail.de",   "hotmail.it",     "hotmail.es",
      "outlook.com",    "outlook.fr",     "outlook.de",  "live.com",     "live.co.uk",     "live.fr",
      "msn.com",        "aol.com",        "aim.com",     "icloud.com",   "me.com",         "mac.com",
      "protonmail.com", "proton.me",      "pm.me",       "tutanota.com", "fastmail.com",   "gmx.com",
      "gmx.de",         "gmx.net",        "gmx.at",      "web.de",       "t-online.de",    "freenet.de",
      "mail.com",       "inbox.com",      "yandex.ru",   "yandex.com",   "mail.ru",        "rambler.ru",
      "qq.com",         "163.com",        "126.com",     "sina.com",     "rediffmail.com", "libero.it",
      "virgilio.it",    "orange.fr",      "wanadoo.fr",  "free.fr",      "laposte.net",    "sfr.fr",
      "btinternet.com", "sky.com",        "comcast.net", "verizon.net",  "att.net",        "sbcglobal.net",
      "bellsouth.net",  "cox.net",        "seznam.cz",   "wp.pl",        "o2.pl",          "interia.pl",
      "naver.com",      "daum.net",       "hanmail.net", "uol.com.br",   "bol.com.br",     "terra.com.br",
      "zoho.com",       "hey.com"};
  static const std::vector<std::string> kDisposable = {
      "mailinator.com",  "guerrillamail.com", "10minutemail.com", "tempmail.com",  "temp-mail.org",
      "yopmail.com",     "trashmail.com",     "sharklasers.com",  "getnada.com",   "dispostable.com",
      "maildrop.cc",     "throwawaymail.com", "fakeinbox.com",    "mintemail.com", "mohmal.com",
      "emailondeck.com", "example.com",       "example.org",      "test.com"};
  if (name == "@free_mail") return &kFreeMail;
  if (name == "@disposable") return &kDisposable;
  return nullptr;
}

}  // namespace leadscore
