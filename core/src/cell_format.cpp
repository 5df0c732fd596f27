#include "detail/cell_format.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "leadscore/values.hpp"

namespace leadscore::detail {

namespace {

// Excel's built-in formats in en-US (ECMA-376 part 1, 18.8.30); 27-36 and 50-81 are East Asian
// dates in other locales, read here as dates.
std::string_view builtin_code(int id) {
  switch (id) {
    case 1: return "0";
    case 2: return "0.00";
    case 3: return "#,##0";
    case 4: return "#,##0.00";
    case 5: return "$#,##0_);($#,##0)";
    case 6: return "$#,##0_);[Red]($#,##0)";
    case 7: return "$#,##0.00_);($#,##0.00)";
    case 8: return "$#,##0.00_);[Red]($#,##0.00)";
    case 9: return "0%";
    case 10: return "0.00%";
    case 11: return "0.00E+00";
    case 12: return "# ?/?";
    case 13: return "# ?\?/??";
    case 14: return "m/d/yyyy";
    case 15: return "d-mmm-yy";
    case 16: return "d-mmm";
    case 17: return "mmm-yy";
    case 18: return "h:mm AM/PM";
    case 19: return "h:mm:ss AM/PM";
    case 20: return "h:mm";
    case 21: return "h:mm:ss";
    case 22: return "m/d/yyyy h:mm";
    case 37: return "#,##0_);(#,##0)";
    case 38: return "#,##0_);[Red](#,##0)";
    case 39: return "#,##0.00_);(#,##0.00)";
    case 40: return "#,##0.00_);[Red](#,##0.00)";
    case 41: return "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)";
    case 42: return "_(\"$\"* #,##0_);_(\"$\"* \\(#,##0\\);_(\"$\"* \"-\"_);_(@_)";
    case 43: return "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)";
    case 44: return "_(\"$\"* #,##0.00_);_(\"$\"* \\(#,##0.00\\);_(\"$\"* \"-\"??_);_(@_)";
    case 45: return "mm:ss";
    case 46: return "[h]:mm:ss";
    case 47: return "mm:ss.0";
    case 48: return "##0.0E+0";
    default: break;
  }
  if ((id >= 27 && id <= 36) || (id >= 50 && id <= 81)) return "yyyy-mm-dd";
  return "";
}

// Calls `visit(c, i)` for each character of `code` that is part of the format itself: not inside
// quotes, brackets, after a backslash, or the character of `_x` (a space) and `*x` (a fill).
template <class Visit>
void each_format_char(std::string_view code, Visit&& visit) {
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') {
      const std::size_t end = code.find('"', i + 1);
      i = end == std::string_view::npos ? code.size() : end;
    } else if (c == '[') {
      const std::size_t end = code.find(']', i + 1);
      i = end == std::string_view::npos ? code.size() : end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else {
      visit(c, i);
    }
  }
}

// A section's condition ("[<=9999999]"), when it has one.
struct Condition {
  enum class Op { None, Lt, Le, Gt, Ge, Eq, Ne } op = Op::None;
  double value = 0;
  bool holds(double x) const {
    switch (op) {
      case Op::None: return true;
      case Op::Lt: return x < value;
      case Op::Le: return x <= value;
      case Op::Gt: return x > value;
      case Op::Ge: return x >= value;
      case Op::Eq: return x == value;
      case Op::Ne: return x != value;
    }
    return true;
  }
};

std::vector<std::string_view> sections(std::string_view code) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  each_format_char(code, [&](char c, std::size_t i) {
    if (c != ';') return;
    out.push_back(code.substr(start, i - start));
    start = i + 1;
  });
  out.push_back(code.substr(start));
  return out;
}

Condition condition_of(std::string_view section) {
  Condition condition;
  for (std::size_t i = 0; i + 2 < section.size(); ++i) {
    if (section[i] != '[') continue;
    const std::size_t end = section.find(']', i);
    if (end == std::string_view::npos) break;
    std::string_view inside = section.substr(i + 1, end - i - 1);
    using Op = Condition::Op;
    static constexpr std::pair<std::string_view, Op> kOps[] = {{"<=", Op::Le}, {">=", Op::Ge}, {"<>", Op::Ne},
                                                               {"<", Op::Lt},  {">", Op::Gt},  {"=", Op::Eq}};
    for (const auto& [text, op] : kOps) {
      if (inside.substr(0, text.size()) == text) {
        const std::string number(inside.substr(text.size()));
        char* stop = nullptr;
        const double value = std::strtod(number.c_str(), &stop);
        if (stop != number.c_str()) condition = {op, value};
        break;
      }
    }
    i = end;
  }
  return condition;
}

