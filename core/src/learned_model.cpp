// The coefficients of a regression turned into an ordinary points model: integer points per value
// of a category, per band of a number or per age of a date, on the fit and engagement axes; a base
// that keeps every sum at 0 or more; thresholds for the wanted shares of hot and warm leads.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "detail/learning.hpp"
#include "leadscore/csv_writer.hpp"
#include "leadscore/model.hpp"
#include "leadscore/session.hpp"

namespace leadscore::learning {

namespace {

std::string slug(const std::string& text, std::size_t max) {
  std::string out;
  for (char ch : to_lower_ascii(text)) {
    const bool word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (word) {
      out += ch;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "value";
  return out.substr(0, max);
}

bool engagement_column(const std::string& header) {
  const std::string key = normalize_key(header);
  static const char* const kWords[] = {"visit",    "time",     "page",     "activity", "email",   "click",
                                       "open",     "download", "webinar",  "form",     "session", "view",
                                       "spent",    "recent",   "demo",     "trial",    "call",    "contact",
                                       "campaign", "previous", "duration", "pdays",    "poutcome"};
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](const char* w) { return key.find(w) != std::string::npos; });
}

/// The original spelling of a category value (its first cell with that lowercase form).
std::string spelled(const Table& t, const std::vector<std::size_t>& rows, std::size_t column, const std::string& key) {
  for (std::size_t r : rows) {
    const std::string_view cell = trim(t.rows[r][column]);
    if (to_lower_ascii(cell) == key) return std::string(cell);
  }
  return key;
}

std::string csv_of(const Table& t, const std::vector<std::size_t>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      append_csv_cell(out, cells[i], ',');
    }
    out += '\n';
  };
  line(t.headers);
  for (std::size_t r : rows) line(t.rows[r]);
  return out;
}

}  // namespace

std::vector<BacktestSink::Lead> scored_with(const Json& model, const Table& t, const std::vector<std::size_t>& rows,
                                            std::int32_t as_of) {
  auto parsed = parse_model(model.dump());
  if (!parsed.ok()) return {};
  SessionOptions options;
  options.as_of = as_of;
  options.csv.delimiter = ',';
  ScoringSession session(std::move(parsed).value(), options);
  BacktestSink sink;
  (void)session.feed(csv_of(t, rows), sink);
  (void)session.finish(sink);
  return sink.leads();
}

namespace {

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(v.size() - 1));
  return v[i];
}

/// One axis's rules as they are written, with the most negative and positive sums they can give.
struct AxisRules {
  Json rules = Json::array();
  int low = 0, high = 0;
  std::string some_header;
};

/// Points per unit of the linear score, rounded: the strongest single effect is worth 40 points
/// (fine enough that rounding to whole points costs little of the order). A number's effect is its
/// weight times its standardised value: about two at the ends.
class Points {
 public:
  Points(const Encoder& e, const std::vector<double>& w) {
    double strongest = 1e-9;
    for (std::size_t j = 1; j < w.size(); ++j) strongest = std::max(strongest, std::fabs(w[j]));
    for (const auto& f : e.numerics) strongest = std::max(strongest, std::fabs(w[f.feature + 1]) * 2);
    k_ = 40 / strongest;
  }
  int operator()(double v) const { return static_cast<int>(std::lround(k_ * v)); }

 private:
  double k_ = 1;
};

/// A category's rules: points per frequent value (a seniority level through its title's words),
/// and for a missing value.
void add_category_rules(const Table& t, const std::vector<std::size_t>& train, const Encoder::Category& f,
                        const std::vector<double>& w, const Points& points, AxisRules& axis) {
  // A seniority is read from its job title column.
  const std::int64_t source = t.derived_from[f.column];
  const std::string& header = t.headers[source >= 0 ? static_cast<std::size_t>(source) : f.column];
  axis.some_header = header;
  int low = 0, high = 0;
  for (std::size_t i = 0; i < f.values.size(); ++i) {
    const int p = points(w[f.first_feature + i + 1]);
    low = std::min(low, p);
    high = std::max(high, p);
    if (p == 0) continue;
    const std::string id = slug(header, 24) + "_" + slug(f.values[i], 24) + "_" + std::to_string(axis.rules.size());
    if (source >= 0) {
      const auto& level = *std::find_if(seniority_levels().begin(), seniority_levels().end(),
                                        [&](const SeniorityLevel& l) { return f.values[i] == l.name; });
      axis.rules.push_back(Json{{"id", id},
                                {"label", header + ": " + level.name + " level"},
                                {"field", "column:" + header},
                                {"contains_any", level.words},
                                {"points", p},
                                {"group", slug(header, 40) + "_seniority"}});
      continue;
    }
    const std::string value = spelled(t, train, f.column, f.values[i]);
    axis.rules.push_back(Json{{"id", id},
                              {"label", header + ": " + value},
                              {"field", "column:" + header},
                              {"equals", Json::array({value})},
                              {"points", p}});
  }
  if (f.missing_feature >= 0) {
    const int p = points(w[static_cast<std::size_t>(f.missing_feature) + 1]);
    low = std::min(low, p);
    high = std::max(high, p);
    if (p != 0 && source < 0) {  // (a missing title is the title column's own feature)
      axis.rules.push_back(Json{{"id", slug(header, 40) + "_missing_" + std::to_string(axis.rules.size())},
                                {"label", header + ": not given"},
                                {"field", "column:" + header},
                                {"present", true},
                                {"points", 0},
                                {"missing_points", p}});
    }
  }
  axis.low += low;
  axis.high += high;
}

