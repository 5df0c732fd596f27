#pragma once
/// What learning a model shares between its steps (learner.cpp: the table, the columns' uses, the
/// regression and its folds; learned_model.cpp: the coefficients turned into a points model).

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "leadscore/backtest.hpp"
#include "leadscore/learner.hpp"
#include "leadscore/values.hpp"

namespace leadscore::learning {

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
inline const std::vector<SeniorityLevel>& seniority_levels() {
  static const std::vector<SeniorityLevel> levels{
      {"executive",
       {"ceo", "cto", "cfo", "coo", "cmo", "cro", "cio", "chief", "founder", "co-founder", "owner", "president",
        "partner", "managing director", "general manager"}},
      {"director", {"vp", "vice president", "svp", "evp", "head of", "head", "director"}},
      {"manager", {"manager", "lead", "principal", "senior", "supervisor"}}};
  return levels;
}
inline constexpr const char* kStaff = "staff";

/// A cell's number (a range's middle), NaN when it is not one.
inline double number_of(const std::string& cell) {
  const auto q = parse_quantity(cell);
  return q ? q->value() : std::nan("");
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

/// The coefficients `w` of a regression on `e`'s features (fitted on the `train` rows of `t`) as
/// an ordinary model: points per value or per band, a base, thresholds for the wanted shares.
Json points_model(const Table& t, const std::vector<std::size_t>& train, const Encoder& e, const std::vector<double>& w,
                  const LearnOptions& options);
/// Scores `rows` with `model` exactly as a list is scored: each lead's score and temperature, in order.
std::vector<BacktestSink::Lead> scored_with(const Json& model, const Table& t, const std::vector<std::size_t>& rows,
                                            std::int32_t as_of);

}  // namespace leadscore::learning
