#pragma once
/// Figures over a scored list: counts and shares per temperature, score histogram, temperature by
/// lead source, the fit x engagement grid, and the row issues.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/error.hpp"
#include "leadscore/scorer.hpp"

namespace leadscore {

class Summary {
 public:
  static constexpr std::size_t kHistogramBins = 10;     ///< 0-10, 10-20, ... 90-100
  static constexpr std::size_t kMaxSources = 50;        ///< more distinct sources go to "(other)"
  static constexpr std::size_t kMaxListedIssues = 200;  ///< issues kept in full; all are counted

  /// `max_sources`: distinct sources counted apart (a part of a list counts them all: the list it
  /// joins caps them in order of first sight, as if it had read them itself).
  explicit Summary(std::size_t max_sources = kMaxSources) : max_sources_(max_sources) {}

  void add(const ScoreResult& result, std::string_view lead_source);
  /// `leads` leads that all scored `result` (their sources are added apart, with add_source).
  void add_scores(const ScoreResult& result, std::int64_t leads);
  /// `leads` leads of one source and temperature. Sources are counted in order of first sight.
  void add_source(std::string_view lead_source, Temperature temperature, std::int64_t leads);
  void add_issue(const Error& issue);
  /// A row with `cells` cells a spreadsheet may read as formulas, the first in column `column`.
  void add_formula_cells(std::int64_t line, std::size_t column, std::int64_t cells);
  /// Adds everything `other` counted (leads, sources, issues) after what this one counted.
  void merge(const Summary& other);
  /// Forgets the scores (for scoring the same rows again), keeping the row issues.
  void clear_scores();

  std::int64_t rows() const noexcept { return rows_; }
  std::int64_t count(Temperature t) const noexcept { return counts_[static_cast<std::size_t>(t)]; }
  std::int64_t issue_count() const noexcept { return issue_count_; }

  /// {"rows", "temperatures": {"cold": {"count", "share"}...}, "histogram", "by_source", "grid",
  ///  "averages", "disqualified", "issues": {"count", "by_code", "first"},
  ///  "formula_cells": {"count", "line"?, "column"?}} (column: the first such cell's index)
  nlohmann::ordered_json to_json() const;

 private:
  std::size_t max_sources_;
  std::int64_t rows_ = 0;
  std::array<std::int64_t, 3> counts_{};
  std::array<std::array<std::int64_t, 3>, kHistogramBins> histogram_{};         // leads per bin and temperature
  std::vector<std::pair<std::string, std::array<std::int64_t, 3>>> by_source_;  // in order of first sight
  std::vector<std::pair<std::string, std::int64_t>> grid_;
  std::vector<std::pair<std::string, std::int64_t>> disqualified_;
  std::int64_t fit_tenths_ = 0, engagement_tenths_ = 0, total_tenths_ = 0;  // sums of scores in tenths
  std::int64_t issue_count_ = 0;
  std::map<std::string, std::int64_t> issues_by_code_;
  std::vector<Error> issues_;
  std::int64_t formula_cells_ = 0;
  std::int64_t first_formula_line_ = 0;
  std::size_t first_formula_column_ = 0;
};

/// An Error as JSON: {"code", "message", "line"?, "column"?, "jsonPath"?}.
nlohmann::ordered_json error_json(const Error& error);

}  // namespace leadscore
