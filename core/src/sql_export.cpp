#include "leadscore/sql_export.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "detail/sql_compiler.hpp"
#include "leadscore/numbers.hpp"
#include "messages.hpp"
#include "rules.hpp"

namespace leadscore {

namespace sql {

std::string SqlCompiler::phrases_pattern(const std::vector<std::string>& phrases) const {
  std::string pattern;
  for (const std::string& needle : phrases) {
    std::string piece;
    if (is_word_byte(needle.front())) piece += "(^|" + std::string(kNonWordClass) + ")";
    piece += regex_escape(needle);
    if (is_word_byte(needle.back())) piece += "(" + std::string(kNonWordClass) + "|$)";
    pattern += (pattern.empty() ? "" : "|") + piece;
  }
  return pattern;
}

std::string SqlCompiler::domain_in(const Value& dom, const std::vector<std::string>& domains) const {
  std::string matched = dom.name + " <> '' AND (" + in_list(dom.name, domains);
  for (const std::string& parent : domains) {
    const std::string n = std::to_string(char_count(parent));
    matched += " OR (" + d_.length(dom.name) + " > " + n + " AND " +
               d_.substr(dom.name, d_.length(dom.name) + " - " + n) + " = " + text("." + parent) + ")";
  }
  return matched + ")";
}

std::string SqlCompiler::age_test(const Value& d, const Rule& rule) const {
  const std::string as_of = options_.as_of ? std::to_string(*options_.as_of)
                            : model_.as_of ? std::to_string(*model_.as_of)
                                           : d_.today_days();
  const std::string age =
      d_.cast_double("CASE WHEN " + as_of + " - " + d.name + " > 0 THEN " + as_of + " - " + d.name + " ELSE 0 END");
  return d.name + " IS NOT NULL AND " + age + (rule.matcher == Matcher::WithinDays ? " <= " : " > ") + num(rule.days);
}

SqlCompiler::Match SqlCompiler::match_sql(const Rule& rule, std::size_t column, const Value& l) {
  Match match{"", num(rule.points), "0"};
  std::string& matched = match.matched;
  std::string& base = match.base;
  std::string& band = match.band;
  auto in_range = [&](const std::string& v, const std::optional<double>& at_least, const std::optional<double>& below) {
    std::string range = v + " IS NOT NULL";
    if (at_least) range += " AND " + v + " >= " + num(*at_least);
    if (below) range += " AND " + v + " < " + num(*below);
    return range;
  };
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
      matched = d_.matches(l.name, phrases_pattern(rule.texts));
      break;
    }
    case Matcher::DomainIn: {
      matched = domain_in(domain(column), rule.texts);
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
      matched = age_test(date(column), rule);
      break;
    }
    case Matcher::InvalidEmail: {
      const Value valid = email_valid(column);
      matched = valid.name + " = 0";
      break;
    }
  }
  return match;
}

SqlCompiler::RuleSql SqlCompiler::rule_sql(const Rule& rule, Axis axis, std::size_t column, const Decay* decay,
                                           std::int64_t decay_column) {
  RuleSql r{&rule, axis, column, {}, {}, {}, {}, {}, {}};
  const Value l = lowered(trimmed_[column]);
  const Value m = missing(trimmed_[column]);
  const Match match = match_sql(rule, column, l);
  const std::string& matched = match.matched;
  const std::string& base = match.base;
  const std::string& band = match.band;
  if (rule.matcher == Matcher::Bands)
    r.band = define("band", "CASE WHEN " + m.name + " = 1 THEN 0 ELSE " + band + " END");
  r.missing = m;
  if (!decay && rule.matcher != Matcher::PerUnit) {
    // The points are known here: the rule's own outcomes, written as tenths and whether capped.
    const auto tenths = [&](const rules::Outcome& o) {
      return std::make_pair(num(static_cast<double>(o.tenths)), std::string(o.capped ? "1" : "0"));
    };
    const auto missing = rule.missing_points ? tenths(rules::missed(rule)) : std::make_pair(std::string("NULL"), "0");
    std::string points = "CASE WHEN " + m.name + " = 1 THEN " + missing.first;
    std::string capped = "CASE WHEN " + m.name + " = 1 THEN " + missing.second;
    if (rule.matcher == Matcher::Bands) {
      points += " ELSE CASE " + r.band.name;
      capped += " ELSE CASE " + r.band.name;
      for (std::size_t i = 0; i < rule.bands.size(); ++i) {
        const auto band_points = tenths(rules::fired(rule, i));
        points += " WHEN " + std::to_string(i + 1) + " THEN " + band_points.first;
        capped += " WHEN " + std::to_string(i + 1) + " THEN " + band_points.second;
      }
      points += " END END";
      capped += " ELSE 0 END END";
    } else {
      const auto hit_points = tenths(rules::fired(rule, 0));
      points += " WHEN " + matched + " THEN " + hit_points.first + " END";
      capped += " WHEN " + matched + " THEN " + hit_points.second + " ELSE 0 END";
    }
    r.capped = define("cap", rule.cap ? capped : "0");
    r.factor = define("fa", num(1));
    r.points = define("p", points, rule_comment(rule, decay));
    return r;
  }
  const std::string mp = rule.missing_points ? num(*rule.missing_points) : "NULL";
  const Value hit = define("hit", "CASE WHEN " + m.name + " = 1 THEN " + (rule.missing_points ? "1" : "0") + " WHEN " +
                                      matched + " THEN 1 ELSE 0 END");
  const Value raw = define("raw", "CASE WHEN " + m.name + " = 1 THEN " + mp + " ELSE " + base + " END");
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
  r.points = define("p", "CASE WHEN " + is(hit) + " THEN " + round_tenths(pd.name) + " END", rule_comment(rule, decay));
  return r;
}

