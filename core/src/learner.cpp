#include "leadscore/learner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

#include <nlohmann/json.hpp>

#include "leadscore/backtest.hpp"
#include "leadscore/column_map.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/csv_writer.hpp"
#include "leadscore/model.hpp"
#include "leadscore/session.hpp"
#include "leadscore/values.hpp"

namespace leadscore {

namespace {

using Json = nlohmann::ordered_json;
using SparseRow = std::vector<std::pair<std::uint32_t, double>>;

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> converted;  // per row (rows without a known outcome are left out)
  std::size_t outcome = 0;      // the outcome column
  std::int64_t unknown = 0;
  std::vector<std::int64_t> derived_from;  // per column: the job title it reads the seniority of, or -1
};

// Seniority from a job title, in the words a contains_any rule matches (first level that matches).
struct SeniorityLevel {
  const char* name;
  std::vector<std::string> words;
};
const std::vector<SeniorityLevel>& seniority_levels() {
  static const std::vector<SeniorityLevel> levels{
      {"executive",
       {"ceo", "cto", "cfo", "coo", "cmo", "cro", "cio", "chief", "founder", "co-founder", "owner", "president",
        "partner", "managing director", "general manager"}},
      {"director", {"vp", "vice president", "svp", "evp", "head of", "head", "director"}},
      {"manager", {"manager", "lead", "principal", "senior", "supervisor"}}};
  return levels;
}
constexpr const char* kStaff = "staff";

std::string seniority_of(std::string_view title) {
  const std::string lowered = to_lower_ascii(trim(title));
  for (const auto& level : seniority_levels()) {
    for (const auto& word : level.words) {
      if (contains_phrase(lowered, word)) return level.name;
    }
  }
  return kStaff;
}

bool job_title_column(const std::string& header) {
  const std::string key = normalize_key(header);
  return key == "title" || key == "jobtitle" || key == "position" || key == "role" || key == "jobrole" ||
         key == "designation";
}

struct TableSink final : CsvSink {
  CsvRecord header;
  bool have_header = false;
  std::vector<std::vector<std::string>> rows;
  void on_record(const CsvRecord& record) override {
    if (!have_header) {
      header = record;
      have_header = true;
      return;
    }
    std::vector<std::string> row;
    for (std::size_t i = 0; i < record.size(); ++i) row.emplace_back(record[i]);
    rows.push_back(std::move(row));
  }
  void on_issue(const Error&) override {}
};

Result<Table> read_table(std::string_view csv, const LearnOptions& options) {
  CsvReader reader;
  TableSink sink;
  if (Status s = reader.feed(csv, sink); !s.ok()) return s.error();
  if (Status s = reader.finish(sink); !s.ok()) return s.error();
  Table t;
  std::vector<Error> ignored;
  t.headers = unique_header_names(sink.header, ignored);
  const auto outcome = find_outcome_column(t.headers, options.outcome);
  if (!outcome) {
    return Error{ErrorCode::InvalidArgument,
                 options.outcome.empty()
                     ? "the list has no outcome column (Converted, IsConverted, y, Closed Won...): name it"
                     : "the list has no column \"" + options.outcome + "\""};
  }
  t.outcome = outcome->column;
  for (auto& row : sink.rows) {
    const auto converted = outcome->column < row.size() ? read_outcome(*outcome, row[outcome->column]) : std::nullopt;
    if (!converted) {
      ++t.unknown;
      continue;
    }
    row.resize(t.headers.size());
    t.rows.push_back(std::move(row));
    t.converted.push_back(*converted);
  }
  // A job title also gives its seniority: a category the points model reads with contains_any.
  t.derived_from.assign(t.headers.size(), -1);
  const MissingValues missing;
  for (std::size_t c = 0, columns = t.headers.size(); c < columns; ++c) {
    if (!job_title_column(t.headers[c])) continue;
    t.headers.push_back(t.headers[c] + " (seniority)");
    t.derived_from.push_back(static_cast<std::int64_t>(c));
    for (auto& row : t.rows) row.push_back(missing.is_missing(row[c]) ? std::string() : seniority_of(row[c]));
  }
  return t;
}

// ---- Columns: how each is used, and the ones left out --------------------------------------

enum class Use { Numeric, LogCount, Recency, Category, Excluded };

const char* use_name(Use use) {
  switch (use) {
    case Use::Numeric: return "numeric";
    case Use::LogCount: return "log_count";
    case Use::Recency: return "recency";
    case Use::Category: return "category";
    case Use::Excluded: return "excluded";
  }
  return "excluded";
}

struct Column {
  std::string header;
  Use use = Use::Excluded;
  std::string why;     // why it is excluded
  bool leaky = false;  // flagged as filled after contact
};

// Columns a CRM or a sales team fills once a lead has been worked: their values know the outcome.
// By name: statuses and stages, tags, quality and profile ratings, other systems' scores, a call's
// duration (known only after the call).
bool named_after_contact(const std::string& header) {
  const std::string key = normalize_key(header);
  static const char* const kExact[] = {"owner", "leadowner", "duration", "closedate", "opportunity"};
  static const char* const kParts[] = {"tag",   "quality", "profile", "score",      "rating",      "grade",
                                       "index", "status",  "stage",   "lostreason", "closereason", "callduration"};
  return std::find(std::begin(kExact), std::end(kExact), key) != std::end(kExact) ||
         std::any_of(std::begin(kParts), std::end(kParts),
                     [&](const char* part) { return key.find(part) != std::string::npos; });
}

double number_of(const std::string& cell) {
  const auto q = parse_quantity(cell);
  return q ? q->value() : std::nan("");
}

std::vector<Column> analyse_columns(const Table& t, const LearnOptions& options, const MissingValues& missing) {
  std::vector<Column> columns;
  const double n = static_cast<double>(t.rows.size());
  for (std::size_t c = 0; c < t.headers.size(); ++c) {
    Column col{t.headers[c]};
    const bool kept = std::find(options.keep.begin(), options.keep.end(), col.header) != options.keep.end();
    if (c == t.outcome) {
      col.why = "the outcome";
      columns.push_back(col);
      continue;
    }
    std::map<std::string, std::int64_t> distinct;
    std::int64_t present = 0, numeric = 0, negative = 0, dated = 0;
    for (const auto& row : t.rows) {
      if (missing.is_missing(row[c])) continue;
      ++present;
      ++distinct[to_lower_ascii(trim(row[c]))];
      const double v = number_of(row[c]);
      if (!std::isnan(v)) {
        ++numeric;
        negative += v < 0;
      }
      dated += parse_date(row[c]).has_value();
    }
    const auto most = [&](std::int64_t count) {
      return static_cast<double>(count) >= 0.95 * static_cast<double>(present);
    };
    if (present == 0) {
      col.why = "always empty";
    } else if (distinct.size() == 1) {
      col.why = "always the same value";
    } else if (most(dated) && !most(numeric) && !named_after_contact(col.header)) {
      col.use = Use::Recency;  // days before as_of, on a log scale: dates may all differ
    } else if (static_cast<double>(distinct.size()) >= 0.95 * static_cast<double>(present) && present >= 0.5 * n) {
      col.why = "a different value on every row (an id, a name, a note)";
    } else if (named_after_contact(col.header)) {
      col.leaky = true;
      col.why = "filled after contact: its values know the outcome";
    } else if (most(numeric)) {
      col.use = negative == 0 ? Use::LogCount : Use::Numeric;
    } else {
      col.use = Use::Category;
    }
    if (col.leaky && kept) {
      col.use = most(numeric) ? Use::Numeric : most(dated) ? Use::Recency : Use::Category;
      col.why = "filled after contact, kept on request";
    }
    columns.push_back(col);
  }
  return columns;
}

// ---- Features, fitted on the training rows -------------------------------------------------

struct Encoder {
  struct Numeric {
    std::size_t column;
    bool log;
    bool recency = false;  // a date: its value is the days before as_of
    double mean = 0, sd = 1;
    std::uint32_t feature;
    std::int64_t missing_feature = -1;
  };
  struct Category {
    std::size_t column;
    std::vector<std::string> values;  // lowercase, trimmed
    std::uint32_t first_feature;
    std::int64_t missing_feature = -1;
  };
  std::vector<Numeric> numerics;
  std::vector<Category> categories;
  std::vector<std::string> names;
  const MissingValues* missing = nullptr;
  std::int32_t as_of = 0;

