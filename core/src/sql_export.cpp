#include "leadscore/sql_export.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "detail/sql_dialect.hpp"
#include "leadscore/scorer.hpp"
#include "leadscore/value_words.hpp"
#include "messages.hpp"
#include "rules.hpp"

namespace leadscore {

namespace {

using detail::SqlDialectWriter;
namespace words = value_words;

/// A column of the query: its name and the CTE level that defines it.
struct Value {
  std::string name;
  int level = 0;
};

/// Regular-expression pieces in the subset every engine reads.
constexpr std::string_view kSpaceClass = " \\x09\\x0a\\x0b\\x0c\\x0d\xC2\xA0\xE2\x80\xAF\xE2\x80\x89";
/// ASCII that is not a lowercase letter or digit: the core's word boundaries (non-ASCII is a word byte).
constexpr std::string_view kNonWordClass = "[\\x01-\\x2f\\x3a-\\x60\\x7b-\\x7f]";
constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";

std::string regex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80) {
      out += c;
    } else {
      // In brackets: PostgreSQL reads every hex digit after \x, so "\x20c" would be one character.
      char escape[8];
      std::snprintf(escape, sizeof escape, "[\\x%02x]", u);
      out += escape;
    }
  }
  return out;
}

/// Characters (not bytes) in UTF-8 text: SQL lengths count characters.
std::size_t char_count(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// Calls `f` with each generated column name ("ls_<hint>_<n>") that `expr` reads.
template <class F>
void for_each_column(const std::string& expr, F&& f) {
  for (std::size_t at = expr.find("ls_"); at != std::string::npos; at = expr.find("ls_", at + 1)) {
    if (at > 0 && (std::isalnum(static_cast<unsigned char>(expr[at - 1])) || expr[at - 1] == '_')) continue;
    std::size_t end = at + 3;
    while (end < expr.size() && (std::isalnum(static_cast<unsigned char>(expr[end])) || expr[end] == '_')) ++end;
    f(expr.substr(at, end - at));
    at = end - 1;
  }
}

/// The parts of a scaled number ("-$1.5M") read from one text.
struct ScaledSql {
  Value ok;      // 1 when the text is a number
  Value value;   // the number, scale applied
  Value factor;  // the scale word's factor (1 without one)
};

class SqlCompiler {
 public:
  SqlCompiler(const ScoringModel& model, const SqlOptions& options)
      : model_(model), options_(options), d_(options.dialect) {}

  Result<std::string> compile();

 private:
  // --- building the levels of the query ---
  /// A new column `expr`, on the first level above every column it reads.
  Value define(const std::string& hint, const std::string& expr);
  std::string text(std::string_view value) const { return d_.text(value); }
  std::string num(double value) const { return d_.number(value); }
  std::string in_list(const std::string& e, const std::vector<std::string>& values) const;
  std::string flag(const std::string& condition) const { return "CASE WHEN " + condition + " THEN 1 ELSE 0 END"; }
  std::string is(const Value& v) const { return "(" + v.name + " = 1)"; }
  std::string trim_space(const std::string& e) const;
  std::string round_half_away(const std::string& e) const;
  std::string round_tenths(const std::string& e) const;
  std::string power_of_ten(const std::string& e) const;
  std::string tenths_text(const std::string& tenths, bool sign, bool trim_zero) const;

  // --- reading cells, as values.cpp does ---
  ScaledSql scaled(const Value& candidate, const std::string& in_range);
  /// What parse_quantity reads first: the whole text, or the number of "10000+", "over 500" or
  /// "10 or more" (at most one of them applies to a text).
  struct Primary {
    Value kind;      // 0 the whole text, 1 a trailing "+", 2 a prefix phrase, 3 a suffix phrase, 4 plain digits
    Value at_least;  // for a prefix: 1 when it opens upward ("over"), 0 downward ("under")
    ScaledSql number;
  };
  Primary primary(std::size_t column);
  Value quantity(std::size_t column);
  Value boolean(std::size_t column);
  Value date(std::size_t column);
  Value domain(std::size_t column);
  Value email_valid(std::size_t column);
  Value decay_factor(const Decay& decay, std::int64_t column);

  // --- scoring, as scorer.cpp does ---
  struct RuleSql {
    const Rule* rule;
    Axis axis;
    std::size_t column;
    Value points;   // tenths after cap and decay, NULL when the rule does not hit
    Value missing;  // 1 when the hit is the rule's missing_points
    Value capped;   // 1 when the cap cut the points
    Value factor;   // the decay factor applied (1 when none)
    Value band;     // bands: the band that held (0 when none)
    Value counted;  // 1 when the hit counts (the best of its group)
  };
  RuleSql rule_sql(const Rule& rule, Axis axis, std::size_t column, const Decay* decay, std::int64_t decay_column);
  std::string label_of(const RuleSql& r) const;

  std::size_t column_index(const std::string& name);
  std::string nul_in_texts(const std::vector<std::string>& keys) const;
  Error unsupported(const std::string& where) const;
  Value lowered(std::size_t column);
  Value missing(std::size_t column);

  const ScoringModel& model_;
  const SqlOptions& options_;
  SqlDialectWriter d_;
  std::vector<std::string> columns_;                                      // the table's columns the model reads
  std::vector<Value> trimmed_;                                            // per column: its text, trimmed
  std::vector<std::vector<std::pair<std::string, std::string>>> levels_;  // per level: (name, expression)
  std::map<std::pair<std::string, std::size_t>, Value> memo_;             // (reading, column) -> value
  std::map<std::string, Value> decay_memo_;
  std::map<std::string, int> level_of_;
  std::map<std::size_t, Primary> primary_memo_;  // every column defined so far -> its level
  int next_name_ = 0;
};

Value SqlCompiler::define(const std::string& hint, const std::string& expr) {
  int level = 1;
  for_each_column(expr, [&](const std::string& name) { level = std::max(level, level_of_.at(name) + 1); });
  if (levels_.size() <= static_cast<std::size_t>(level)) levels_.resize(static_cast<std::size_t>(level) + 1);
  Value v{"ls_" + hint + "_" + std::to_string(next_name_++), level};
  levels_[static_cast<std::size_t>(level)].emplace_back(v.name, expr);
  level_of_[v.name] = level;
  return v;
}

std::string SqlCompiler::in_list(const std::string& e, const std::vector<std::string>& values) const {
  if (values.empty()) return "(1 = 0)";
  std::string out = "(" + e + " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + text(values[i]);
  return out + "))";
}

std::string SqlCompiler::trim_space(const std::string& e) const {
  std::string set;
  for (std::string_view s : words::kSpaceLike) set += s;
  return d_.trim_chars(e, text(set));
}

std::string SqlCompiler::round_half_away(const std::string& e) const {
  // Truncation and its remainder are exact: no engine's round() (some round half to even) is used.
  const std::string whole = d_.trunc(e);
  return "(" + whole + " + CASE WHEN " + e + " - " + whole + " >= " + num(0.5) + " THEN 1 WHEN " + e + " - " + whole +
         " <= " + num(-0.5) + " THEN -1 ELSE 0 END)";
}

std::string SqlCompiler::round_tenths(const std::string& e) const {
  // scorer.cpp's round_tenths: x * 10 * (1 + 1e-12), then half away from zero.
  const std::string v = "((" + e + " * " + num(10) + ") * " + num(1 + 1e-12) + ")";
  return "CASE WHEN " + v + " >= " + num(4e15) + " THEN " + num(4e15) + " WHEN " + v + " <= " + num(-4e15) + " THEN " +
         num(-4e15) + " ELSE " + round_half_away(v) + " END";
}

std::string SqlCompiler::power_of_ten(const std::string& e) const {
  // "1e<n>" read as a double is exactly 10^n for n <= 22, the only powers the parsers use.
  return d_.cast_double("'1e' || " + d_.cast_text(e));
}

std::string SqlCompiler::tenths_text(const std::string& tenths, bool sign, bool trim_zero) const {
  // scorer.cpp's format_decimal from whole tenths: "+12", "-7.5", "12.0".
  const std::string t = d_.cast_bigint(tenths);
  const std::string a = "abs(" + t + ")";
  std::string out = "(";
  if (sign) {
    out += "CASE WHEN " + t + " > 0 THEN '+' WHEN " + t + " < 0 THEN '-' ELSE '' END || ";
  } else {
    out += "CASE WHEN " + t + " < 0 THEN '-' ELSE '' END || ";
  }
  out += d_.cast_text(d_.div(a, "10"));
  const std::string decimal = "'.' || " + d_.cast_text(d_.mod(a, "10"));
  out += trim_zero ? " || CASE WHEN " + d_.mod(a, "10") + " <> 0 THEN " + decimal + " ELSE '' END" : " || " + decimal;
  return out + ")";
}

std::size_t SqlCompiler::column_index(const std::string& name) {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == name) return i;
  }
  columns_.push_back(name);
  Value t{"ls_t_" + std::to_string(columns_.size() - 1), 0};
  trimmed_.push_back(t);
  level_of_[t.name] = 0;
  return columns_.size() - 1;
}