// The digits of `value` (>= 0) rounded to `decimals` places: integer and fraction parts.
void fixed_digits(double value, int decimals, std::string& integer, std::string& fraction) {
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  const std::string_view text(buffer);
  const std::size_t point = text.find('.');
  integer.assign(text.substr(0, point));
  fraction.assign(point == std::string_view::npos ? std::string_view() : text.substr(point + 1));
  if (integer == "0") integer.clear();
}

std::string grouped(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// One section of a number format (no date parts), applied to `value` (its sign already chosen).
// Returns false when the section uses what this subset leaves alone (fractions).
bool write_section(std::string_view section, double value, std::string& out) {
  // Pass 1: the placeholders and what the number is scaled by.
  int integer_zeros = 0, integer_slots = 0, decimals = 0, exponent_zeros = 0;
  bool point = false, group = false, exponent = false, any_digit = false, fraction_bar = false;
  int scale_down = 0, percent = 0;
  std::string fraction_places;
  const auto is_digit_place = [](char c) { return c == '0' || c == '#' || c == '?'; };
  each_format_char(section, [&](char c, std::size_t i) {
    if (is_digit_place(c)) {
      any_digit = true;
      if (exponent) {
        ++exponent_zeros;
      } else if (point) {
        ++decimals;
        fraction_places += c;
      } else {
        ++integer_slots;
        integer_zeros += c != '#';
      }
    } else if (c == '/') {
      fraction_bar = true;
    } else if (c == '.' && !exponent) {
      point = true;
    } else if (c == ',' && !point && !exponent && any_digit) {
      // Between digit placeholders a comma groups thousands; after the last one it divides by 1000.
      std::size_t j = i + 1;
      while (j < section.size() && section[j] == ',') ++j;
      if (j < section.size() && is_digit_place(section[j]))
        group = true;
      else
        ++scale_down;
    } else if (c == '%') {
      ++percent;
    } else if ((c == 'E' || c == 'e') && i + 1 < section.size() && (section[i + 1] == '+' || section[i + 1] == '-')) {
      exponent = true;
    }
  });
  if (fraction_bar) return false;
  for (int k = 0; k < percent; ++k) value *= 100;
  for (int k = 0; k < scale_down; ++k) value /= 1000;

  std::string integer, fraction, exponent_text;
  if (exponent && value != 0) {
    // Engineering-style formats ("##0.0E+0") keep the exponent a multiple of the integer slots.
    const int step = integer_slots > 1 && integer_zeros < integer_slots ? integer_slots : 1;
    int power = static_cast<int>(std::floor(std::log10(value)));
    power = static_cast<int>(std::floor(static_cast<double>(power) / step)) * step;
    double mantissa = value / std::pow(10.0, power);
    fixed_digits(mantissa, decimals, integer, fraction);
    if (integer.size() > static_cast<std::size_t>(step)) {  // rounding reached the next power
      power += step;
      fixed_digits(value / std::pow(10.0, power), decimals, integer, fraction);
    }
    std::string digits = std::to_string(std::abs(power));
    if (digits.size() < static_cast<std::size_t>(exponent_zeros))
      digits.insert(0, static_cast<std::size_t>(exponent_zeros) - digits.size(), '0');
    exponent_text = std::string(power < 0 ? "-" : "+") + digits;
  } else {
    fixed_digits(value, decimals, integer, fraction);
    if (exponent) exponent_text = "+" + std::string(static_cast<std::size_t>(std::max(exponent_zeros, 1)), '0');
  }
  if (integer.size() < static_cast<std::size_t>(integer_zeros))
    integer.insert(0, static_cast<std::size_t>(integer_zeros) - integer.size(), '0');
  if (group) integer = grouped(integer);

  // Pass 2: write, filling the integer placeholders from the right (the first takes any extra
  // digits), the decimals from the left.
  std::size_t integer_left = integer.size();
  int slot = 0, decimal_slot = 0, exponent_done = 0;
  bool in_exponent = false, after_point = false;
  // Integer characters each placeholder shows: computed right to left.
  std::vector<std::string> slot_text(static_cast<std::size_t>(integer_slots));
  for (int k = integer_slots - 1; k >= 0; --k) {
    if (k == 0) {
      slot_text[0] = integer.substr(0, integer_left);
      integer_left = 0;
    } else if (integer_left > 0) {
      // Group separators travel with the digit to their right.
      std::size_t take = 1;
      if (integer_left >= 2 && integer[integer_left - 2] == ',') take = 2;
      slot_text[static_cast<std::size_t>(k)] = integer.substr(integer_left - take, take);
      integer_left -= take;
    }
  }
  // Trailing zeros of the fraction show only where a '0' stands ('#' drops them, '?' pads).
  std::size_t fraction_used = fraction.size();
  while (fraction_used > 0 && fraction[fraction_used - 1] == '0' && fraction_places[fraction_used - 1] != '0')
    --fraction_used;
  for (std::size_t i = 0; i < section.size(); ++i) {
    const char c = section[i];
    if (c == '"') {
      const std::size_t end = section.find('"', i + 1);
      const std::size_t stop = end == std::string_view::npos ? section.size() : end;
      out.append(section.substr(i + 1, stop - i - 1));
      i = stop;
    } else if (c == '[') {
      const std::size_t end = section.find(']', i + 1);
      const std::size_t stop = end == std::string_view::npos ? section.size() : end;
      const std::string_view inside = section.substr(i + 1, stop - i - 1);
      if (!inside.empty() && inside[0] == '$') {
        // A currency: "[$€-407]" shows "€".
        const std::size_t dash = inside.find('-');
        out.append(inside.substr(1, dash == std::string_view::npos ? std::string_view::npos : dash - 1));
      }
      i = stop;
    } else if (c == '\\') {
      if (i + 1 < section.size()) out += section[++i];
    } else if (c == '_') {
      ++i;
      out += ' ';
    } else if (c == '*') {
      ++i;
    } else if (c == '0' || c == '#' || c == '?') {
      if (in_exponent) {
        if (exponent_done++ == 0) out += exponent_text.substr(1);
      } else if (after_point) {
        const std::size_t at = static_cast<std::size_t>(decimal_slot++);
        if (at < fraction_used) {
          out += fraction[at];
        } else if (c == '?') {
          out += ' ';
        } else if (c == '0') {
          out += '0';
        }
      } else {
        const std::string& text = slot_text[static_cast<std::size_t>(slot++)];
        if (!text.empty()) {
          out += text;
        } else if (c == '?') {
          out += ' ';
        }
      }
    } else if (c == '.' && !in_exponent) {
      after_point = true;
      out += '.';
    } else if (c == ',') {
      // Grouping and scaling are done; a comma not next to a digit placeholder is a literal.
    } else if ((c == 'E' || c == 'e') && i + 1 < section.size() && (section[i + 1] == '+' || section[i + 1] == '-')) {
      in_exponent = true;
      ++i;
      out += 'E';
      if (exponent_text[0] == '-' || section[i] == '+') out += exponent_text[0];
    } else if (c == '@') {
      write_general(value, out);
    } else {
      out += c;
    }
  }
  return true;
}

void write_time(std::int64_t seconds, std::string& out) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d", static_cast<int>(seconds / 3600),
                static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  out += buffer;
}

}  // namespace