  /// The cell's value (a number, or a date's days before as_of); NaN when missing or unreadable.
  double raw(const Numeric& f, const std::string& cell) const {
    if (missing->is_missing(cell)) return std::nan("");
    if (!f.recency) return number_of(cell);
    const auto date = parse_date(cell);
    return date ? static_cast<double>(as_of - *date) : std::nan("");
  }
  double transformed(const Numeric& f, const std::string& cell) const {
    const double v = raw(f, cell);
    if (std::isnan(v)) return v;
    return f.log ? std::log1p(std::max(0.0, v)) : v;
  }

  SparseRow encode(const std::vector<std::string>& row) const {
    SparseRow x;
    for (const auto& f : numerics) {
      const double t = transformed(f, row[f.column]);
      if (std::isnan(t)) {
        if (f.missing_feature >= 0) x.emplace_back(static_cast<std::uint32_t>(f.missing_feature), 1.0);
      } else {
        x.emplace_back(f.feature, (t - f.mean) / f.sd);
      }
    }
    for (const auto& f : categories) {
      if (missing->is_missing(row[f.column])) {
        if (f.missing_feature >= 0) x.emplace_back(static_cast<std::uint32_t>(f.missing_feature), 1.0);
        continue;
      }
      const std::string key = to_lower_ascii(trim(row[f.column]));
      const auto it = std::find(f.values.begin(), f.values.end(), key);
      if (it != f.values.end())
        x.emplace_back(f.first_feature + static_cast<std::uint32_t>(it - f.values.begin()), 1.0);
    }
    return x;
  }
};

Encoder fit_encoder(const Table& t, const std::vector<std::size_t>& train, const std::vector<Column>& columns,
                    const LearnOptions& options, const MissingValues& missing) {
  Encoder e;
  e.missing = &missing;
  e.as_of = options.as_of;
  const std::int64_t min_count = std::max<std::int64_t>(10, static_cast<std::int64_t>(train.size() / 200));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const Column& col = columns[c];
    if (col.use == Use::Excluded) continue;
    std::int64_t missing_count = 0;
    if (col.use == Use::Category) {
      std::map<std::string, std::int64_t> counts;
      for (std::size_t r : train) {
        if (missing.is_missing(t.rows[r][c])) {
          ++missing_count;
        } else {
          ++counts[to_lower_ascii(trim(t.rows[r][c]))];
        }
      }
      std::vector<std::pair<std::int64_t, std::string>> by_count;
      for (const auto& [value, n] : counts) {
        if (n >= min_count) by_count.emplace_back(-n, value);
      }
      std::sort(by_count.begin(), by_count.end());
      if (by_count.size() > static_cast<std::size_t>(options.max_categories))
        by_count.resize(static_cast<std::size_t>(options.max_categories));
      // The reference (no feature, no points): "staff" for a seniority (no contains_any rule can
      // say "none of these words"), else the most frequent value when every value has a feature.
      const bool seniority = t.derived_from[c] >= 0;
      const bool all_listed = by_count.size() == counts.size();
      Encoder::Category f{c, {}, static_cast<std::uint32_t>(e.names.size())};
      for (std::size_t i = all_listed && !seniority ? 1 : 0; i < by_count.size(); ++i) {
        if (seniority && by_count[i].second == kStaff) continue;
        f.values.push_back(by_count[i].second);
        e.names.push_back(col.header + " = " + by_count[i].second);
      }
      if (missing_count >= min_count && !seniority) {  // a missing title is the title column's feature
        f.missing_feature = static_cast<std::int64_t>(e.names.size());
        e.names.push_back(col.header + " missing");
      }
      e.categories.push_back(std::move(f));
      continue;
    }
    Encoder::Numeric f{c, col.use == Use::LogCount || col.use == Use::Recency, col.use == Use::Recency};
    double sum = 0, sum2 = 0;
    std::int64_t n = 0;
    for (std::size_t r : train) {
      const double v = e.transformed(f, t.rows[r][c]);
      if (std::isnan(v)) {
        ++missing_count;
        continue;
      }
      sum += v;
      sum2 += v * v;
      ++n;
    }
    if (n < 2) continue;
    f.mean = sum / static_cast<double>(n);
    f.sd = std::sqrt(std::max(1e-12, sum2 / static_cast<double>(n) - f.mean * f.mean));
    f.feature = static_cast<std::uint32_t>(e.names.size());
    e.names.push_back(col.header);
    if (missing_count >= min_count) {
      f.missing_feature = static_cast<std::int64_t>(e.names.size());
      e.names.push_back(col.header + " missing");
    }
    e.numerics.push_back(f);
  }
  return e;
}