Value SqlCompiler::lowered(std::size_t column) {
  const auto key = std::make_pair(std::string("lower"), column);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  return memo_[key] = define("l", d_.lower_ascii(trimmed_[column].name));
}

Value SqlCompiler::missing(std::size_t column) {
  const auto key = std::make_pair(std::string("missing"), column);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const Value l = lowered(column);
  return memo_[key] = define("m", flag("(" + l.name + " = '' OR " + in_list(l.name, model_.missing.words()) + ")"));
}

ScaledSql SqlCompiler::scaled(const Value& candidate, const std::string& in_range) {
  // values.cpp's parse_scaled_number over lowered text: sign, currency, percent, scale word, then a
  // plain number whose grouping marks and decimal mark are decided as parse_plain_number decides.
  const std::string space = "[" + std::string(kSpaceClass) + "]";
  std::string currency;
  for (std::string_view c : words::kCurrencies) currency += (currency.empty() ? "" : "|") + regex_escape(c);
  std::string scale_words;
  for (const auto& s : words::kScales) scale_words += (scale_words.empty() ? "" : "|") + std::string(s.word);
  const std::string shape = "^[+\\x2d]?" + space + "*((" + currency + ")" + space + "*)*[0-9.,][0-9.," +
                            std::string(kSpaceClass) + "\\x27]*(e[+\\x2d]?[0-9]+)?(" + space + "*(" + scale_words +
                            "))?(" + space + "*%)?(" + space + "*(" + currency + "))*$";

  const Value st = define("st", trim_space(candidate.name));
  std::string cleaned = st.name;
  for (std::string_view c : words::kCurrencies) cleaned = "replace(" + cleaned + ", " + text(c) + ", '')";
  cleaned = trim_space("replace(" + cleaned + ", '%', '')");
  const Value shape_ok = define("shape", flag(d_.matches(st.name, shape)));
  const Value c = define("c", cleaned);
  const Value neg = define("neg", flag("substr(" + c.name + ", 1, 1) = '-'"));
  const Value body = define("b", "CASE WHEN substr(" + c.name + ", 1, 1) IN ('+', '-') THEN " +
                                     trim_space(d_.substr(c.name, "2")) + " ELSE " + c.name + " END");
  const std::string letters = text(kLetters);
  const std::string before_scale = d_.rtrim_chars(body.name, letters);
  const Value number = define("n", trim_space(before_scale));
  const Value scale = define("sc", d_.substr(body.name, d_.length(before_scale) + " + 1"));
  std::string factor = "CASE WHEN " + scale.name + " = '' THEN " + num(1);
  for (double f : {1e3, 1e6, 1e9}) {
    std::vector<std::string> named;
    for (const auto& w : words::kScales) {
      if (w.factor == f) named.emplace_back(w.word);
    }
    factor += " WHEN " + in_list(scale.name, named) + " THEN " + num(f);
  }
  const Value fac = define("f", factor + " END");
  const std::string e_at = d_.position(number.name, "'e'");
  const Value mantissa = define("mt", "CASE WHEN " + e_at + " > 0 THEN " + d_.substr(number.name, "1", e_at + " - 1") +
                                          " ELSE " + number.name + " END");
  const Value exponent =
      define("ex", "CASE WHEN " + e_at + " > 0 THEN " + d_.substr(number.name, e_at + " + 1") + " ELSE '' END");
  // Counts and places of the marks.
  const std::string m = mantissa.name;
  std::string digits = m;
  for (std::string_view mark : {",", ".", "'"}) digits = "replace(" + digits + ", " + text(mark) + ", '')";
  for (std::string_view s : words::kSpaceLike) digits = "replace(" + digits + ", " + text(s) + ", '')";
  const Value dig = define("dg", digits);
  auto count = [&](const char* mark) {
    return "(" + d_.length(m) + " - " + d_.length("replace(" + m + ", '" + mark + "', '')") + ")";
  };
  auto last = [&](const char* mark) { return d_.length(d_.rtrim_chars(m, "replace(" + m + ", '" + mark + "', '')")); };
  const Value commas = define("nc", count(","));
  const Value dots = define("nd", count("."));
  const Value last_comma = define("lc", last(","));
  const Value last_dot = define("ld", last("."));
  const Value spaces =
      define("ns", d_.length(m) + " - " + d_.length(dig.name) + " - " + commas.name + " - " + dots.name);
  // A lone comma or dot before exactly three digits may group thousands.
  const std::string mark = "CASE WHEN " + dots.name + " = 1 THEN '.' ELSE ',' END";
  const std::string mark_at =
      "CASE WHEN " + dots.name + " = 1 THEN " + last_dot.name + " ELSE " + last_comma.name + " END";
  const std::string grouping = "(" + d_.length(m) + " - " + mark_at + " = 3 AND " + mark_at +
                               " BETWEEN 2 AND 4 AND substr(" + m + ", 1, 1) <> '0' AND " + spaces.name + " = 0 AND (" +
                               dots.name + " = 0" + " OR " + in_range + " OR " + d_.substr(m, mark_at + " + 1", "3") +
                               " = '000'))";
  const Value decimal =
      define("dm", "CASE WHEN " + commas.name + " > 0 AND " + dots.name + " > 0 THEN CASE WHEN " + last_comma.name +
                       " > " + last_dot.name + " THEN ',' ELSE '.' END WHEN " + dots.name + " = 1 OR " + commas.name +
                       " = 1 THEN CASE WHEN " + grouping + " THEN '' ELSE " + mark + " END ELSE '' END");
  const std::string g3 = "[0-9]{3}";
  const std::string dot_form = "^([0-9]{1,3}([," + std::string(kSpaceClass) + "\\x27]" + g3 + ")+|[0-9]*)[.][0-9]*$";
  const std::string comma_form = "^([0-9]{1,3}([." + std::string(kSpaceClass) + "\\x27]" + g3 + ")+|[0-9]*),[0-9]*$";
  const std::string plain_form = "^([0-9]{1,3}([,." + std::string(kSpaceClass) + "\\x27]" + g3 + ")*|[0-9]+)$";
  const Value mantissa_ok = define(
      "mok", flag("CASE " + decimal.name + " WHEN '.' THEN " + flag(d_.matches(m, dot_form)) + " WHEN ',' THEN " +
                  flag(d_.matches(m, comma_form)) + " ELSE " + flag(d_.matches(m, plain_form)) + " END = 1 AND " +
                  d_.length(dig.name) + " BETWEEN 1 AND 15"));
  const Value decimals =
      define("k", "CASE " + decimal.name + " WHEN ',' THEN " + d_.length(m) + " - " + last_comma.name +
                      " WHEN '.' THEN " + d_.length(m) + " - " + last_dot.name + " ELSE 0 END");
  const Value exponent_ok =
      define("eok", "CASE WHEN " + exponent.name + " = '' THEN 1 WHEN " +
                        d_.matches(exponent.name, "^[+\\x2d]?[0-9]{1,3}$") + " THEN CASE WHEN " +
                        d_.cast_bigint(d_.ltrim_chars(exponent.name, "'+-'")) + " <= 22 THEN 1 ELSE 0 END ELSE 0 END");
  const Value ok = define("ok", flag(is(shape_ok) + " AND " + fac.name + " IS NOT NULL AND " + is(mantissa_ok) +
                                     " AND " + is(exponent_ok)));
  // The digits as one integer over a power of ten, then the exponent: parse_plain_number's arithmetic.
  const Value base = define(
      "v0", "CASE WHEN " + is(ok) + " THEN " + d_.cast_double(dig.name) + " / " + power_of_ten(decimals.name) + " END");
  const std::string e = d_.cast_bigint(exponent.name);
  const Value with_exponent =
      define("v1", "CASE WHEN " + base.name + " IS NULL THEN NULL WHEN " + exponent.name + " = '' OR " + base.name +
                       " = 0 THEN " + base.name + " WHEN substr(" + exponent.name + ", 1, 1) = '-' THEN " + base.name +
                       " / " + power_of_ten("-" + e) + " ELSE " + base.name + " * " + power_of_ten(e) + " END");
  const Value value = define("v", "CASE WHEN " + is(neg) + " THEN -" + with_exponent.name + " ELSE " +
                                      with_exponent.name + " END * " + fac.name);
  return ScaledSql{ok, value, fac};
}