NumberFormat number_format(int id, std::string_view code) {
  if (code.empty()) code = builtin_code(id);
  if (code.empty()) return {};
  const std::string lowered = to_lower_ascii(code);
  if (lowered == "general" || lowered == "@") return {};
  bool date = false, time = false;
  each_format_char(code, [&](char c, std::size_t) {
    c = lower_ascii(c);
    date |= c == 'y' || c == 'd' || c == 'm';
    time |= c == 'h' || c == 's';
  });
  // Elapsed time ("[h]:mm") is in brackets; it is a time all the same.
  if (lowered.find("[h") != std::string::npos || lowered.find("[m") != std::string::npos ||
      lowered.find("[s") != std::string::npos)
    time = true;
  // "mm" beside hours or seconds is minutes, not a month.
  if (time && date) {
    bool year_or_day = false;
    each_format_char(code, [&](char c, std::size_t) { year_or_day |= lower_ascii(c) == 'y' || lower_ascii(c) == 'd'; });
    date = year_or_day;
  }
  if (date && time) return {NumberFormat::Kind::DateTime, {}};
  if (date) return {NumberFormat::Kind::Date, {}};
  if (time) return {NumberFormat::Kind::Time, {}};
  return {NumberFormat::Kind::Pattern, std::string(code)};
}

