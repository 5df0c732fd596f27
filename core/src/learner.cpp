#include "leadscore/learner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

#include <nlohmann/json.hpp>

#include "detail/learning.hpp"
#include "leadscore/backtest.hpp"
#include "leadscore/column_map.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/csv_writer.hpp"
#include "leadscore/model.hpp"
#include "leadscore/session.hpp"
#include "leadscore/values.hpp"

namespace leadscore {

using namespace learning;

namespace {

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
  CsvReader reader(options.csv);
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

/// The solution x of H x = g for the symmetric positive definite `h` (p x p, overwritten by its
/// Cholesky factor L, H = L L^T), by two triangular solves.
std::vector<double> solved(std::vector<double>& h, const std::vector<double>& g, std::size_t p) {
  for (std::size_t a = 0; a < p; ++a) {
    for (std::size_t b = 0; b <= a; ++b) {
      double sum = h[a * p + b];
      for (std::size_t c = 0; c < b; ++c) sum -= h[a * p + c] * h[b * p + c];
      h[a * p + b] = a == b ? std::sqrt(std::max(sum, 1e-12)) : sum / h[b * p + b];
    }
  }
  std::vector<double> x(g);
  for (std::size_t a = 0; a < p; ++a) {
    for (std::size_t c = 0; c < a; ++c) x[a] -= h[a * p + c] * x[c];
    x[a] /= h[a * p + a];
  }
  for (std::size_t a = p; a-- > 0;) {
    for (std::size_t c = a + 1; c < p; ++c) x[a] -= h[c * p + a] * x[c];
    x[a] /= h[a * p + a];
  }
  return x;
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
    const std::vector<double> step = solved(h, g, p);
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