SqlCompiler::Primary SqlCompiler::primary(std::size_t column) {
  if (auto it = primary_memo_.find(column); it != primary_memo_.end()) return it->second;
  const Value l = lowered(column);
  const std::string s = l.name;
  const std::string len = d_.length(s);
  // A text ending in "+" can only be "<number>+"; one starting with a prefix phrase only
  // "<phrase> <number>"; one ending with a suffix phrase only "<number> <phrase>" (no number
  // starts or ends with those), so one reading serves them all.
  // Kind 4: plain digits (most cells), read directly; the full reading is skipped (NULL).
  const std::string digits = d_.matches(s, "^[0-9]{1,15}$");
  std::string kind = "CASE WHEN " + digits + " THEN 4 WHEN substr(" + s + ", " + len + ", 1) = '+' THEN 1";
  std::string rest = "CASE WHEN " + digits + " THEN NULL WHEN substr(" + s + ", " + len + ", 1) = '+' THEN " +
                     d_.substr(s, "1", len + " - 1");
  std::string at_least = "CASE";
  for (const auto& p : words::kRangePrefixes) {
    const std::string n = std::to_string(char_count(p.words));
    const std::string when = " WHEN " + d_.substr(s, "1", n) + " = " + text(p.words);
    kind += when + " THEN 2";
    rest += when + " THEN " + d_.substr(s, std::to_string(char_count(p.words) + 1));
    at_least += when + " THEN " + std::string(p.at_least ? "1" : "0");
  }
  for (std::string_view w : words::kRangeSuffixes) {
    const std::string n = std::to_string(char_count(w));
    const std::string when =
        " WHEN " + len + " >= " + n + " AND " + d_.substr(s, len + " - " + n + " + 1") + " = " + text(w);
    kind += when + " THEN 3";
    rest += when + " THEN " + d_.substr(s, "1", len + " - " + n);
  }
  const Value k = define("qk", kind + " ELSE 0 END");
  const Value candidate = define("qc", rest + " ELSE " + s + " END");
  const Value up = define("qu", at_least + " ELSE 1 END");
  return primary_memo_[column] = Primary{k, up, scaled(candidate, "(" + k.name + " <> 0)")};
}

Value SqlCompiler::quantity(std::size_t column) {
  const auto key = std::make_pair(std::string("quantity"), column);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const Value l = lowered(column);
  const std::string s = l.name;
  const Primary first = primary(column);
  // Closed ranges. No number holds an en dash, an em dash, " to " or "...", so the first of the
  // first three present (after the first character) is the only place to split; with none, the
  // first "-" that is not an exponent's sign (a side never ends in "e"); then "..." (where it
  // starts, or one character later: "79....5" is 79. to 5).
  auto present = [&](std::string_view dash) { return d_.position(d_.substr(s, "2"), text(dash)) + " > 0"; };
  const Value dash =
      define("qw", "CASE WHEN " + present(words::kRangeDashes[0]) + " THEN " + text(words::kRangeDashes[0]) + " WHEN " +
                       present(words::kRangeDashes[1]) + " THEN " + text(words::kRangeDashes[1]) + " WHEN " +
                       present(words::kRangeDashes[2]) + " THEN " + text(words::kRangeDashes[2]) + " END");
  const std::string signs_hidden = "replace(" + d_.substr(s, "2") + ", 'e-', 'e+')";  // same length, no "-"
  const Value first_at = define("qf", "CASE WHEN " + dash.name + " IS NULL THEN " + d_.position(signs_hidden, "'-'") +
                                          " ELSE " + d_.position(d_.substr(s, "2"), dash.name) + " END");
  const Value dots_at = define("qe", d_.position(d_.substr(s, "2"), text(words::kRangeDashes[4])));
  const Value dots_next =
      define("qn", "CASE WHEN " + dots_at.name + " > 0 AND " + d_.substr(s, dots_at.name + " + 2", "3") + " = " +
                       text(words::kRangeDashes[4]) + " THEN " + dots_at.name + " + 1 ELSE 0 END");
  // Each split: the text before the dash (which starts at `at` + 1) and after it.
  auto split_low = [&](const std::string& at) {
    return "CASE WHEN " + at + " > 0 THEN " + d_.substr(s, "1", at) + " END";
  };
  auto split_high = [&](const std::string& at, const std::string& dash_length) {
    return "CASE WHEN " + at + " > 0 THEN " + d_.substr(s, at + " + 1 + " + dash_length) + " END";
  };
  const Value range_low = define("ql", split_low(first_at.name));
  const Value range_high = define("qh", split_high(first_at.name, "COALESCE(" + d_.length(dash.name) + ", 1)"));
  const Value dots_low = define("qdl", split_low(dots_at.name));
  const Value dots_high = define("qdh", split_high(dots_at.name, "3"));
  const Value dots_low2 = define("qdl", split_low(dots_next.name));
  const Value dots_high2 = define("qdh", split_high(dots_next.name, "3"));

  const std::string in_range = "1 = 1";
  const ScaledSql low = scaled(range_low, in_range), high = scaled(range_high, in_range);
  const ScaledSql dots_l = scaled(dots_low, in_range), dots_h = scaled(dots_high, in_range);
  const ScaledSql dots_l2 = scaled(dots_low2, in_range), dots_h2 = scaled(dots_high2, in_range);
  // "2:35" or "1:02:03" in seconds.
  const std::string colon = d_.position(s, "':'");
  const std::string rest = d_.substr(s, colon + " + 1");
  const std::string colon2 = d_.position(rest, "':'");
  const Value duration_ok = define("qdo", flag(d_.matches(s, "^[0-9]{1,4}:[0-9]{1,4}(:[0-9]{1,4})?$")));
  const std::string hours_or_minutes = d_.cast_double(d_.substr(s, "1", colon + " - 1"));
  const std::string second_part = d_.cast_double("CASE WHEN " + colon2 + " > 0 THEN " +
                                                 d_.substr(rest, "1", colon2 + " - 1") + " ELSE " + rest + " END");
  const std::string third_part = d_.cast_double(d_.substr(rest, colon2 + " + 1"));
  const Value duration =
      define("qd",
             // Nested CASEs: an engine may evaluate both sides of an AND, and these casts need the shape checked.
             "CASE WHEN " + is(duration_ok) + " THEN CASE WHEN " + second_part + " < 60 THEN CASE WHEN " + colon2 +
                 " = 0 THEN " + hours_or_minutes + " * " + num(60) + " + " + second_part + " WHEN " + third_part +
                 " < 60 THEN (" + hours_or_minutes + " * " + num(60) + " + " + second_part + ") * " + num(60) + " + " +
                 third_part + " END END END");
  std::vector<std::string> yes(std::begin(words::kTrueWords), std::end(words::kTrueWords));
  std::vector<std::string> no(std::begin(words::kFalseWords), std::end(words::kFalseWords));
  auto range_value = [&](const ScaledSql& lo, const ScaledSql& hi) {
    // "1-10M": a scale word written once applies to both ends.
    return "(CASE WHEN " + lo.factor.name + " = " + num(1) + " THEN " + lo.value.name + " * " + hi.factor.name +
           " ELSE " + lo.value.name + " END + " + hi.value.name + ") / " + num(2);
  };
  const ScaledSql& n = first.number;
  // "over 500" is [500, inf): 500; "under 10" is [0, 10]: 5 ("under -5" is nothing).
  const std::string opened = "CASE WHEN " + first.at_least.name + " = 1 THEN " + n.value.name + " WHEN " +
                             n.value.name + " >= 0 THEN (" + num(0) + " + " + n.value.name + ") / " + num(2) + " END";
  const std::string expr =
      "CASE WHEN " + first.kind.name + " = 4 THEN " + d_.cast_double(s) + " WHEN " + first.kind.name +
      " <> 0 THEN CASE WHEN " + is(n.ok) + " THEN CASE " + first.kind.name + " WHEN 2 THEN " + opened + " ELSE " +
      n.value.name + " END END WHEN " + is(n.ok) + " THEN " + n.value.name + " WHEN " + is(low.ok) + " AND " +
      is(high.ok) + " THEN " + range_value(low, high) + " WHEN " + is(dots_l.ok) + " AND " + is(dots_h.ok) + " THEN " +
      range_value(dots_l, dots_h) + " WHEN " + is(dots_l2.ok) + " AND " + is(dots_h2.ok) + " THEN " +
      range_value(dots_l2, dots_h2) + " WHEN " + duration.name + " IS NOT NULL THEN " + duration.name + " WHEN " +
      in_list(s, yes) + " THEN " + num(1) + " WHEN " + in_list(s, no) + " THEN " + num(0) + " END";
  return memo_[key] = define("q", expr);
}