void write_general(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out += "#NUM!";
    return;
  }
  if (value == 0) {
    out += '0';
    return;
  }
  // 15 significant digits, then written out plainly unless the number is very large or small.
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.14e", value);
  const std::string_view text(buffer);
  const std::size_t e = text.find('e');
  const int exponent = std::atoi(buffer + e + 1);
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (value < 0) out += '-';
  if (exponent >= 21 || exponent < -9) {
    out += digits[0];
    if (digits.size() > 1) out.append(".").append(digits, 1, std::string::npos);
    char power[16];
    std::snprintf(power, sizeof power, "E%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += power;
  } else if (exponent < 0) {
    out.append("0.").append(static_cast<std::size_t>(-exponent - 1), '0').append(digits);
  } else if (static_cast<std::size_t>(exponent) + 1 >= digits.size()) {
    out.append(digits).append(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0');
  } else {
    out.append(digits, 0, static_cast<std::size_t>(exponent) + 1)
        .append(".")
        .append(digits, static_cast<std::size_t>(exponent) + 1, std::string::npos);
  }
}

bool write_plain_decimal(std::string_view text, std::string& out) {
  std::size_t at = text.size() > 0 && text[0] == '-' ? 1 : 0;
  const std::size_t integer_start = at;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
  const std::size_t integer_end = at;
  // No leading zeros but a lone one, at least one digit before any point.
  if (integer_end == integer_start || (text[integer_start] == '0' && integer_end - integer_start > 1)) return false;
  std::size_t fraction_end = at;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    fraction_end = at;
    while (fraction_end > integer_end + 1 && text[fraction_end - 1] == '0') --fraction_end;
    if (fraction_end == integer_end + 1) fraction_end = integer_end;  // "12." or "12.00"
  }
  if (at != text.size()) return false;
  // Significant digits: from the first non-zero digit to the last kept one.
  std::size_t first = integer_start;
  while (first < fraction_end && (text[first] == '0' || text[first] == '.')) ++first;
  std::size_t digits = 0;
  for (std::size_t i = first; i < fraction_end; ++i) digits += text[i] != '.';
  if (digits > 15) return false;
  if (digits == 0) {
    out += '0';  // "0", "-0", "0.000"
    return true;
  }
  out.append(text.substr(0, fraction_end));
  return true;
}

void write_number(double value, const NumberFormat& format, bool date1904, std::string& out) {
  using Kind = NumberFormat::Kind;
  if (format.kind == Kind::General || !std::isfinite(value)) {
    write_general(value, out);
    return;
  }
  if (format.kind != Kind::Pattern) {
    // Serial days: 1900 system from 1899-12-31 with Excel's phantom 1900-02-29 (serial 60), or
    // 1904 system from 1904-01-01. Negative serials are not dates: written as numbers.
    if (value < 0 || value >= 2958466) {
      write_general(value, out);
      return;
    }
    std::int64_t seconds = std::llround(value * 86400.0);
    std::int64_t serial = seconds / 86400;
    seconds %= 86400;
    if (format.kind != Kind::Time || serial > 0) {
      if (!date1904 && serial == 60) {
        out += "1900-02-29";
      } else {
        const std::int64_t day = date1904 ? serial - 24107 : serial < 60 ? serial - 25568 : serial - 25569;
        out += format_date(static_cast<std::int32_t>(day));
      }
      if (format.kind == Kind::Date) return;
      out += ' ';
    }
    write_time(seconds, out);
    return;
  }
  const std::vector<std::string_view> parts = sections(format.code);
  // Which section: the first two may carry conditions; else positive; negative; zero.
  std::string_view section = parts[0];
  bool sign_shown_by_section = false;
  const Condition first = condition_of(parts[0]);
  if (first.op != Condition::Op::None) {
    if (first.holds(value)) {
      section = parts[0];
    } else if (parts.size() > 1 && condition_of(parts[1]).op != Condition::Op::None) {
      section = condition_of(parts[1]).holds(value) || parts.size() < 3 ? parts[1] : parts[2];
    } else if (parts.size() > 1) {
      section = parts[1];
    }
  } else if (value < 0 && parts.size() > 1) {
    section = parts[1];
    sign_shown_by_section = true;
  } else if (value == 0 && parts.size() > 2) {
    section = parts[2];
  }
  std::string text;
  const bool negative = value < 0;
  if (!write_section(section, std::fabs(value), text)) {
    write_general(value, out);
    return;
  }
  // A negative number in a section that does not show its sign gets a minus, unless it rounds to 0.
  if (negative && !sign_shown_by_section && first.op == Condition::Op::None &&
      text.find_first_of("123456789") != std::string::npos)
    out += '-';
  out += text;
}

}  // namespace leadscore::detail