// ---- The points model ------------------------------------------------------------------------

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

/// Scores `rows` with `model` exactly as a list is scored: each lead's score and temperature, in order.
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

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(v.size() - 1));
  return v[i];
}

Json points_model(const Table& t, const std::vector<std::size_t>& train, const Encoder& e, const std::vector<double>& w,
                  const LearnOptions& options) {
  // Points per unit of the linear score: the strongest single effect is worth 40 points (fine
  // enough that rounding to whole points costs little of the order).
  // (A number's effect is its weight times its standardised value: about two at the ends.)
  double strongest = 1e-9;
  for (std::size_t j = 1; j < w.size(); ++j) strongest = std::max(strongest, std::fabs(w[j]));
  for (const auto& f : e.numerics) strongest = std::max(strongest, std::fabs(w[f.feature + 1]) * 2);
  const double k = 40 / strongest;
  const auto points = [&](double v) { return static_cast<int>(std::lround(k * v)); };

  struct Axis {
    Json rules = Json::array();
    int low = 0, high = 0;  // the most negative and positive sums its rules can give
    std::string some_header;
  } fit, engagement;
  for (const auto& f : e.categories) {
    // A seniority is read from its job title column.
    const std::int64_t source = t.derived_from[f.column];
    const std::string& header = t.headers[source >= 0 ? static_cast<std::size_t>(source) : f.column];
    Axis& axis = engagement_column(header) ? engagement : fit;
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
  for (const auto& f : e.numerics) {
    const std::string& header = t.headers[f.column];
    Axis& axis = engagement_column(header) ? engagement : fit;
    axis.some_header = header;
    // Ten bands between quantiles of the training values; each gives the points of its mean.
    std::vector<double> values;
    for (std::size_t r : train) {
      const double raw = e.raw(f, t.rows[r][f.column]);
      if (!std::isnan(raw)) values.push_back(raw);
    }
    std::sort(values.begin(), values.end());
    std::vector<double> cuts;
    for (int b = 1; b < 10; ++b) {
      const double c = values[static_cast<std::size_t>(b * static_cast<double>(values.size() - 1) / 10)];
      if (cuts.empty() || c > cuts.back()) cuts.push_back(c);
    }
    if (!cuts.empty() && cuts.front() <= values.front()) cuts.erase(cuts.begin());
    Json bands = Json::array();
    int low = 0, high = 0;
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
      continue;
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
  // Thresholds: the score of the lead at the wanted shares of the training leads, or (for a target
  // conversion rate) where the best-scored leads stop converting that often.
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
  return model;
}

std::vector<std::size_t> shuffled(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  for (std::size_t i = n; i > 1; --i) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    const std::size_t j = static_cast<std::size_t>((state * 0x2545F4914F6CDD1Dull) >> 33) % i;
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

struct Trained {
  Encoder encoder;
  std::vector<double> weights;
};

Trained train_on(const Table& t, const std::vector<std::size_t>& rows, const std::vector<Column>& columns,
                 const LearnOptions& options, const MissingValues& missing) {
  Trained out{fit_encoder(t, rows, columns, options, missing), {}};
  std::vector<SparseRow> x;
  std::vector<double> y, weight;
  std::int64_t positives = 0;
  for (std::size_t r : rows) positives += t.converted[r];
  const double n = static_cast<double>(rows.size());
  for (std::size_t r : rows) {
    x.push_back(out.encoder.encode(t.rows[r]));
    y.push_back(t.converted[r] ? 1 : 0);
    // Balanced: each outcome weighs half of the whole.
    weight.push_back(!options.balance ? 1.0
                     : t.converted[r] ? n / (2.0 * static_cast<double>(positives))
                                      : n / (2.0 * (n - static_cast<double>(positives))));
  }
  out.weights = fit_logistic(x, y, weight, out.encoder.names.size(), options.l2);
  return out;
}

double linear_score(const Trained& m, const std::vector<std::string>& row) {
  double z = m.weights[0];
  for (const auto& [j, v] : m.encoder.encode(row)) z += m.weights[j + 1] * v;
  return z;
}

}  // namespace

std::vector<double> fit_logistic(const std::vector<std::vector<std::pair<std::uint32_t, double>>>& rows,
                                 const std::vector<double>& labels, const std::vector<double>& weights,
                                 std::size_t features, double l2) {
  // Newton's method (iteratively reweighted least squares) with a ridge penalty, solved by
  // Cholesky: the problem is convex, so it converges in a few steps from any start.
  const std::size_t p = features + 1;
  std::vector<double> w(p, 0.0);
  double positive = 0, total = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    positive += weights[i] * labels[i];
    total += weights[i];
  }
  if (positive > 0 && positive < total) w[0] = std::log(positive / (total - positive));
  // The penalised log-likelihood, which each step must not lower.
  const auto objective = [&](const std::vector<double>& v) {
    double sum = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double z = v[0];
      for (const auto& [j, x] : rows[i]) z += v[j + 1] * x;
      // log(1 + e^z) without overflow.
      const double softplus = z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
      sum += weights[i] * (labels[i] * z - softplus);
    }
    for (std::size_t j = 1; j < v.size(); ++j) sum -= l2 / 2 * v[j] * v[j];
    return sum;
  };
  std::vector<double> h(p * p), g(p);
  for (int iteration = 0; iteration < 100; ++iteration) {
    std::fill(h.begin(), h.end(), 0.0);
    for (std::size_t j = 1; j < p; ++j) {
      h[j * p + j] = l2;
      g[j] = -l2 * w[j];
    }
    g[0] = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double z = w[0];
      for (const auto& [j, v] : rows[i]) z += w[j + 1] * v;
      const double mu = 1 / (1 + std::exp(-z));
      const double r = weights[i] * (labels[i] - mu), s = weights[i] * mu * (1 - mu);
      g[0] += r;
      h[0] += s;
      for (const auto& [j, v] : rows[i]) {
        g[j + 1] += r * v;
        h[j + 1] += s * v;  // row 0, column j+1 (the upper triangle is filled below)
        for (const auto& [k, u] : rows[i]) {
          if (k >= j) h[(j + 1) * p + (k + 1)] += s * v * u;
        }
      }
    }
    for (std::size_t a = 0; a < p; ++a) {
      for (std::size_t b = a + 1; b < p; ++b) {
        h[b * p + a] = h[a * p + b];
      }
    }
    h[0] += 1e-9;
    // Cholesky: H = L L^T, then two triangular solves for the step.
    for (std::size_t a = 0; a < p; ++a) {
      for (std::size_t b = 0; b <= a; ++b) {
        double sum = h[a * p + b];
        for (std::size_t c = 0; c < b; ++c) sum -= h[a * p + c] * h[b * p + c];
        h[a * p + b] = a == b ? std::sqrt(std::max(sum, 1e-12)) : sum / h[b * p + b];
      }
    }
    std::vector<double> step(g);
    for (std::size_t a = 0; a < p; ++a) {
      for (std::size_t c = 0; c < a; ++c) step[a] -= h[a * p + c] * step[c];
      step[a] /= h[a * p + a];
    }
    for (std::size_t a = p; a-- > 0;) {
      for (std::size_t c = a + 1; c < p; ++c) step[a] -= h[c * p + a] * step[c];
      step[a] /= h[a * p + a];
    }
    // Halve the step until the penalised likelihood improves: a full Newton step can overshoot
    // where predictions saturate (collinear or separating columns).
    const double before = objective(w);
    std::vector<double> next(p);
    double t = 1, largest = 0;
    for (int halvings = 0; halvings < 30; ++halvings, t /= 2) {
      for (std::size_t a = 0; a < p; ++a) next[a] = w[a] + t * step[a];
      if (objective(next) >= before) break;
    }
    for (std::size_t a = 0; a < p; ++a) largest = std::max(largest, std::fabs(next[a] - w[a]));
    w = next;
    if (largest < 1e-9) break;
  }
  return w;
}