Value SqlCompiler::boolean(std::size_t column) {
  const auto key = std::make_pair(std::string("boolean"), column);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const Value l = lowered(column);
  const Primary first = primary(column);
  std::vector<std::string> yes(std::begin(words::kTrueWords), std::end(words::kTrueWords));
  std::vector<std::string> no(std::begin(words::kFalseWords), std::end(words::kFalseWords));
  // parse_bool: at most 12 bytes; the words, else a plain number (no sign, currency or scale) above 0.
  const std::string plain = d_.matches(l.name, "^[0-9.," + std::string(kSpaceClass) + "\\x27]*(e[+\\x2d]?[0-9]+)?$");
  return memo_[key] =
             define("bool", "CASE WHEN " + d_.byte_length(l.name) + " > 12 THEN NULL WHEN " + in_list(l.name, yes) +
                                " THEN 1 WHEN " + in_list(l.name, no) + " THEN 0 WHEN " + first.kind.name +
                                " = 4 THEN CASE WHEN " + d_.cast_double(l.name) + " > 0 THEN 1 ELSE 0 END WHEN " +
                                first.kind.name + " = 0 AND " + is(first.number.ok) + " AND " + plain +
                                " THEN CASE WHEN " + first.number.value.name + " > 0 THEN 1 ELSE 0 END END");
}

Value SqlCompiler::date(std::size_t column) {
  const auto key = std::make_pair(std::string("date"), column);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const Value l = lowered(column);
  // parse_date, one number or word per step (at most kMaxDateTokens), from this state:
  struct State {
    Value rest, count, first, second, third, month, separator, done;  // done: 0 reading, 1 complete, 2 not a date
  };
  const std::string seps = "'/-., '";
  const std::string digits = "'0123456789'";
  const std::string letters = text(kLetters);
  std::vector<std::string> months(std::begin(words::kMonths), std::end(words::kMonths));
  std::vector<std::string> noise(std::begin(words::kDateNoise), std::end(words::kDateNoise));
  State s{l, {}, {}, {}, {}, {}, {}, {}};
  // The common ISO form ("2025-03-14", "2025-03-14 10:30", "2025-03-14T10:30Z") starts complete:
  // the tokenizer would read its three numbers and stop at the time.
  const Value iso = define("diso", flag(d_.matches(l.name, "^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]+:|t[0-9]|$)")));
  auto iso_part = [&](const char* start, const char* length) {
    return define("dze", "CASE WHEN " + is(iso) + " THEN " + d_.substr(l.name, start, length) + " ELSE '' END");
  };
  s.count = define("dz", "CASE WHEN " + is(iso) + " THEN 3 ELSE 0 END");
  s.month = define("dz", "0");
  s.first = iso_part("1", "4");
  s.second = iso_part("6", "2");
  s.third = iso_part("9", "2");
  s.separator = define("dze", "''");
  s.done = define("dzd", "CASE WHEN " + d_.byte_length(l.name) + " > 64 THEN 2 WHEN " + is(iso) + " THEN 1 ELSE 0 END");
  for (int step = 0; step <= kMaxDateTokens; ++step) {
    const std::string r = d_.ltrim_chars(s.rest.name, seps);  // separators before the token
    const std::string consumed = d_.substr(s.rest.name, "1", d_.length(s.rest.name) + " - " + d_.length(r));
    const std::string first_mark = "substr(" + d_.ltrim_chars(consumed, "', '") + ", 1, 1)";
    const std::string digit_run = "(" + d_.length(r) + " - " + d_.length(d_.ltrim_chars(r, digits)) + ")";
    const std::string alpha_run = "(" + d_.length(r) + " - " + d_.length(d_.ltrim_chars(r, letters)) + ")";
    const std::string word = d_.substr(r, "1", alpha_run);
    const std::string after_digits = d_.substr(r, digit_run + " + 1");
    const std::string running = s.done.name + " = 0";
    // What this step sees: 0 the end, 1 a time of day or "T" (the date is complete), 2 a number,
    // 3 a month name, 4 a noise word, 5 anything else.
    const std::string kind = "CASE WHEN " + r + " = '' THEN 0 WHEN " + digit_run + " > 0 THEN CASE WHEN substr(" +
                             after_digits + ", 1, 1) = ':' THEN 1 ELSE 2 END WHEN " + alpha_run +
                             " > 0 THEN CASE WHEN " + word + " = 't' AND " + s.count.name + " = 3 THEN 1 WHEN " +
                             alpha_run + " >= 3 AND " + in_list("substr(" + word + ", 1, 3)", months) + " AND " +
                             s.month.name + " = 0 AND (" + alpha_run + " = 3 OR " + word + " = 'sept' OR " +
                             d_.position(text(words::kMonthNames), word) + " > 0) THEN 3 WHEN " +
                             in_list("substr(" + word + ", 1, 3)", noise) + " THEN 4 ELSE 5 END ELSE 5 END";
    const Value k = define("dk", "CASE WHEN " + running + " THEN " + kind + " END");
    const bool last_step = step == kMaxDateTokens;  // only the end or a time may follow
    const std::string number_ok = s.count.name + " < 3 AND " + digit_run + " <= 4";
    State n = s;
    n.done = define("dd", "CASE WHEN " + s.done.name + " <> 0 THEN " + s.done.name + " WHEN " + k.name +
                              " IN (0, 1) THEN 1" +
                              (last_step ? " ELSE 2 END"
                                         : " WHEN " + k.name + " = 2 AND " + number_ok + " THEN 0 WHEN " + k.name +
                                               " IN (3, 4) THEN 0 ELSE 2 END"));
    if (last_step) {
      s = n;
      break;
    }
    const std::string after_number = "CASE WHEN " + d_.substr(after_digits, "1", "2") +
                                     " IN ('st', 'nd', 'rd', 'th') THEN " + d_.substr(after_digits, "3") + " ELSE " +
                                     after_digits + " END";
    n.rest = define("dr", "CASE " + k.name + " WHEN 2 THEN " + after_number + " WHEN 3 THEN " +
                              d_.substr(r, alpha_run + " + 1") + " WHEN 4 THEN " + d_.substr(r, alpha_run + " + 1") +
                              " ELSE " + s.rest.name + " END");
    n.separator = define("ds", "CASE WHEN " + running + " AND " + s.separator.name + " = '' AND " + s.count.name +
                                   " = 1 THEN " + first_mark + " ELSE " + s.separator.name + " END");
    const std::string number = d_.substr(r, "1", digit_run);
    auto slot = [&](const Value& old, int index) {
      return define("dn", "CASE WHEN " + k.name + " = 2 AND " + s.count.name + " = " + std::to_string(index) +
                              " THEN " + number + " ELSE " + old.name + " END");
    };
    n.first = slot(s.first, 0);
    n.second = slot(s.second, 1);
    n.third = slot(s.third, 2);
    n.count = define("dc", "CASE WHEN " + k.name + " = 2 THEN " + s.count.name + " + 1 ELSE " + s.count.name + " END");
    std::string month = "CASE WHEN " + k.name + " = 3 THEN CASE substr(" + word + ", 1, 3)";
    for (std::size_t i = 0; i < months.size(); ++i)
      month += " WHEN " + text(months[i]) + " THEN " + std::to_string(i + 1);
    n.month = define("dm", month + " END ELSE " + s.month.name + " END");
    s = n;
  }
  // The numbers say which is the year, the month and the day.
  auto width = [&](const Value& v) { return d_.length(v.name); };
  auto as_int = [&](const Value& v) {
    return d_.cast_bigint("CASE WHEN " + v.name + " = '' THEN '0' ELSE " + v.name + " END");
  };
  auto full_year = [&](const std::string& y, const std::string& w) {
    return "CASE WHEN " + w + " = 2 THEN CASE WHEN " + y + " < 70 THEN 2000 + " + y + " ELSE 1900 + " + y +
           " END ELSE " + y + " END";
  };
  const std::string a = as_int(s.first), b = as_int(s.second), c = as_int(s.third);
  const std::string wa = width(s.first), wc = width(s.third);
  const std::string named = s.month.name + " <> 0";
  const std::string day_first = "(" + s.separator.name + " <> '/' OR " + a + " > 12)";
  const Value year =
      define("dy", "CASE WHEN " + s.done.name + " <> 1 THEN NULL WHEN " + named + " THEN CASE WHEN " + s.count.name +
                       " = 2 THEN CASE WHEN " + wa + " = 4 THEN " + a + " ELSE " + full_year(b, width(s.second)) +
                       " END END WHEN " + s.count.name + " = 3 THEN CASE WHEN " + wa + " = 4 THEN " + a + " WHEN " +
                       wc + " IN (2, 4) THEN " + full_year(c, wc) + " END END");
  const Value month = define("dmo", "CASE WHEN " + named + " THEN " + s.month.name + " WHEN " + wa + " = 4 THEN " + b +
                                        " WHEN " + day_first + " THEN " + b + " ELSE " + a + " END");
  const Value day =
      define("dda", "CASE WHEN " + named + " THEN CASE WHEN " + wa + " = 4 THEN " + b + " ELSE " + a + " END WHEN " +
                        wa + " = 4 THEN " + c + " WHEN " + day_first + " THEN " + a + " ELSE " + b + " END");
  // days_from_civil, with its checks.
  const std::string y = year.name, mo = month.name, dd = day.name;
  const std::string leap =
      "(" + d_.mod(y, "4") + " = 0 AND " + d_.mod(y, "100") + " <> 0 OR " + d_.mod(y, "400") + " = 0)";
  const std::string month_days =
      "CASE " + mo + " WHEN 2 THEN CASE WHEN " + leap +
      " THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END";
  const Value valid = define("dv", flag(y + " BETWEEN 1800 AND 2300 AND " + mo + " BETWEEN 1 AND 12 AND " + dd +
                                        " >= 1 AND " + dd + " <= " + month_days));
  const std::string yy = "(" + y + " - CASE WHEN " + mo + " <= 2 THEN 1 ELSE 0 END)";
  const std::string era = d_.div(yy, "400");
  const std::string yoe = "(" + yy + " - " + era + " * 400)";
  const std::string doy =
      "(" + d_.div("153 * (" + mo + " + CASE WHEN " + mo + " > 2 THEN -3 ELSE 9 END) + 2", "5") + " + " + dd + " - 1)";
  const std::string doe = "(" + yoe + " * 365 + " + d_.div(yoe, "4") + " - " + d_.div(yoe, "100") + " + " + doy + ")";
  const Value civil = define("dcv", "CASE WHEN " + is(valid) + " THEN " + era + " * 146097 + " + doe + " - 719468 END");
  // Unix seconds or milliseconds (API exports).
  const std::string unix_days = "CASE WHEN " + d_.length(l.name) + " = 13 THEN " +
                                d_.div(d_.div(d_.cast_bigint(l.name), "1000"), "86400") + " ELSE " +
                                d_.div(d_.cast_bigint(l.name), "86400") + " END";
  return memo_[key] = define("d", "CASE WHEN " + d_.matches(l.name, "^([0-9]{10}|[0-9]{13})$") + " THEN " + unix_days +
                                      " ELSE " + civil.name + " END");
}

