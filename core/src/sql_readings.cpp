// The model as SQL, reading cells as values.cpp does: numbers from their digits over a power of
// ten, ranges, scale words, dates, domains, email validity, booleans and decay factors.
#include <algorithm>
#include <cmath>

#include "detail/sql_compiler.hpp"
#include "rules.hpp"

namespace leadscore::sql {

std::string regex_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_word_byte(c)) {
      out += c;
    } else {
      // In brackets: PostgreSQL reads every hex digit after \x, so "\x20c" would be one character.
      char escape[8];
      std::snprintf(escape, sizeof escape, "[\\x%02x]", static_cast<unsigned char>(c));
      out += escape;
    }
  }
  return out;
}

std::size_t char_count(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Value SqlCompiler::define(const std::string& hint, const std::string& expr, const std::string& comment) {
  constexpr std::size_t kRows = static_cast<std::size_t>(-1);
  Levels* levels = at_;
  std::size_t scope = kRows;
  if (at_ == &main_) {
    bool rows = false;
    for_each_column(expr, [&](const std::string& name) {
      const auto it = scope_of_.find(name);
      rows = rows || it == scope_of_.end() || (scope != kRows && scope != it->second);
      if (it != scope_of_.end()) scope = it->second;
    });
    if (rows || scope == kRows) {
      scope = kRows;
      for_each_column(expr, [&](const std::string& name) { export_to_rows(name); });
    } else {
      levels = &scopes_[scope].levels;
    }
  }
  int level = levels == &main_ ? 2 : 1;
  for_each_column(expr, [&](const std::string& name) { level = std::max(level, levels->level_of.at(name) + 1); });
  if (levels->defined.size() <= static_cast<std::size_t>(level))
    levels->defined.resize(static_cast<std::size_t>(level) + 1);
  Value v{"ls_" + hint + "_" + std::to_string(next_name_++), level};
  levels->defined[static_cast<std::size_t>(level)].emplace_back(v.name, expr);
  levels->level_of[v.name] = level;
  if (!comment.empty()) levels->comment_of[v.name] = comment;
  if (scope != kRows) scope_of_[v.name] = scope;
  return v;
}

void SqlCompiler::export_to_rows(const std::string& name) {
  const auto it = scope_of_.find(name);
  if (it == scope_of_.end() || main_.level_of.count(name)) return;  // a row value, or already read
  ColumnScope& scope = scopes_[it->second];
  scope.exported.push_back(name);
  on_level_one(main_, name, "lk" + std::to_string(it->second) + "." + name);
}

void SqlCompiler::on_level_one(Levels& levels, const std::string& name, const std::string& expr) {
  if (levels.defined.size() < 2) levels.defined.resize(2);
  levels.defined[1].emplace_back(name, expr);
  levels.level_of[name] = 1;
}

SqlColumnType SqlCompiler::column_type(std::size_t column) const {
  const auto it = options_.types.find(columns_[column]);
  return it == options_.types.end() ? SqlColumnType::Text : it->second;
}

Value SqlCompiler::read_column(SqlColumnType as, std::size_t column, Value (SqlCompiler::*read)(const Value&)) {
  const SqlColumnType type = column_type(column);
  const std::string v = typed_name(column);
  const auto key = std::make_pair(std::string("typed"), v + ":" + std::to_string(static_cast<int>(as)));
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  // The value read as the core reads its canonical text: a number's digits, an ISO date (a
  // timestamp's date part), true or false.
  if (as == SqlColumnType::Number && type == SqlColumnType::Number) return memo_[key] = define("tv", d_.cast_double(v));
  if (as == SqlColumnType::Date && (type == SqlColumnType::Date || type == SqlColumnType::Timestamp))
    return memo_[key] = define("tv", d_.days_since_epoch(type == SqlColumnType::Timestamp ? d_.cast_date(v) : v));
  if (as == SqlColumnType::Boolean && type == SqlColumnType::Boolean)
    return memo_[key] = define("tv", "CASE WHEN " + v + " THEN 1 WHEN NOT " + v + " THEN 0 END");
  const char* reading = as == SqlColumnType::Number ? "quantity" : as == SqlColumnType::Date ? "date" : "boolean";
  return joined(reading, column, read);
}

Value SqlCompiler::joined(const char* reading, std::size_t column, Value (SqlCompiler::*read)(const Value&)) {
  const auto key = std::make_pair(std::string(reading), trimmed_[column].name);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  Reading& r = readings_[reading];
  if (r.text.name.empty()) {
    r.text = Value{"ls_" + std::string(reading) + "_t", 0};
    r.levels.level_of[r.text.name] = 0;
    Levels* const outer = at_;
    at_ = &r.levels;
    r.result = (this->*read)(r.text);
    at_ = outer;
  }
  r.columns.push_back(column);
  // Joined on level 1 of the column's scope: one row a distinct text.
  ColumnScope& scope = scopes_[column];
  const std::string table = "lr_" + std::string(reading) + "_" + std::to_string(r.levels.defined.size() - 1);
  const std::string alias = "lj" + std::to_string(next_name_++);
  const std::string on = alias + "." + r.text.name + " = lc" + std::to_string(column) + "_0." + trimmed_[column].name;
  // SQLite indexes a subquery's table for its look-ups, where it scans a joined one for each row.
  std::string expr =
      "(SELECT " + alias + "." + r.result.name + " FROM " + table + " AS " + alias + " WHERE " + on + ")";
  if (options_.dialect != SqlDialect::SQLite) {
    scope.joins.push_back(Join{table, alias, on});
    expr = alias + "." + r.result.name;
  }
  Value v{"ls_j_" + std::to_string(next_name_++), 1};
  on_level_one(scope.levels, v.name, expr);
  scope_of_[v.name] = column;
  return memo_[key] = v;
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
  const std::size_t c = columns_.size() - 1;
  main_.level_of[raw_name(c)] = 0;
  scopes_.emplace_back();
  scopes_.back().levels.level_of[t.name] = 0;
  scopes_.back().levels.level_of[raw_name(c)] = 0;
  scope_of_[t.name] = c;
  if (column_type(c) != SqlColumnType::Text) {
    scopes_.back().levels.level_of[typed_name(c)] = 0;
    scope_of_[typed_name(c)] = c;
  }
  return c;
}

Value SqlCompiler::lowered(const Value& cell) {
  const auto key = std::make_pair(std::string("lower"), cell.name);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  return memo_[key] = define("l", d_.lower_ascii(cell.name));
}

Value SqlCompiler::missing(const Value& cell) {
  const auto key = std::make_pair(std::string("missing"), cell.name);
  if (auto it = memo_.find(key); it != memo_.end()) return it->second;
  const Value l = lowered(cell);
  return memo_[key] = define("m", flag("(" + l.name + " = '' OR " + in_list(l.name, model_.missing.words()) + ")"));
}

SqlCompiler::PlainSql SqlCompiler::plain_number(const Value& mantissa, const std::string& in_range) {
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
      "(CASE WHEN " + dots.name + " = 1 THEN " + last_dot.name + " ELSE " + last_comma.name + " END)";
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
  return PlainSql{dig, decimals, mantissa_ok};
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
  const PlainSql plain = plain_number(mantissa, in_range);
  const Value& dig = plain.digits;
  const Value& decimals = plain.decimals;
  const Value& mantissa_ok = plain.ok;
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

SqlCompiler::Primary SqlCompiler::primary(const Value& cell) {
  if (auto it = primary_memo_.find(cell.name); it != primary_memo_.end()) return it->second;
  const Value l = lowered(cell);
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
  return primary_memo_[cell.name] = Primary{k, up, scaled(candidate, "(" + k.name + " <> 0)")};
}

Value SqlCompiler::quantity_of(const Value& cell) {
  const Value l = lowered(cell);
  const std::string s = l.name;
  const Primary first = primary(cell);
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
  return define("q", expr);
}

Value SqlCompiler::boolean_of(const Value& cell) {
  const Value l = lowered(cell);
  const Primary first = primary(cell);
  std::vector<std::string> yes(std::begin(words::kTrueWords), std::end(words::kTrueWords));
  std::vector<std::string> no(std::begin(words::kFalseWords), std::end(words::kFalseWords));
  // parse_bool: at most 12 bytes; the words, else a plain number (no sign, currency or scale) above 0.
  const std::string plain = d_.matches(l.name, "^[0-9.," + std::string(kSpaceClass) + "\\x27]*(e[+\\x2d]?[0-9]+)?$");
  return define("bool", "CASE WHEN " + d_.byte_length(l.name) + " > 12 THEN NULL WHEN " + in_list(l.name, yes) +
                            " THEN 1 WHEN " + in_list(l.name, no) + " THEN 0 WHEN " + first.kind.name +
                            " = 4 THEN CASE WHEN " + d_.cast_double(l.name) + " > 0 THEN 1 ELSE 0 END WHEN " +
                            first.kind.name + " = 0 AND " + is(first.number.ok) + " AND " + plain + " THEN CASE WHEN " +
                            first.number.value.name + " > 0 THEN 1 ELSE 0 END END");
}

SqlCompiler::DateTokens SqlCompiler::date_tokens(const Value& l) {
  // parse_date, one number or word per step (at most kMaxDateTokens), from this state:
  const std::string seps = "'/-., '";
  const std::string digits = "'0123456789'";
  const std::string letters = text(kLetters);
  std::vector<std::string> months(std::begin(words::kMonths), std::end(words::kMonths));
  std::vector<std::string> noise(std::begin(words::kDateNoise), std::end(words::kDateNoise));
  DateTokens s{l, {}, {}, {}, {}, {}, {}, {}};
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
    DateTokens n = s;
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
  return s;
}

Value SqlCompiler::civil_day(const DateTokens& s) {
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
  const std::string yy = "(" + y + " - (CASE WHEN " + mo + " <= 2 THEN 1 ELSE 0 END))";
  const std::string era = d_.div(yy, "400");
  const std::string yoe = "(" + yy + " - " + era + " * 400)";
  const std::string doy =
      "(" + d_.div("153 * (" + mo + " + CASE WHEN " + mo + " > 2 THEN -3 ELSE 9 END) + 2", "5") + " + " + dd + " - 1)";
  const std::string doe = "(" + yoe + " * 365 + " + d_.div(yoe, "4") + " - " + d_.div(yoe, "100") + " + " + doy + ")";
  return define("dcv", "CASE WHEN " + is(valid) + " THEN " + era + " * 146097 + " + doe + " - 719468 END");
}

Value SqlCompiler::date_of(const Value& cell) {
  const Value l = lowered(cell);
  const Value civil = civil_day(date_tokens(l));
  // Unix seconds or milliseconds (API exports).
  const std::string unix_days = "CASE WHEN " + d_.length(l.name) + " = 13 THEN " +
                                d_.div(d_.div(d_.cast_bigint(l.name), "1000"), "86400") + " ELSE " +
                                d_.div(d_.cast_bigint(l.name), "86400") + " END";
  return define("d", "CASE WHEN " + d_.matches(l.name, "^([0-9]{10}|[0-9]{13})$") + " THEN " + unix_days + " ELSE " +
                         civil.name + " END");
}

Value SqlCompiler::domain_of(const Value& cell) {
  const Value l = lowered(cell);
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
  return define("dom", "CASE WHEN " + d_.position(chosen.name, "'.'") + " = 0 OR " + d_.position(chosen.name, "' '") +
                           " > 0 THEN '' ELSE " + chosen.name + " END");
}

Value SqlCompiler::email_valid_of(const Value& cell) {
  const Value l = lowered(cell);
  const std::string at = d_.position(l.name, "'@'");
  const std::string local = d_.substr(l.name, "1", at + " - 1");
  const std::string host = d_.substr(l.name, at + " + 1");
  const std::string bad = "\\x01-\\x20\",<>";
  const std::string local_form = "^[^" + bad + ".]([^" + bad + "]*[^" + bad + ".])?$";
  const std::string host_form = "^([0-9a-z]|[^\\x01-\\x7f])([0-9a-z.\\x2d]|[^\\x01-\\x7f])*[.][a-z]{2,}$";
  return define("ev", flag(at + " > 1 AND " + d_.byte_length(l.name) + " <= 254 AND " + d_.matches(local, local_form) +
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
  // half_life_factor's Taylor series, term by term in the same order (+ and * only), each term
  // its own column so that the next one reads it rather than repeating it.
  std::string term = num(1);
  std::string sum = num(1);
  for (int k = 1; k < 24; ++k) {
    term = define("ht", "(" + term + " * (" + y.name + " / " + num(k) + "))").name;
    sum = "(" + sum + " + " + term + ")";
  }
  return decay_memo_[key] = define("hf", "CASE WHEN " + d.name + " IS NULL THEN " + num(decay.missing_date_factor) +
                                             " WHEN NOT (" + x.name + " > 0) THEN " + num(1) + " WHEN " + x.name +
                                             " > " + num(1000) + " THEN " + num(0) + " ELSE " + sum + " * " +
                                             d_.power_of_two("-" + d_.cast_bigint(whole.name)) + " END");
}

}  // namespace leadscore::sql