namespace {

/// `text` as a comment line: "-- " and the text, its control characters as spaces.
std::string comment_line(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return "-- " + text + "\n";
}

}  // namespace

std::string SqlCompiler::rule_comment(const Rule& rule, const Decay* decay) const {
  const auto points = [](double p) { return format_points(p); };
  std::string out = rule.label + " (" + rule.field + "): ";
  const auto& disqualifiers = model_.disqualifiers;
  if (!disqualifiers.empty() && &rule >= &disqualifiers.front() && &rule <= &disqualifiers.back()) {
    out += "disqualifies";
  } else if (rule.matcher == Matcher::PerUnit) {
    out += points(rule.per_unit) + " each";
  } else if (rule.matcher == Matcher::Bands) {
    for (std::size_t i = 0; i < rule.bands.size(); ++i) out += (i ? " / " : "") + points(rule.bands[i].points);
    out += " by band";
  } else {
    out += points(rule.points);
  }
  if (rule.cap) out += ", at most " + format_number(*rule.cap);
  if (rule.missing_points) out += ", " + points(*rule.missing_points) + " when missing";
  if (decay) out += ", halving every " + format_number(decay->half_life_days) + " days";
  return out;
}

std::string SqlCompiler::label_of(const RuleSql& r) const {
  if (r.band.name.empty()) return text(r.rule->label);  // not a bands rule
  std::string out = "CASE " + r.band.name;
  bool any = false;
  for (std::size_t i = 0; i < r.rule->bands.size(); ++i) {
    if (r.rule->bands[i].label.empty()) continue;
    out += " WHEN " + std::to_string(i + 1) + " THEN " + text(r.rule->bands[i].label);
    any = true;
  }
  return any ? out + " ELSE " + text(r.rule->label) + " END" : text(r.rule->label);
}