Value SqlCompiler::domain(std::size_t column) {
  const auto key = std::make_pair(std::string("domain"), column);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const Value l = lowered(column);
  const std::string s = l.name;
  // append_domain: after the last '@' (trailing '>', '.', ' ' dropped), else a URL's host without "www.".
  const std::string last_at = d_.length(d_.rtrim_chars(s, "replace(" + s + ", '@', '')"));
  const Value email_part = define("de", d_.rtrim_chars(d_.substr(s, last_at + " + 1"), "'>. '"));
  const std::string scheme = d_.position(s, "'://'");
  const Value after_scheme =
      define("du", "CASE WHEN " + scheme + " > 0 THEN " + d_.substr(s, scheme + " + 3") + " ELSE " + s + " END");
  const std::string u = after_scheme.name;
  const std::string non_delimiters =
      "replace(replace(replace(replace(" + u + ", '/', ''), '?', ''), '#', ''), ':', '')";
  const Value host =
      define("dh", d_.substr(u, "1", d_.length(u) + " - " + d_.length(d_.ltrim_chars(u, non_delimiters))));
  const Value chosen =
      define("dc", "CASE WHEN " + last_at + " > 0 THEN " + email_part.name + " WHEN substr(" + host.name +
                       ", 1, 4) = 'www.' THEN " + d_.substr(host.name, "5") + " ELSE " + host.name + " END");
  return memo_[key] = define("dom", "CASE WHEN " + d_.position(chosen.name, "'.'") + " = 0 OR " +
                                        d_.position(chosen.name, "' '") + " > 0 THEN '' ELSE " + chosen.name + " END");
}

Value SqlCompiler::email_valid(std::size_t column) {
  const auto key = std::make_pair(std::string("email"), column);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const Value l = lowered(column);
  const std::string at = d_.position(l.name, "'@'");
  const std::string local = d_.substr(l.name, "1", at + " - 1");
  const std::string host = d_.substr(l.name, at + " + 1");
  const std::string bad = "\\x01-\\x20\",<>";
  const std::string local_form = "^[^" + bad + ".]([^" + bad + "]*[^" + bad + ".])?$";
  const std::string host_form = "^([0-9a-z]|[^\\x01-\\x7f])([0-9a-z.\\x2d]|[^\\x01-\\x7f])*[.][a-z]{2,}$";
  return memo_[key] = define(
             "ev", flag(at + " > 1 AND " + d_.byte_length(l.name) + " <= 254 AND " + d_.matches(local, local_form) +
                        " AND " + d_.matches(host, host_form) + " AND " + d_.position(host, "'..'") + " = 0"));
}

Value SqlCompiler::decay_factor(const Decay& decay, std::int64_t column) {
  const std::string key = std::to_string(column) + ":" + std::to_string(decay.half_life_days) + ":" +
                          std::to_string(decay.missing_date_factor);
  if (auto it = decay_memo_.find(key); it != decay_memo_.end()) return it->second;
  if (column < 0) return decay_memo_[key] = define("fx", num(decay.missing_date_factor));
  const Value d = date(static_cast<std::size_t>(column));
  const std::string as_of = options_.as_of ? std::to_string(*options_.as_of)
                            : model_.as_of ? std::to_string(*model_.as_of)
                                           : d_.today_days();
  const std::string age = "CASE WHEN " + as_of + " - " + d.name + " > 0 THEN " + as_of + " - " + d.name + " ELSE 0 END";
  const Value x = define("hx", d_.cast_double(age) + " / " + num(decay.half_life_days));
  const Value whole = define("hw", d_.trunc(x.name));
  const Value y = define("hy", "(-(" + x.name + " - " + whole.name + ")) * " + num(0.6931471805599453));
  // half_life_factor's Taylor series, term by term in the same order (+ and * only).
  std::string term = num(1);
  std::string sum = num(1);
  for (int k = 1; k < 24; ++k) {
    term = "(" + term + " * (" + y.name + " / " + num(k) + "))";
    sum = "(" + sum + " + " + term + ")";
  }
  return decay_memo_[key] = define("hf", "CASE WHEN " + d.name + " IS NULL THEN " + num(decay.missing_date_factor) +
                                             " WHEN NOT (" + x.name + " > 0) THEN " + num(1) + " WHEN " + x.name +
                                             " > " + num(1000) + " THEN " + num(0) + " ELSE " + sum + " * " +
                                             d_.power_of_two("-" + d_.cast_bigint(whole.name)) + " END");
}