/// A number's bands: ten between quantiles of its training values, each giving the points of its
/// mean; `cuts` are the bands' bounds, `low` and `high` the fewest and most points among them.
Json number_bands(const Table& t, const std::vector<std::size_t>& train, const Encoder& e, const Encoder::Numeric& f,
                  const std::vector<double>& w, const Points& points, std::vector<double>& cuts, int& low, int& high) {
  // Ten bands between quantiles of the training values; each gives the points of its mean.
  std::vector<double> values;
  for (std::size_t r : train) {
    const double raw = e.raw(f, t.rows[r][f.column]);
    if (!std::isnan(raw)) values.push_back(raw);
  }
  std::sort(values.begin(), values.end());
  for (int b = 1; b < 10; ++b) {
    const double c = values[static_cast<std::size_t>(b * static_cast<double>(values.size() - 1) / 10)];
    if (cuts.empty() || c > cuts.back()) cuts.push_back(c);
  }
  if (!cuts.empty() && cuts.front() <= values.front()) cuts.erase(cuts.begin());
  Json bands = Json::array();
  for (std::size_t b = 0; b <= cuts.size(); ++b) {
    const double from = b == 0 ? -INFINITY : cuts[b - 1], to = b == cuts.size() ? INFINITY : cuts[b];
    double sum = 0;
    std::int64_t n = 0;
    for (double v : values) {
      if (v >= from && v < to) {
        sum += f.log ? std::log1p(std::max(0.0, v)) : v;
        ++n;
      }
    }
    if (n == 0) continue;
    const int p = points(w[f.feature + 1] * ((sum / static_cast<double>(n)) - f.mean) / f.sd);
    low = std::min(low, p);
    high = std::max(high, p);
    Json band{{"points", p}};
    if (b > 0) band["at_least"] = from;
    if (b < cuts.size()) band["below"] = to;
    bands.push_back(std::move(band));
  }
  return bands;
}

/// A number's rules: its bands (a date's as within_days / older_than_days rules in one group), and
/// the points of a missing value.
void add_number_rules(const Table& t, const std::vector<std::size_t>& train, const Encoder& e,
                      const Encoder::Numeric& f, const std::vector<double>& w, const Points& points, AxisRules& axis) {
  const std::string& header = t.headers[f.column];
  axis.some_header = header;
  std::vector<double> cuts;
  int low = 0, high = 0;
  const Json bands = number_bands(t, train, e, f, w, points, cuts, low, high);
  const int missing_points = f.missing_feature >= 0 ? points(w[static_cast<std::size_t>(f.missing_feature) + 1]) : 0;
  if (f.recency && !cuts.empty()) {
    // Dates: bands of days before as_of, as within_days / older_than_days rules in one group
    // (the best-scoring hit counts). The points are monotone in the days, so the open-ended
    // tests pick exactly the lead's band: the recent end with within_days when recent is
    // better, the old end with older_than_days when it is worse.
    const bool recent_better = w[f.feature + 1] <= 0;
    const std::string group = slug(header, 40) + "_recency";
    for (std::size_t b = 0; b < bands.size(); ++b) {
      const Json& band = bands[b];
      const bool within = recent_better ? band.contains("below") : !band.contains("at_least");
      const auto days =
          static_cast<std::int64_t>(within ? band["below"].get<double>() - 1 : band["at_least"].get<double>() - 1);
      Json rule{{"id", slug(header, 40) + "_" + std::to_string(axis.rules.size())},
                {"label", header + (within ? " within " + std::to_string(std::max<std::int64_t>(0, days)) + " days"
                                           : " more than " + std::to_string(days) + " days ago")},
                {"field", "column:" + header},
                {within ? "within_days" : "older_than_days", std::max<std::int64_t>(0, days)},
                {"points", band["points"]},
                {"group", group}};
      if (b == 0 && f.missing_feature >= 0) rule["missing_points"] = missing_points;
      axis.rules.push_back(std::move(rule));
    }
    if (f.missing_feature >= 0) {
      low = std::min(low, missing_points);
      high = std::max(high, missing_points);
    }
    axis.low += low;
    axis.high += high;
    return;
  }
  Json rule{{"id", slug(header, 40) + "_" + std::to_string(axis.rules.size())},
            {"label", header},
            {"field", "column:" + header}};
  if (cuts.empty()) {  // one value in all but a few rows: one band is a present test
    rule["present"] = true;
    rule["points"] = bands.empty() ? Json(0) : bands[0]["points"];
  } else {
    rule["bands"] = bands;
  }
  if (f.missing_feature >= 0) {
    rule["missing_points"] = missing_points;
    low = std::min(low, missing_points);
    high = std::max(high, missing_points);
  }
  axis.rules.push_back(std::move(rule));
  axis.low += low;
  axis.high += high;
}