std::string SqlCompiler::texts_holding(const std::vector<std::string>& keys, char c) const {
  auto has_nul = [c](const std::string& t) { return t.find(c) != std::string::npos; };
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

Error SqlCompiler::unsupported(const std::string& where, const std::string& why) const {
  Error e{ErrorCode::SqlUnsupported, std::string(sql_dialect_name(options_.dialect)) + " " + why + ", and " + where +
                                         " has one; remove it to export the model as SQL"};
  if (!where.empty() && where[0] == '/') e.json_path = where;
  return e;
}

Result<std::string> SqlCompiler::compile() {
  map_table();
  if (Status keys = choose_keys(); !keys.ok()) return keys.error();
  bind_rules();
  sum_axes();
  score_axes();
  segment();
  reason_pieces();
  join_reasons();
  return assemble();
}

void SqlCompiler::map_table() {
  // The columns as the core would map them: a list whose headers are these names.
  auto header_of = [&](const std::string& name) {
    const auto it = std::find(headers_.begin(), headers_.end(), name);
    if (it != headers_.end()) return static_cast<std::int64_t>(it - headers_.begin());
    headers_.push_back(name);
    return static_cast<std::int64_t>(headers_.size() - 1);
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
    if (const auto column = column_for(field)) field_columns_[field] = header_of(*column);
  }
  // "column:<header>" fields find their header by normalized name, as in a list.
  mapping_ = std::make_unique<ColumnMapping>(headers_);
  for (const auto& [field, index] : field_columns_) {
    if (field.rfind("column:", 0) != 0) mapping_->set(field, index);
  }
  const std::int32_t as_of_for_scorer = options_.as_of ? *options_.as_of : model_.as_of ? *model_.as_of : 0;
  scorer_ = std::make_unique<Scorer>(model_, *mapping_, as_of_for_scorer);
}

std::int64_t SqlCompiler::column_of(const std::string& field) {
  const std::int64_t c = mapping_->column_of(field);
  return c < 0 ? -1 : static_cast<std::int64_t>(column_index(headers_[static_cast<std::size_t>(c)]));
}

Status SqlCompiler::choose_keys() {
  // Keys returned as they are.
  if (const std::string where = texts_holding(options_.keys, '\0'); !where.empty())
    return unsupported(where, "text cannot hold a NUL character");
  if (options_.dialect == SqlDialect::Snowflake) {
    if (const std::string where = texts_holding(options_.keys, kReasonMark); !where.empty())
      return unsupported(where, "reasons are sorted as texts marked with the control character U+001E");
  }
  keys_ = sql_keys(options_);
  if (keys_.empty()) {
    return Error{
        ErrorCode::InvalidArgument,
        "say which columns identify a lead (keys; --key in the CLI), or map record_id or email in the columns"};
  }
  return Ok{};
}

void SqlCompiler::bind_rules() {
  // Rules, axis by axis.
  for (Axis axis : {Axis::Fit, Axis::Engagement}) {
    const AxisModel& model_axis = model_.axis(axis);
    auto& out = axis == Axis::Fit ? fit_ : engagement_;
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
    if (column >= 0) disqualifiers_.push_back(rule_sql(rule, Axis::Fit, static_cast<std::size_t>(column), nullptr, -1));
  }

  // Groups: the first of the best hits counts (rules::beats: a later hit must have more points).
  const auto counted_for = [&](std::vector<RuleSql>& rules) {
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
  counted_for(fit_);
  counted_for(engagement_);
}

void SqlCompiler::sum_axes() {
  auto axis_tenths = [&](const std::vector<RuleSql>& rules) {
    std::string sum = "0";
    for (const RuleSql& r : rules) sum += " + CASE WHEN " + is(r.counted) + " THEN " + r.points.name + " ELSE 0 END";
    return sum;
  };
  fit_points_ = define("fitp", axis_tenths(fit_));
  engagement_points_ = define("engp", axis_tenths(engagement_));
  std::string disqualifier = "CASE";
  for (std::size_t i = 0; i < disqualifiers_.size(); ++i) {
    const RuleSql& r = disqualifiers_[i];
    // A disqualifier holds when it matches a value (not through missing_points).
    disqualifier +=
        " WHEN " + r.points.name + " IS NOT NULL AND " + r.missing.name + " = 0 THEN " + std::to_string(i + 1);
  }
  disqualified_ = define("dq", disqualifiers_.empty() ? "0" : disqualifier + " ELSE 0 END");
}

void SqlCompiler::score_axes() {
  // Axis scores in tenths (set_axis), the total, the grade and the temperature (segment).
  auto score_tenths = [&](const Value& points, const AxisScore& axis) {
    if (!axis.measured) return std::string("0");
    const std::string p = "(" + points.name + " / " + num(10) + ")";
    const std::string clamped = "CASE WHEN " + p + " < " + num(0) + " THEN " + num(0) + " WHEN " + p + " > " +
                                num(axis.max_points) + " THEN " + num(axis.max_points) + " ELSE " + p + " END";
    return round_tenths("(" + clamped + ") / " + num(axis.max_points) + " * " + num(100));
  };
  const AxisScore& fit_axis = scorer_->axis_template(Axis::Fit);
  const AxisScore& engagement_axis = scorer_->axis_template(Axis::Engagement);
  const Value fit_score = define("fits", score_tenths(fit_points_, fit_axis));
  const Value engagement_score = define("engs", score_tenths(engagement_points_, engagement_axis));
  const auto& seg = model_.segments;
  const double wf = fit_axis.measured ? seg.fit_weight : 0;
  const double we = engagement_axis.measured ? seg.engagement_weight : 0;
  fit_score_ = fit_score;
  engagement_score_ = engagement_score;
  fit_value_ = "(" + fit_score.name + " / " + num(10) + ")";
  engagement_value_ = "(" + engagement_score.name + " / " + num(10) + ")";
  const std::string& fit_value = fit_value_;
  const std::string& engagement_value = engagement_value_;
  const Value total = define("tot", wf + we > 0 ? round_tenths("(" + num(wf) + " * " + fit_value + " + " + num(we) +
                                                               " * " + engagement_value + ") / " + num(wf + we))
                                                : "0");
  auto grade_of = [&](const std::vector<GradeBand>& bands, const std::string& score) {
    std::string out = "CASE";
    for (const auto& band : bands) out += " WHEN " + score + " >= " + num(band.at_least) + " THEN " + text(band.grade);
    return out + " ELSE '' END";
  };
  grade_ = define("grade", "(" + grade_of(seg.fit_grades, fit_value) + " || " +
                               grade_of(seg.engagement_grades, engagement_value) + ")");
  total_value_ = "(" + total.name + " / " + num(10) + ")";
}

void SqlCompiler::segment() {
  const AxisScore& fit_axis = scorer_->axis_template(Axis::Fit);
  const AxisScore& engagement_axis = scorer_->axis_template(Axis::Engagement);
  const auto& seg = model_.segments;
  const std::string& total_value = total_value_;
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
  hold(fit_axis, seg.hot_min_fit, "fit", fit_score_);
  hold(engagement_axis, seg.hot_min_engagement, "engagement", engagement_score_);
  const bool can_hold = held != "CASE";
  held_back_ = define("held", can_hold ? "CASE WHEN " + disqualified_.name + " = 0 AND " + total_value +
                                             " >= " + num(seg.hot) + " THEN " + held + " END END"
                                       : "NULL");
  std::string temperature;
  if (seg.method == Segmentation::Method::Matrix) {
    temperature = "CASE WHEN " + disqualified_.name + " <> 0 THEN 'cold' ELSE CASE " + grade_.name;
    for (const auto& [cell, t] : seg.matrix)
      temperature += " WHEN " + text(cell) + " THEN " + text(temperature_name(t));
    temperature += " END END";
  } else {
    temperature = "CASE WHEN " + disqualified_.name + " <> 0 THEN 'cold' WHEN " + total_value + " >= " + num(seg.hot) +
                  " THEN CASE WHEN " + held_back_.name + " IS NULL THEN 'hot' ELSE 'warm' END WHEN " + total_value +
                  " >= " + num(seg.warm) + " THEN 'warm' ELSE 'cold' END";
  }
  temperature_ = define("temp", temperature);
}

std::string SqlCompiler::reason_text(const std::function<std::string(const char*)>& field) const {
  // "<label> (<+points>[, no value][, capped][, decayed x0.50])"
  const std::string f = field("f");
  const std::string hundredths = d_.cast_bigint(round_half_away(f + " * " + num(100)));
  const std::string factor_text = text(messages::kDecayed) + " || " + d_.cast_text(d_.div(hundredths, "100")) +
                                  " || '.' || " + d_.cast_text(d_.mod(d_.div(hundredths, "10"), "10")) + " || " +
                                  d_.cast_text(d_.mod(hundredths, "10"));
  return field("l") + " || " + text(messages::kPointsOpen) + " || " + tenths_text(field("t"), true, true) +
         " || CASE WHEN " + field("m") + " = 1 THEN " + text(messages::kNoValue) + " ELSE '' END || CASE WHEN " +
         field("c") + " = 1 THEN " + text(messages::kCapped) + " ELSE '' END || CASE WHEN " + f + " < " + num(1) +
         " THEN " + factor_text + " ELSE '' END || " + text(messages::kPointsClose);
}

std::string SqlCompiler::sorted_reasons(const std::vector<std::vector<std::string>>& hits) const {
  static constexpr const char* kFields[] = {"k", "i", "l", "t", "m", "c", "f"};
  const std::string separator = text(messages::kSeparator);
  if (hits.empty()) return "''";  // no rule reads a column the table has
  const std::string text_of = reason_text([](const char* f) { return "h." + std::string(f); });
  std::string rows;
  // An array of structs sorted by key then model order, each written as its text.
  const auto structs = [&](const std::function<std::string(const char* field, const std::string& value)>& member,
                           const char* open, const char* close) {
    std::string out;
    for (const auto& hit : hits) {
      std::string row;
      for (std::size_t f = 0; f < hit.size(); ++f) row += (f ? ", " : open) + member(kFields[f], hit[f]);
      out += (out.empty() ? "" : ", ") + row + close;
    }
    return out;
  };
  switch (options_.dialect) {
    case SqlDialect::DuckDB:
      rows = structs([](const char* f, const std::string& v) { return "'" + std::string(f) + "': " + v; }, "{", "}");
      return "array_to_string(list_transform(list_sort(list_filter([" + rows + "], h -> h.k < 0)), h -> " + text_of +
             "), " + separator + ")";
    case SqlDialect::Spark:
      rows = structs([](const char* f, const std::string& v) { return "'" + std::string(f) + "', " + v; },
                     "named_struct(", ")");
      return "array_join(transform(array_sort(filter(array(" + rows + "), h -> h.k < 0)), h -> " + text_of + "), " +
             separator + ")";
    case SqlDialect::Trino:
      // Fields by name only on a row cast to a named row type.
      rows = structs([](const char*, const std::string& v) { return v; }, "CAST(ROW(",
                     ") AS ROW(k BIGINT, i INTEGER, l VARCHAR, t BIGINT, m INTEGER, c INTEGER, f DOUBLE))");
      return "array_join(transform(array_sort(filter(ARRAY[" + rows + "], h -> h.k < 0)), h -> " + text_of + "), " +
             separator + ")";
    case SqlDialect::Snowflake: {
      // Each shown hit's text behind a fixed-width key, so that sorting the texts sorts the hits;
      // the keys come off once the texts are joined, each after the start or a mark.
      const std::string mark = "CHR(" + std::to_string(static_cast<int>(kReasonMark)) + ")";
      for (const auto& hit : hits) {
        const std::string key = "LPAD(TO_VARCHAR(" + d_.cast_bigint("1000000000000000 + " + hit[0]) +
                                "), 16, '0') || LPAD(TO_VARCHAR(" + hit[1] + "), 5, '0')";
        const std::string piece = reason_text([&](const char* f) {
          std::size_t j = 0;
          while (std::string_view(kFields[j]) != f) ++j;
          return hit[j];
        });
        rows += (rows.empty() ? "" : ", ") + std::string("CASE WHEN ") + hit[0] + " < 0 THEN " + key + " || " + piece +
                " END";
      }
      return "REPLACE(REGEXP_REPLACE(ARRAY_TO_STRING(ARRAY_SORT(ARRAY_CONSTRUCT_COMPACT(" + rows + ")), " + mark +
             "), " + d_.regex_literal("(^|" + regex_escape(std::string(1, kReasonMark)) + ")[0-9]{21}") + ", " +
             d_.regex_literal("\\1") + "), " + mark + ", " + separator + ")";
    }
    case SqlDialect::BigQuery:
      rows = structs([](const char* f, const std::string& v) { return v + " AS " + f; }, "STRUCT(", ")");
      return "ARRAY_TO_STRING(ARRAY(SELECT " + text_of + " FROM UNNEST([" + rows +
             "]) AS h WHERE h.k < 0 ORDER BY h.k, h.i), " + separator + ")";
    default: break;
  }
  // The hits as a UNION ALL of rows named by the first (a VALUES list that reads the row's columns
  // loses its column names in SQLite), the shown ones joined in order.
  for (const auto& hit : hits) {
    std::string row;
    for (std::size_t f = 0; f < hit.size(); ++f)
      row += (f ? ", " : "SELECT ") + hit[f] + (rows.empty() ? " AS " + std::string(kFields[f]) : "");
    rows += (rows.empty() ? "" : " UNION ALL ") + row;
  }
  if (options_.dialect == SqlDialect::SQLite) {  // group_concat joins in the order of its input
    return "COALESCE((SELECT group_concat(" + text_of + ", " + separator + ") FROM (SELECT * FROM (" + rows +
           ") WHERE k < 0 ORDER BY k, i) AS h), '')";
  }
  return "COALESCE((SELECT string_agg(" + text_of + ", " + separator + " ORDER BY h.k, h.i) FROM (" + rows +
         ") AS h WHERE h.k < 0), '')";
}

void SqlCompiler::reason_pieces() {
  // Reasons (Scorer::reasons): the counted hits that give points, by impact, model order breaking ties.
  std::vector<const RuleSql*> hits;
  for (const auto* rules : {&fit_, &engagement_}) {
    for (const RuleSql& r : *rules) hits.push_back(&r);
  }
  // Each shown hit's impact (-1 when not shown).
  std::vector<Value> impact(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const RuleSql& r = *hits[i];
    impact[i] = define("a", "CASE WHEN " + is(r.counted) + " AND " + r.points.name + " <> 0 THEN abs(" + r.points.name +
                                ") ELSE -1 END");
  }
  std::vector<std::vector<std::string>> fields;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const RuleSql& r = *hits[i];
    fields.push_back({d_.cast_bigint("-" + impact[i].name), std::to_string(i), label_of(r),
                      d_.cast_bigint("COALESCE(" + r.points.name + ", 0)"), r.missing.name, r.capped.name,
                      d_.cast_double(r.factor.name)});
  }
  sorted_reasons_ = define("rl", sorted_reasons(fields));
}

void SqlCompiler::join_reasons() {
  std::string reasons = "CASE " + disqualified_.name + " WHEN 0 THEN ''";
  for (std::size_t i = 0; i < disqualifiers_.size(); ++i) {
    reasons += " WHEN " + std::to_string(i + 1) + " THEN " +
               text(std::string(messages::kDisqualified) + disqualifiers_[i].rule->reason);
  }
  reasons += " END";
  const Value lead = define("lead", "CASE WHEN " + held_back_.name + " IS NULL THEN " + reasons + " ELSE " +
                                        text(messages::kHeldBack) + " || " + held_back_.name + " END");
  const std::string separator = text(messages::kSeparator);
  const std::string list = sorted_reasons_.name;
  reasons_ = define("reasons", lead.name + " || CASE WHEN " + lead.name + " <> '' AND " + list + " <> '' THEN " +
                                   separator + " ELSE '' END || " + list);
}

std::string SqlCompiler::heading_and_table() const {
  std::string sql = "-- leadscore: " + (model_.name.empty() ? std::string("model") : model_.name) + ", for " +
                    sql_dialect_name(options_.dialect) + "\n";
  for (const auto& [field, index] : field_columns_) {
    sql += "--   " + field + " <- " + headers_[static_cast<std::size_t>(index)] + "\n";
  }
  for (const std::string& absent : scorer_->absent_fields())
    sql += "--   " + absent + ": no column (its rules never fire)\n";
  if (options_.dialect == SqlDialect::Postgres) {
    // LLVM compiling these many expressions costs more than running them.
    sql += "-- Run with SET jit = off: compiling this query takes longer than running it.\n";
  }
  std::string table = options_.relation;
  for (std::size_t start = 0; options_.relation.empty();) {
    const std::size_t dot = options_.table.find('.', start);
    table += (table.empty() ? "" : ".") + d_.ident(options_.table.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < keys_.size(); ++i)
    select += d_.ident(keys_[i]) + " AS ls_key_" + std::to_string(i) + ", ";
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (column_type(i) != SqlColumnType::Text) select += d_.ident(columns_[i]) + " AS " + typed_name(i) + ", ";
    select += "COALESCE(" + d_.cast_text(d_.ident(columns_[i])) + ", '') AS " + raw_name(i) +
              (i + 1 < columns_.size() ? ", " : "");
  }
  if (columns_.empty()) select += "0 AS ls_none";
  return sql + "WITH ls_0" + fence_open() + select + " FROM " + table + fence_close();
}

std::string SqlCompiler::levels_sql(const std::string& prefix, const Levels& levels,
                                    const std::vector<std::string>& results, const std::string& keys,
                                    const std::string& joins) const {
  // Each level carries only the columns a later level still reads, behind a fence that keeps the
  // engine from pasting a column's expression into every place that reads it (which grows
  // exponentially over the levels).
  const auto& defined = levels.defined;
  std::map<std::string, int> last_use;
  for (std::size_t level = 1; level < defined.size(); ++level) {
    for (const auto& entry : defined[level]) {
      for_each_column(entry.second, [&](const std::string& name) {
        last_use[name] = std::max(last_use[name], static_cast<int>(level));
      });
    }
  }
  for (const std::string& name : results) last_use[name] = static_cast<int>(defined.size());
  std::string sql;
  for (std::size_t level = 1; level < defined.size(); ++level) {
    std::vector<std::string> columns;
    for (const auto& [name, at] : levels.level_of) {
      const auto use = last_use.find(name);
      if (at < static_cast<int>(level) && use != last_use.end() && use->second >= static_cast<int>(level))
        columns.push_back(level == 1 && !joins.empty() ? prefix + "0." + name : name);  // a joined table may have it
    }
    for (const auto& [name, expr] : defined[level]) {
      const auto comment = levels.comment_of.find(name);
      columns.push_back("\n  " + (comment == levels.comment_of.end() ? "" : comment_line(comment->second) + "  ") +
                        expr + " AS " + name);
    }
    if (columns.empty()) columns.push_back("0 AS ls_none");  // a level that only carries the keys
    sql += ",\n" + prefix + std::to_string(level) + fence_open() + "SELECT " + keys;
    for (std::size_t i = 0; i < columns.size(); ++i)
      sql += (i == 0 ? "" : columns[i][0] == '\n' ? "," : ", ") + columns[i];
    sql += "\n  FROM " + prefix + std::to_string(level - 1) + (level == 1 ? joins : "") + fence_close();
  }
  return sql;
}

std::string SqlCompiler::assemble() const {
  // The query: level 0 reads the table; each column's part starts from its distinct texts, each
  // reading from those of its columns (and is joined to their parts); the rows' level 1 joins the
  // columns' parts by their texts, later levels add theirs, and the last picks the results.
  std::string sql = heading_and_table();
  std::string joins;
  std::string space_set;
  for (std::string_view sp : words::kSpaceLike) space_set += sp;
  for (std::size_t c = 0; c < scopes_.size(); ++c) {
    // A column's distinct texts, trimmed.
    if (scopes_[c].exported.empty()) continue;
    const std::string read = raw_name(c) + (column_type(c) == SqlColumnType::Text ? "" : ", " + typed_name(c));
    sql += ",\n" + comment_line(columns_[c] + ": each distinct text, trimmed") + "lc" + std::to_string(c) + "_0" +
           fence_open() + "SELECT " + read + ", " + d_.trim_chars(raw_name(c), text(space_set)) + " AS " +
           trimmed_[c].name + " FROM (SELECT DISTINCT " + read + " FROM ls_0) AS ls_distinct" + fence_close();
  }
  for (const auto& [name, r] : readings_) {
    std::string texts;
    for (const std::size_t c : r.columns)
      texts += (texts.empty() ? "SELECT " : " UNION ALL SELECT ") + trimmed_[c].name + " AS ls_text FROM lc" +
               std::to_string(c) + "_0";
    const std::string prefix = "lr_" + name + "_";  // not ls_: never read as a column
    static const std::map<std::string, std::string> kWhat = {
        {"quantity", "numbers as the core reads them (\"1,200\", \"$1.5M\", \"51-200\", \"10000+\")"},
        {"boolean", "yes/no words"},
        {"date", "dates in any order the core reads, as days since 1970-01-01"},
        {"domain", "the domain of an email or web address"},
        {"email", "whether an email address is well formed"}};
    const auto what = kWhat.find(name);
    sql += ",\n" + comment_line((what == kWhat.end() ? name : what->second) + ", once for each distinct text") +
           prefix + "0" + fence_open() + "SELECT DISTINCT ls_text AS " + r.text.name + " FROM (" + texts +
           ") AS ls_texts" + fence_close();
    sql += levels_sql(prefix, r.levels, {r.text.name, r.result.name}, "", "");
  }
  const auto joins_sql = [](const std::vector<Join>& list) {
    std::string out;
    for (const Join& j : list) out += " LEFT JOIN " + j.table + " AS " + j.alias + " ON " + j.on;
    return out;
  };
  std::vector<Join> scope_joins;
  std::map<std::size_t, std::size_t> scope_index;  // column -> its join
  for (std::size_t c = 0; c < scopes_.size(); ++c) {
    const ColumnScope& scope = scopes_[c];
    if (scope.exported.empty()) continue;
    const std::string raw = raw_name(c);
    const std::string prefix = "lc" + std::to_string(c) + "_";
    std::vector<std::string> results = scope.exported;
    results.push_back(raw);
    const std::string levels = levels_sql(prefix, scope.levels, results, "", joins_sql(scope.joins));
    sql += ",\n" + comment_line(columns_[c] + ": what its rules give, once for each distinct text") + levels.substr(2);
    const std::string alias = "lk" + std::to_string(c);
    scope_index[c] = scope_joins.size();
    scope_joins.push_back(
        Join{prefix + std::to_string(scope.levels.defined.size() - 1), alias, alias + "." + raw + " = ls_0." + raw});
  }
  Levels rows = main_;
  if (options_.dialect == SqlDialect::SQLite) {
    // SQLite indexes a subquery's table for its look-ups, where it scans some joined ones each row.
    for (auto& [name, expr] : rows.defined[1]) {
      const auto it = scope_of_.find(name);
      if (it == scope_of_.end()) continue;
      const Join& j = scope_joins[scope_index[it->second]];
      expr = "(SELECT " + j.alias + "." + name + " FROM " + j.table + " AS " + j.alias + " WHERE " + j.on + ")";
    }
  } else {
    joins = joins_sql(scope_joins);
  }
  const std::string final_select = total_value_ + " AS lead_score, " + fit_value_ + " AS lead_fit, " +
                                   engagement_value_ + " AS lead_engagement, " + temperature_.name +
                                   " AS lead_temperature, " + reasons_.name + " AS lead_reasons";
  std::vector<std::string> results;
  for_each_column(final_select, [&](const std::string& name) { results.push_back(name); });
  std::string keys;
  for (std::size_t i = 0; i < keys_.size(); ++i) keys += "ls_key_" + std::to_string(i) + ", ";
  sql +=
      ",\n" +
      comment_line("Each lead: its columns' results by their texts, then groups, decay, axes, segments and reasons") +
      levels_sql("ls_", rows, results, keys, joins).substr(2);
  sql += "\nSELECT ";
  for (std::size_t i = 0; i < keys_.size(); ++i)
    sql += "ls_key_" + std::to_string(i) + " AS " + d_.ident(keys_[i]) + ", ";
  sql += final_select + "\nFROM ls_" + std::to_string(std::max<std::size_t>(main_.defined.size(), 1) - 1) + ";\n";
  return sql;
}

}  // namespace sql