SqlCompiler::RuleSql SqlCompiler::rule_sql(const Rule& rule, Axis axis, std::size_t column, const Decay* decay,
                                           std::int64_t decay_column) {
  RuleSql r{&rule, axis, column, {}, {}, {}, {}, {}, {}};
  const Value l = lowered(column);
  const Value m = missing(column);
  std::string matched, base = num(rule.points);
  auto in_range = [&](const std::string& v, const std::optional<double>& at_least, const std::optional<double>& below) {
    std::string out = v + " IS NOT NULL";
    if (at_least) out += " AND " + v + " >= " + num(*at_least);
    if (below) out += " AND " + v + " < " + num(*below);
    return out;
  };
  std::string band = "0";
  switch (rule.matcher) {
    case Matcher::PerUnit: {
      const Value q = quantity(column);
      base = q.name + " * " + num(rule.per_unit);
      matched = q.name + " IS NOT NULL AND " + base + " <> " + num(0);
      break;
    }
    case Matcher::Range: {
      const Value q = quantity(column);
      matched = in_range(q.name, rule.at_least, rule.below);
      break;
    }
    case Matcher::Bands: {
      const Value q = quantity(column);
      band = "CASE";
      base = "CASE";
      for (std::size_t i = 0; i < rule.bands.size(); ++i) {
        const std::string when = " WHEN " + in_range(q.name, rule.bands[i].at_least, rule.bands[i].below);
        band += when + " THEN " + std::to_string(i + 1);
        base += when + " THEN " + num(rule.bands[i].points);
      }
      band += " ELSE 0 END";
      base += " END";
      matched = base + " IS NOT NULL";
      break;
    }
    case Matcher::Equals: matched = in_list(l.name, rule.texts); break;
    case Matcher::ContainsAny: {
      std::string pattern;
      for (const std::string& needle : rule.texts) {
        std::string piece;
        if (is_word_byte(needle.front())) piece += "(^|" + std::string(kNonWordClass) + ")";
        piece += regex_escape(needle);
        if (is_word_byte(needle.back())) piece += "(" + std::string(kNonWordClass) + "|$)";
        pattern += (pattern.empty() ? "" : "|") + piece;
      }
      matched = d_.matches(l.name, pattern);
      break;
    }
    case Matcher::DomainIn: {
      const Value dom = domain(column);
      matched = dom.name + " <> '' AND (" + in_list(dom.name, rule.texts);
      for (const std::string& parent : rule.texts) {
        const std::string n = std::to_string(char_count(parent));
        matched += " OR (" + d_.length(dom.name) + " > " + n + " AND " +
                   d_.substr(dom.name, d_.length(dom.name) + " - " + n) + " = " + text("." + parent) + ")";
      }
      matched += ")";
      break;
    }
    case Matcher::Is: {
      const Value b = boolean(column);
      matched = b.name + " = " + (rule.is ? "1" : "0");
      break;
    }
    case Matcher::Present: matched = "1 = 1"; break;
    case Matcher::WithinDays:
    case Matcher::OlderThanDays: {
      const Value d = date(column);
      const std::string as_of = options_.as_of ? std::to_string(*options_.as_of)
                                : model_.as_of ? std::to_string(*model_.as_of)
                                               : d_.today_days();
      const std::string age =
          d_.cast_double("CASE WHEN " + as_of + " - " + d.name + " > 0 THEN " + as_of + " - " + d.name + " ELSE 0 END");
      matched =
          d.name + " IS NOT NULL AND " + age + (rule.matcher == Matcher::WithinDays ? " <= " : " > ") + num(rule.days);
      break;
    }
    case Matcher::InvalidEmail: {
      const Value valid = email_valid(column);
      matched = valid.name + " = 0";
      break;
    }
  }
  const std::string mp = rule.missing_points ? num(*rule.missing_points) : "NULL";
  const Value hit = define("hit", "CASE WHEN " + m.name + " = 1 THEN " + (rule.missing_points ? "1" : "0") + " WHEN " +
                                      matched + " THEN 1 ELSE 0 END");
  const Value raw = define("raw", "CASE WHEN " + m.name + " = 1 THEN " + mp + " ELSE " + base + " END");
  r.band = define("band", "CASE WHEN " + m.name + " = 1 THEN 0 ELSE " + band + " END");
  r.missing = m;
  // capped(): |points| above the cap become the cap, with their sign.
  std::string points = raw.name;
  if (rule.cap) {
    r.capped = define("cap", flag("abs(" + raw.name + ") > " + num(*rule.cap)));
    points = "CASE WHEN " + is(r.capped) + " THEN CASE WHEN " + raw.name + " > " + num(0) + " THEN " + num(*rule.cap) +
             " ELSE " + num(-*rule.cap) + " END ELSE " + raw.name + " END";
  } else {
    r.capped = define("cap", "0");
  }
  const Value after_cap = define("pc", points);
  std::string decayed = after_cap.name;
  if (decay) {
    const Value f = decay_factor(*decay, decay_column);
    r.factor =
        define("fa", "CASE WHEN " + after_cap.name + " > " + num(0) + " THEN " + f.name + " ELSE " + num(1) + " END");
    decayed = "CASE WHEN " + after_cap.name + " > " + num(0) + " THEN " + after_cap.name + " * " + f.name + " ELSE " +
              after_cap.name + " END";
  } else {
    r.factor = define("fa", num(1));
  }
  const Value pd = define("pd", decayed);
  r.points = define("p", "CASE WHEN " + is(hit) + " THEN " + round_tenths(pd.name) + " END");
  return r;
}

std::string SqlCompiler::label_of(const RuleSql& r) const {
  std::string out = "CASE " + r.band.name;
  bool any = false;
  for (std::size_t i = 0; i < r.rule->bands.size(); ++i) {
    if (r.rule->bands[i].label.empty()) continue;
    out += " WHEN " + std::to_string(i + 1) + " THEN " + text(r.rule->bands[i].label);
    any = true;
  }
  return any ? out + " ELSE " + text(r.rule->label) + " END" : text(r.rule->label);
}

/// Where a text the SQL would carry holds a NUL character ("" when none): no engine's text can.
std::string SqlCompiler::nul_in_texts(const std::vector<std::string>& keys) const {
  auto has_nul = [](const std::string& t) { return t.find('\0') != std::string::npos; };
  for (const std::string& k : keys) {
    if (has_nul(k)) return "a key column name";
  }
  if (has_nul(options_.table)) return "the table name";
  for (const auto& [field, column] : options_.columns) {
    if (has_nul(field) || (column && has_nul(*column))) return "the column mapping";
  }
  for (const std::string& w : model_.missing.words()) {
    if (has_nul(w)) return "/missing_values";
  }
  for (const auto* rules : {&model_.fit.rules, &model_.engagement.rules, &model_.disqualifiers}) {
    for (const Rule& rule : *rules) {
      bool found = has_nul(rule.label) || has_nul(rule.reason) || has_nul(rule.field);
      for (const auto& t : rule.texts) found = found || has_nul(t);
      for (const auto& b : rule.bands) found = found || has_nul(b.label);
      if (found) return rule.json_path;
    }
  }
  for (const auto* grades : {&model_.segments.fit_grades, &model_.segments.engagement_grades}) {
    for (const auto& g : *grades) {
      if (has_nul(g.grade)) return "/segments";
    }
  }
  return "";
}

Error SqlCompiler::unsupported(const std::string& where) const {
  Error e{ErrorCode::SqlUnsupported, std::string(sql_dialect_name(options_.dialect)) +
                                         " text cannot hold a NUL character, and " + where +
                                         " has one; remove it to export the model as SQL"};
  if (!where.empty() && where[0] == '/') e.json_path = where;
  return e;
}