Result<Json> learn_model(std::string_view csv, const LearnOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto table = read_table(csv, options);
  if (!table.ok()) return table.error();
  const Table& t = table.value();
  const std::int64_t converted = std::count(t.converted.begin(), t.converted.end(), true);
  if (converted == 0 || converted == static_cast<std::int64_t>(t.rows.size())) {
    return Error{ErrorCode::InvalidArgument, "the outcome column needs leads that converted and leads that did not"};
  }
  if (options.folds < 2 || options.folds > 20) return Error{ErrorCode::InvalidArgument, "folds: expected 2 to 20"};
  const MissingValues missing;
  const auto columns = analyse_columns(t, options, missing);

  // Cross-validation: every lead is scored once by a model that never saw it.
  const auto order = shuffled(t.rows.size(), options.seed);
  std::vector<double> linear(t.rows.size());
  std::vector<BacktestSink::Lead> held_out(t.rows.size(), BacktestSink::Lead{0, 0, Temperature::Cold});
  for (int fold = 0; fold < options.folds; ++fold) {
    std::vector<std::size_t> train, test;
    for (std::size_t i = 0; i < order.size(); ++i)
      (static_cast<int>(i % static_cast<std::size_t>(options.folds)) == fold ? test : train).push_back(order[i]);
    const Trained m = train_on(t, train, columns, options, missing);
    for (std::size_t r : test) linear[r] = linear_score(m, t.rows[r]);
    const Json model = points_model(t, train, m.encoder, m.weights, options);
    const auto scored = scored_with(model, t, test, options.as_of);
    for (std::size_t i = 0; i < test.size() && i < scored.size(); ++i) held_out[test[i]] = scored[i];
    if (options.on_progress) options.on_progress(fold + 1, options.folds + 1);
  }
  // The held-out scores back-tested as any model's are: by temperature, lift, AUC, deciles.
  Backtest cv;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    ScoreResult result;
    result.total = held_out[r].score;
    result.temperature = held_out[r].temperature;
    cv.add(result, t.converted[r]);
  }
  const Json cv_report = cv.report();
  const auto auc = area_under_roc(linear, t.converted);
  const auto auc_points = cv.auc();

  // The model itself: trained on every lead.
  std::vector<std::size_t> all(t.rows.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  const auto fit_started = std::chrono::steady_clock::now();
  const Trained final_model = train_on(t, all, columns, options, missing);
  const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - fit_started).count();
  Json model = points_model(t, all, final_model.encoder, final_model.weights, options);
  if (options.on_progress) options.on_progress(options.folds + 1, options.folds + 1);

  Json column_report = Json::array(), leakage = Json::array();
  for (const Column& c : columns) {
    Json j{{"header", c.header}, {"use", use_name(c.use)}};
    if (!c.why.empty()) j["why"] = c.why;
    column_report.push_back(j);
    if (c.leaky) leakage.push_back(Json{{"header", c.header}, {"kept", c.use != Use::Excluded}});
  }
  Json coefficients = Json::array();
  for (std::size_t j = 0; j < final_model.encoder.names.size(); ++j) {
    coefficients.push_back(Json{{"feature", final_model.encoder.names[j]}, {"weight", final_model.weights[j + 1]}});
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  Json report{{"rows", t.rows.size()},
              {"unknown", t.unknown},
              {"converted", converted},
              {"outcome", t.headers[t.outcome]},
              {"columns", column_report},
              {"leakage", leakage},
              {"folds", options.folds},
              {"cv",
               {{"auc", auc ? Json(*auc) : Json(nullptr)},
                {"auc_points", auc_points ? Json(*auc_points) : Json(nullptr)},
                {"rounding_cost", auc && auc_points ? Json(*auc - *auc_points) : Json(nullptr)},
                {"by_temperature", cv_report["by_temperature"]},
                {"deciles", cv_report["deciles"]},
                {"lift_hot_over_cold", cv_report["lift_hot_over_cold"]}}},
              {"coefficients", coefficients},
              {"fit_seconds", fit_seconds},
              {"seconds", seconds}};
  return Json{{"model", model}, {"report", report}};
}

}  // namespace leadscore
