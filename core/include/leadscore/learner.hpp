#pragma once
/// Learning a points model from past outcomes: L2-regularised logistic regression on the list's
/// columns (numbers standardised, counts on a log scale, frequent categories one-hot), checked by
/// k-fold cross-validation, then turned into the same JSON points model a person writes (integer
/// points per rule on the fit and engagement axes, thresholds for a share of hot leads), so that it
/// is read, edited and scored like any other.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/csv_reader.hpp"
#include "leadscore/error.hpp"

namespace leadscore {

struct LearnOptions {
  CsvOptions csv;                 ///< how the list's text is read (a workbook's is known)
  std::string outcome;            ///< the outcome column's header; empty: found by its name
  std::vector<std::string> keep;  ///< columns flagged as filled after contact, kept anyway
  double l2 = 1.0;                ///< the ridge penalty on the (standardised) coefficients
  int folds = 5;                  ///< cross-validation folds (2-20)
  std::uint64_t seed = 1;         ///< the folds' shuffle: the same seed gives the same model
  bool balance = false;           ///< weigh both outcomes equally (for rare conversions)
  double hot_share = 0.2;         ///< the share of leads the thresholds make hot...
  double warm_share = 0.3;        ///< ...and warm (the next ones by score)
  /// When above 0: hot is instead the largest top group of the training leads, by score, that
  /// converts at least this often (a target conversion rate for hot leads, 0-1).
  double hot_rate = 0;
  int max_categories = 20;  ///< one-hot values per column, the most frequent
  std::int32_t as_of = 0;   ///< the day the model's dates count from (days since 1970)
  /// Told (step, steps) after each fold and after the final fit: for a progress bar.
  std::function<void(int step, int steps)> on_progress;
};

/// {"model": the points model (JSON, as model.md describes), "report": {"rows", "unknown",
///  "converted", "columns": [{header, use: numeric|log_count|category|excluded, why?}], "leakage":
///  [{header, why}], "folds", "cv": {"auc", "auc_points", "rounding_cost", "by_temperature",
///  "deciles", "lift_hot_over_cold"}, "coefficients": [{feature, weight}], "fit_seconds" (the final
///  regression alone), "seconds" (all of it: folds, points models, scoring)}}
/// Fails with usage.invalid_argument when the list has no outcome column or no lead of each outcome.
Result<nlohmann::ordered_json> learn_model(std::string_view csv, const LearnOptions& options);

/// The logistic regression alone (exposed for tests): rows as sparse (feature, value) lists,
/// `weights` per row; returns the intercept then one weight per feature.
std::vector<double> fit_logistic(const std::vector<std::vector<std::pair<std::uint32_t, double>>>& rows,
                                 const std::vector<double>& labels, const std::vector<double>& weights,
                                 std::size_t features, double l2);

}  // namespace leadscore