/// The model's axes from their rules: a base where a sum could go below 0, max_points, weights.
Json model_of(const Table& t, const std::vector<std::size_t>& train, AxisRules& fit, AxisRules& engagement) {
  // A base that keeps every sum at 0 or more: no lead is cut at 0, so the score keeps the order
  // the regression gives.
  Json model{{"leadscore_model", 1},
             {"name", "Learned from " + t.headers[t.outcome]},
             {"description", "Logistic regression on " + std::to_string(train.size()) + " leads, turned into points"}};
  double total_max = 0;
  std::map<std::string, double> maxima;
  for (auto* axis : {&fit, &engagement}) {
    const std::string name = axis == &fit ? "fit" : "engagement";
    if (axis->rules.empty()) {  // the model names both axes; one without rules is not measured
      model[name] = Json{{"rules", Json::array()}};
      continue;
    }
    if (axis->low < 0) {
      axis->rules.push_back(Json{{"id", "base_" + name},
                                 {"label", "Base points"},
                                 {"field", "column:" + axis->some_header},
                                 {"present", true},
                                 {"points", -axis->low},
                                 {"missing_points", -axis->low}});
    }
    const double max = std::max(1, axis->high - axis->low);
    maxima[name] = max;
    total_max += max;
    model[name] = Json{{"max_points", max}, {"rules", axis->rules}};
  }
  Json segments{{"method", "thresholds"}, {"weights", Json::object()}, {"warm", 30}, {"hot", 60}};
  for (const auto& [name, max] : maxima) segments["weights"][name] = max / total_max;
  model["segments"] = segments;
  return model;
}

/// Thresholds: the score of the lead at the wanted shares of the training leads, or (for a target
/// conversion rate) where the best-scored leads stop converting that often.
void set_thresholds(Json& model, const Table& t, const std::vector<std::size_t>& train, const LearnOptions& options) {
  std::vector<double> scores;
  for (const auto& lead : scored_with(model, t, train, options.as_of)) scores.push_back(lead.score);
  double hot = std::round(quantile(scores, 1 - options.hot_share) * 10) / 10;
  if (options.hot_rate > 0 && scores.size() == train.size()) {
    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    std::int64_t converted = 0;
    double last_good = 100;
    for (std::size_t i = 0; i < order.size(); ++i) {
      converted += t.converted[train[order[i]]];
      // Only where the score changes: leads with the same score are all hot or none.
      const bool boundary = i + 1 == order.size() || scores[order[i + 1]] < scores[order[i]];
      if (boundary && static_cast<double>(converted) >= options.hot_rate * static_cast<double>(i + 1))
        last_good = scores[order[i]];
    }
    hot = std::floor(last_good * 10) / 10;
  }
  double warm = std::round(quantile(scores, 1 - options.hot_share - options.warm_share) * 10) / 10;
  hot = std::clamp(hot, 0.2, 100.0);
  warm = std::clamp(std::min(warm, hot - 0.1), 0.1, 99.9);
  model["segments"]["warm"] = warm;
  model["segments"]["hot"] = hot;
}

}  // namespace

Json points_model(const Table& t, const std::vector<std::size_t>& train, const Encoder& e, const std::vector<double>& w,
                  const LearnOptions& options) {
  const Points points(e, w);
  AxisRules fit, engagement;
  for (const auto& f : e.categories) {
    // A seniority is read from its job title column.
    const std::int64_t source = t.derived_from[f.column];
    const std::string& header = t.headers[source >= 0 ? static_cast<std::size_t>(source) : f.column];
    add_category_rules(t, train, f, w, points, engagement_column(header) ? engagement : fit);
  }
  for (const auto& f : e.numerics) {
    add_number_rules(t, train, e, f, w, points, engagement_column(t.headers[f.column]) ? engagement : fit);
  }
  Json model = model_of(t, train, fit, engagement);
  set_thresholds(model, t, train, options);
  return model;
}

}  // namespace leadscore::learning