Result<std::string> SqlCompiler::compile() {
  // The columns as the core would map them: a list whose headers are these names.
  std::vector<std::string> headers;
  std::map<std::string, std::int64_t, std::less<>> field_columns;
  auto header_of = [&](const std::string& name) {
    const auto it = std::find(headers.begin(), headers.end(), name);
    if (it != headers.end()) return static_cast<std::int64_t>(it - headers.begin());
    headers.push_back(name);
    return static_cast<std::int64_t>(headers.size() - 1);
  };
  auto column_for = [&](const std::string& field) -> std::optional<std::string> {
    if (auto it = options_.columns.find(field); it != options_.columns.end()) return it->second;
    if (field.rfind("column:", 0) == 0) return field.substr(7);
    if (!options_.columns.empty()) return std::nullopt;  // a mapping names every column there is
    if (auto it = model_.columns.find(field); it != model_.columns.end() && !it->second.empty())
      return it->second.front();
    return field;
  };
  std::set<std::string> fields;
  for (const auto* rules : {&model_.fit.rules, &model_.engagement.rules, &model_.disqualifiers}) {
    for (const Rule& rule : *rules) {
      fields.insert(rule.field);
      if (rule.decay) fields.insert(rule.decay->date_field);
    }
  }
  for (const auto* axis : {&model_.fit, &model_.engagement}) {
    if (axis->decay) fields.insert(axis->decay->date_field);
  }
  for (const std::string& field : fields) {
    if (const auto column = column_for(field)) field_columns[field] = header_of(*column);
  }
  // "column:<header>" fields find their header by normalized name, as in a list.
  ColumnMapping mapping(headers);
  for (const auto& [field, index] : field_columns) {
    if (field.rfind("column:", 0) != 0) mapping.set(field, index);
  }
  const std::int32_t as_of_for_scorer = options_.as_of ? *options_.as_of : model_.as_of ? *model_.as_of : 0;
  const Scorer scorer(model_, mapping, as_of_for_scorer);
  auto column_of = [&](const std::string& field) -> std::int64_t {
    const std::int64_t c = mapping.column_of(field);
    return c < 0 ? -1 : static_cast<std::int64_t>(column_index(headers[static_cast<std::size_t>(c)]));
  };

  // Keys returned as they are.
  std::vector<std::string> keys = options_.keys;
  if (const std::string where = nul_in_texts(keys); !where.empty()) return unsupported(where);
  if (keys.empty()) {
    for (const char* field : {"record_id", "email"}) {
      if (auto it = options_.columns.find(field); it != options_.columns.end() && it->second)
        keys.push_back(*it->second);
    }
  }
  if (keys.empty()) {
    return Error{
        ErrorCode::InvalidArgument,
        "say which columns identify a lead (keys; --key in the CLI), or map record_id or email in the columns"};
  }

  // Rules, axis by axis.
  struct AxisSql {
    std::vector<RuleSql> rules;
  } fit, engagement;
  std::vector<RuleSql> disqualifiers;
  for (Axis axis : {Axis::Fit, Axis::Engagement}) {
    const AxisModel& model_axis = model_.axis(axis);
    auto& out = axis == Axis::Fit ? fit.rules : engagement.rules;
    for (const Rule& rule : model_axis.rules) {
      const std::int64_t column = column_of(rule.field);
      if (column < 0) continue;
      const Decay* decay = rules::decay_of(rule, &model_axis);
      out.push_back(
          rule_sql(rule, axis, static_cast<std::size_t>(column), decay, decay ? column_of(decay->date_field) : -1));
    }
  }
  for (const Rule& rule : model_.disqualifiers) {
    const std::int64_t column = column_of(rule.field);
    if (column >= 0) disqualifiers.push_back(rule_sql(rule, Axis::Fit, static_cast<std::size_t>(column), nullptr, -1));
  }

  // Groups: the first of the best hits counts (rules::beats: a later hit must have more points).
  auto counted_for = [&](std::vector<RuleSql>& rules) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      std::string condition = rules[i].points.name + " IS NOT NULL";
      if (!rules[i].rule->group.empty()) {
        for (std::size_t j = 0; j < rules.size(); ++j) {
          if (j == i || rules[j].rule->group != rules[i].rule->group) continue;
          condition += " AND (" + rules[j].points.name + " IS NULL OR " + rules[j].points.name +
                       (j < i ? " < " : " <= ") + rules[i].points.name + ")";
        }
      }
      rules[i].counted = define("k", flag(condition));
    }
  };
  counted_for(fit.rules);
  counted_for(engagement.rules);

  auto axis_tenths = [&](const std::vector<RuleSql>& rules) {
    std::string sum = "0";
    for (const RuleSql& r : rules) sum += " + CASE WHEN " + is(r.counted) + " THEN " + r.points.name + " ELSE 0 END";
    return sum;
  };
  const Value fit_points = define("fitp", axis_tenths(fit.rules));
  const Value engagement_points = define("engp", axis_tenths(engagement.rules));
  std::string disqualifier = "CASE";
  for (std::size_t i = 0; i < disqualifiers.size(); ++i) {
    const RuleSql& r = disqualifiers[i];
    // A disqualifier holds when it matches a value (not through missing_points).
    disqualifier +=
        " WHEN " + r.points.name + " IS NOT NULL AND " + r.missing.name + " = 0 THEN " + std::to_string(i + 1);
  }
  const Value disqualified = define("dq", disqualifiers.empty() ? "0" : disqualifier + " ELSE 0 END");

  // Axis scores in tenths (set_axis), the total, the grade and the temperature (segment).
  auto score_tenths = [&](const Value& points, const AxisScore& axis) {
    if (!axis.measured) return std::string("0");
    const std::string p = "(" + points.name + " / " + num(10) + ")";
    const std::string clamped = "CASE WHEN " + p + " < " + num(0) + " THEN " + num(0) + " WHEN " + p + " > " +
                                num(axis.max_points) + " THEN " + num(axis.max_points) + " ELSE " + p + " END";
    return round_tenths("(" + clamped + ") / " + num(axis.max_points) + " * " + num(100));
  };
  const AxisScore& fit_axis = scorer.axis_template(Axis::Fit);
  const AxisScore& engagement_axis = scorer.axis_template(Axis::Engagement);
  const Value fit_score = define("fits", score_tenths(fit_points, fit_axis));
  const Value engagement_score = define("engs", score_tenths(engagement_points, engagement_axis));
  const auto& seg = model_.segments;
  const double wf = fit_axis.measured ? seg.fit_weight : 0;
  const double we = engagement_axis.measured ? seg.engagement_weight : 0;
  const std::string fit_value = "(" + fit_score.name + " / " + num(10) + ")";
  const std::string engagement_value = "(" + engagement_score.name + " / " + num(10) + ")";
  const Value total = define("tot", wf + we > 0 ? round_tenths("(" + num(wf) + " * " + fit_value + " + " + num(we) +
                                                               " * " + engagement_value + ") / " + num(wf + we))
                                                : "0");
  auto grade_of = [&](const std::vector<GradeBand>& bands, const std::string& score) {
    std::string out = "CASE";
    for (const auto& band : bands) out += " WHEN " + score + " >= " + num(band.at_least) + " THEN " + text(band.grade);
    return out + " ELSE '' END";
  };
  const Value grade = define("grade", "(" + grade_of(seg.fit_grades, fit_value) + " || " +
                                          grade_of(seg.engagement_grades, engagement_value) + ")");
  const std::string total_value = "(" + total.name + " / " + num(10) + ")";
  // held_back: a hot total whose fit or engagement is below its minimum stays warm.
  std::string held = "CASE";
  auto hold = [&](const AxisScore& axis, double minimum, const char* name, const Value& score) {
    if (minimum <= 0) return;
    if (!axis.measured) {
      held += " WHEN 1 = 1 THEN " + text(messages::held_back_unmeasured(name));
      return;
    }
    const auto below = messages::held_back_below(name, minimum);
    held += " WHEN (" + score.name + " / " + num(10) + ") < " + num(minimum) + " THEN " + text(below.before) + " || " +
            tenths_text(score.name, false, true) + " || " + text(below.after);
  };
  hold(fit_axis, seg.hot_min_fit, "fit", fit_score);
  hold(engagement_axis, seg.hot_min_engagement, "engagement", engagement_score);
  const bool can_hold = held != "CASE";
  const Value held_back = define("held", can_hold ? "CASE WHEN " + disqualified.name + " = 0 AND " + total_value +
                                                        " >= " + num(seg.hot) + " THEN " + held + " END END"
                                                  : "NULL");
  std::string temperature;
  if (seg.method == Segmentation::Method::Matrix) {
    temperature = "CASE WHEN " + disqualified.name + " <> 0 THEN 'cold' ELSE CASE " + grade.name;
    for (const auto& [cell, t] : seg.matrix)
      temperature += " WHEN " + text(cell) + " THEN " + text(temperature_name(t));
    temperature += " END END";
  } else {
    temperature = "CASE WHEN " + disqualified.name + " <> 0 THEN 'cold' WHEN " + total_value + " >= " + num(seg.hot) +
                  " THEN CASE WHEN " + held_back.name + " IS NULL THEN 'hot' ELSE 'warm' END WHEN " + total_value +
                  " >= " + num(seg.warm) + " THEN 'warm' ELSE 'cold' END";
  }
  const Value temp = define("temp", temperature);

  // Reasons (Scorer::reasons): the counted hits that give points, by impact, model order breaking ties.
  std::vector<const RuleSql*> hits;
  for (const auto* rules : {&fit.rules, &engagement.rules}) {
    for (const RuleSql& r : *rules) hits.push_back(&r);
  }
  // Each shown hit's impact (-1 when not shown), its place (how many shown hits come before it:
  // bigger impact, or the same impact earlier in the model) and its text.
  std::vector<Value> impact(hits.size()), place_of(hits.size()), piece_of(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const RuleSql& r = *hits[i];
    impact[i] = define("a", "CASE WHEN " + is(r.counted) + " AND " + r.points.name + " <> 0 THEN abs(" + r.points.name +
                                ") ELSE -1 END");
    const std::string hundredths = d_.cast_bigint(round_half_away(r.factor.name + " * " + num(100)));
    const std::string factor_text = text(messages::kDecayed) + " || " + d_.cast_text(d_.div(hundredths, "100")) +
                                    " || '.' || " + d_.cast_text(d_.mod(d_.div(hundredths, "10"), "10")) + " || " +
                                    d_.cast_text(d_.mod(hundredths, "10"));
    piece_of[i] = define("why", "CASE WHEN " + impact[i].name + " > 0 THEN " + label_of(r) + " || " +
                                    text(messages::kPointsOpen) + " || " + tenths_text(r.points.name, true, true) +
                                    " || CASE WHEN " + is(r.missing) + " THEN " + text(messages::kNoValue) +
                                    " ELSE '' END || CASE WHEN " + is(r.capped) + " THEN " + text(messages::kCapped) +
                                    " ELSE '' END || CASE WHEN " + r.factor.name + " < " + num(1) + " THEN " +
                                    factor_text + " ELSE '' END || " + text(messages::kPointsClose) + " END");
  }
  for (std::size_t i = 0; i < hits.size(); ++i) {
    std::string before = "0";
    for (std::size_t j = 0; j < hits.size(); ++j) {
      if (j != i) before += " + " + d_.to_int(impact[j].name + (j < i ? " >= " : " > ") + impact[i].name);
    }
    place_of[i] = define("at", "CASE WHEN " + impact[i].name + " > 0 THEN " + before + " ELSE -1 END");
  }
  std::string reasons = "CASE " + disqualified.name + " WHEN 0 THEN ''";
  for (std::size_t i = 0; i < disqualifiers.size(); ++i) {
    reasons += " WHEN " + std::to_string(i + 1) + " THEN " +
               text(std::string(messages::kDisqualified) + disqualifiers[i].rule->reason);
  }
  reasons += " END";
  const Value lead = define("lead", "CASE WHEN " + held_back.name + " IS NULL THEN " + reasons + " ELSE " +
                                        text(messages::kHeldBack) + " || " + held_back.name + " END");
  std::string joined = lead.name;
  for (std::size_t place = 0; place < hits.size(); ++place) {
    std::string at_place = "CASE";
    for (std::size_t i = 0; i < hits.size(); ++i) {
      at_place += " WHEN " + place_of[i].name + " = " + std::to_string(place) + " THEN " + piece_of[i].name;
    }
    const Value piece = define("pl", at_place + " END");
    const std::string separator = text(messages::kSeparator);
    joined += place == 0 ? " || CASE WHEN " + lead.name + " <> '' AND " + piece.name + " IS NOT NULL THEN " +
                               separator + " ELSE '' END || COALESCE(" + piece.name + ", '')"
                         : " || COALESCE(" + separator + " || " + piece.name + ", '')";
  }
  const Value why = define("reasons", joined);

  // The query: level 0 reads the table, each level adds its columns, the last picks the results.
  std::string sql = "-- leadscore: " + (model_.name.empty() ? std::string("model") : model_.name) + ", for " +
                    sql_dialect_name(options_.dialect) + "\n";
  for (const auto& [field, index] : field_columns) {
    sql += "--   " + field + " <- " + headers[static_cast<std::size_t>(index)] + "\n";
  }
  for (const std::string& absent : scorer.absent_fields())
    sql += "--   " + absent + ": no column (its rules never fire)\n";
  if (options_.dialect == SqlDialect::Postgres) {
    // LLVM compiling these many expressions costs more than running them (6 times, on 45,000 leads).
    sql += "-- Run with SET jit = off: compiling this query takes longer than running it.\n";
  }
  std::string table;
  for (std::size_t start = 0;;) {
    const std::size_t dot = options_.table.find('.', start);
    table += (table.empty() ? "" : ".") + d_.ident(options_.table.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < keys.size(); ++i) select += d_.ident(keys[i]) + " AS ls_key_" + std::to_string(i) + ", ";
  std::string space_set;
  for (std::string_view sp : words::kSpaceLike) space_set += sp;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    select += d_.trim_chars("COALESCE(" + d_.cast_text(d_.ident(columns_[i])) + ", '')", text(space_set)) + " AS " +
              trimmed_[i].name + (i + 1 < columns_.size() ? ", " : "");
  }
  if (columns_.empty()) select += "0 AS ls_none";
  // Each level carries only the columns a later level still reads, behind a fence that keeps the
  // engine from pasting a column's expression into every place that reads it (which grows
  // exponentially over the levels).
  std::string final_select = total_value + " AS lead_score, " + fit_value + " AS lead_fit, " + engagement_value +
                             " AS lead_engagement, " + temp.name + " AS lead_temperature, " + why.name +
                             " AS lead_reasons";
  const int final_level = static_cast<int>(levels_.size());
  std::map<std::string, int> last_use;
  for (std::size_t level = 1; level < levels_.size(); ++level) {
    for (const auto& entry : levels_[level]) {
      for_each_column(entry.second, [&](const std::string& name) {
        last_use[name] = std::max(last_use[name], static_cast<int>(level));
      });
    }
  }
  for_each_column(final_select, [&](const std::string& name) { last_use[name] = final_level; });
  const std::string fence_open = options_.dialect == SqlDialect::SQLite ? " AS MATERIALIZED (" : " AS (";
  const std::string fence_close = options_.dialect == SqlDialect::Postgres ? " OFFSET 0)" : ")";
  sql += "WITH ls_0" + fence_open + select + " FROM " + table + fence_close;
  for (std::size_t level = 1; level < levels_.size(); ++level) {
    sql += ",\nls_" + std::to_string(level) + fence_open + "SELECT ";
    for (std::size_t i = 0; i < keys.size(); ++i) sql += "ls_key_" + std::to_string(i) + ", ";
    for (const auto& [name, defined] : level_of_) {
      const auto use = last_use.find(name);
      if (defined < static_cast<int>(level) && use != last_use.end() && use->second >= static_cast<int>(level)) {
        sql += name + ", ";
      }
    }
    for (std::size_t i = 0; i < levels_[level].size(); ++i) {
      sql += "\n  " + levels_[level][i].second + " AS " + levels_[level][i].first +
             (i + 1 < levels_[level].size() ? "," : "");
    }
    sql += "\n  FROM ls_" + std::to_string(level - 1) + fence_close;
  }
  sql += "\nSELECT ";
  for (std::size_t i = 0; i < keys.size(); ++i)
    sql += "ls_key_" + std::to_string(i) + " AS " + d_.ident(keys[i]) + ", ";
  sql += final_select + "\nFROM ls_" + std::to_string(levels_.size() - 1) + ";\n";
  return sql;
}

}  // namespace