const char* sql_dialect_name(SqlDialect dialect) noexcept {
  switch (dialect) {
    case SqlDialect::Postgres: return "postgres";
    case SqlDialect::DuckDB: return "duckdb";
    case SqlDialect::SQLite: return "sqlite";
    case SqlDialect::BigQuery: return "bigquery";
    case SqlDialect::Snowflake: return "snowflake";
    case SqlDialect::Spark: return "spark";
    case SqlDialect::Trino: return "trino";
  }
  return "postgres";
}

const std::vector<SqlDialect>& sql_dialects() {
  static const std::vector<SqlDialect> all = {SqlDialect::Postgres, SqlDialect::DuckDB,    SqlDialect::SQLite,
                                              SqlDialect::BigQuery, SqlDialect::Snowflake, SqlDialect::Spark,
                                              SqlDialect::Trino};
  return all;
}

std::optional<SqlDialect> sql_dialect_named(std::string_view name) noexcept {
  for (SqlDialect d : sql_dialects()) {
    if (name == sql_dialect_name(d)) return d;
  }
  if (name == "postgresql") return SqlDialect::Postgres;
  if (name == "presto" || name == "athena") return SqlDialect::Trino;
  return std::nullopt;
}

std::vector<std::string> sql_keys(const SqlOptions& options) {
  std::vector<std::string> keys = options.keys;
  if (keys.empty()) {
    for (const char* field : {"record_id", "email"}) {
      if (auto it = options.columns.find(field); it != options.columns.end() && it->second) keys.push_back(*it->second);
    }
  }
  return keys;
}