const char* sql_dialect_name(SqlDialect dialect) noexcept {
  switch (dialect) {
    case SqlDialect::Postgres: return "postgres";
    case SqlDialect::DuckDB: return "duckdb";
    case SqlDialect::SQLite: return "sqlite";
    case SqlDialect::BigQuery: return "bigquery";
    case SqlDialect::Snowflake: return "snowflake";
    case SqlDialect::Spark: return "spark";
  }
  return "postgres";
}

const std::vector<SqlDialect>& sql_dialects() {
  static const std::vector<SqlDialect> all = {SqlDialect::Postgres, SqlDialect::DuckDB,    SqlDialect::SQLite,
                                              SqlDialect::BigQuery, SqlDialect::Snowflake, SqlDialect::Spark};
  return all;
}

std::optional<SqlDialect> sql_dialect_named(std::string_view name) noexcept {
  for (SqlDialect d : sql_dialects()) {
    if (name == sql_dialect_name(d)) return d;
  }
  if (name == "postgresql") return SqlDialect::Postgres;
  return std::nullopt;
}

Result<std::string> compile_sql(const ScoringModel& model, const SqlOptions& options) {
  return SqlCompiler(model, options).compile();
}

Result<std::map<std::string, std::optional<std::string>, std::less<>>> parse_sql_columns(std::string_view json_text) {
  using Json = nlohmann::json;
  std::map<std::string, std::optional<std::string>, std::less<>> out;
  const Json j = Json::parse(json_text.begin(), json_text.end(), nullptr, false);
  auto fail = [](const std::string& path, const std::string& message) {
    Error e{ErrorCode::InvalidArgument, message};
    e.json_path = path;
    return e;
  };
  if (j.is_discarded()) return Error{ErrorCode::InvalidArgument, "the column mapping is not valid JSON"};
  if (!j.is_object()) return fail("", "expected an object of lead field -> column name (or null)");
  if (j.contains("columns") && j["columns"].is_array()) {
    // `leadscore columns --json`: every column with the field it maps to.
    for (std::size_t i = 0; i < j["columns"].size(); ++i) {
      const Json& c = j["columns"][i];
      if (!c.is_object() || !c.contains("header") || !c["header"].is_string()) {
        return fail("/columns/" + std::to_string(i), "expected {\"header\": ..., \"field\": ...}");
      }
      if (c.contains("field") && c["field"].is_string())
        out[c["field"].get<std::string>()] = c["header"].get<std::string>();
    }
    return out;
  }
  for (const auto& item : j.items()) {
    if (item.value().is_null()) {
      out[item.key()] = std::nullopt;
    } else if (item.value().is_string()) {
      out[item.key()] = item.value().get<std::string>();
    } else {
      return fail("/" + item.key(), "expected a column name or null");
    }
  }
  return out;
}

}  // namespace leadscore