Result<std::string> compile_sql(const ScoringModel& model, const SqlOptions& options) {
  return sql::SqlCompiler(model, options).compile();
}

Result<std::map<std::string, SqlColumnType, std::less<>>> parse_sql_types(std::string_view json_text) {
  using Json = nlohmann::json;
  static const std::map<std::string, SqlColumnType> kTypes = {{"text", SqlColumnType::Text},
                                                              {"number", SqlColumnType::Number},
                                                              {"date", SqlColumnType::Date},
                                                              {"timestamp", SqlColumnType::Timestamp},
                                                              {"boolean", SqlColumnType::Boolean}};
  const Json j = Json::parse(json_text.begin(), json_text.end(), nullptr, false);
  if (j.is_discarded()) return Error{ErrorCode::InvalidArgument, "the column types are not valid JSON"};
  if (!j.is_object()) return Error{ErrorCode::InvalidArgument, "expected an object of column -> type"};
  std::map<std::string, SqlColumnType, std::less<>> out;
  for (const auto& item : j.items()) {
    const auto type = item.value().is_string() ? kTypes.find(item.value().get<std::string>()) : kTypes.end();
    if (type == kTypes.end()) {
      Error e{ErrorCode::InvalidArgument, "expected \"number\", \"date\", \"timestamp\", \"boolean\" or \"text\""};
      e.json_path = "/" + item.key();
      return e;
    }
    out[item.key()] = type->second;
  }
  return out;
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
