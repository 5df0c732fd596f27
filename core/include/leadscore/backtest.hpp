#pragma once
/// Back-testing a model on a list whose leads have a known outcome (converted or not): how well its
/// scores and temperatures sort converters from the rest, overall, by score decile and per rule.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/scorer.hpp"
#include "leadscore/session.hpp"

namespace leadscore {

/// Where a list says how each lead ended, and how to read it.
struct OutcomeColumn {
  /// Flag: yes/no, 1/0, true/false (Converted, IsConverted, y, Won...). LifecycleStage: Customer
  /// or Evangelist converted, any other stage did not. LeadStatus / DealStage: "Closed - Converted"
  /// / "Closed Won" converted, "Closed - Not Converted" / "Closed Lost" did not, open ones are unknown.
  enum class Kind { Flag, LifecycleStage, LeadStatus, DealStage };
  std::size_t column = 0;
  std::string header;
  Kind kind = Kind::Flag;
};

const char* outcome_kind_name(OutcomeColumn::Kind kind) noexcept;

/// The outcome column among `headers`: the one named `chosen` when given (nullopt when there is
/// none), else the first header a CRM export uses for outcomes (Converted, IsConverted, Closed Won,
/// Lifecycle Stage, Lead Status, y...).
std::optional<OutcomeColumn> find_outcome_column(const std::vector<std::string>& headers, std::string_view chosen = {});

/// What one outcome cell says: converted, not converted, or nullopt (blank, open, unreadable).
std::optional<bool> read_outcome(const OutcomeColumn& outcome, std::string_view cell);

/// Area under the ROC curve: the chance that a positive scores above a negative, ties counting
/// half; nullopt without both.
std::optional<double> area_under_roc(const std::vector<double>& scores, const std::vector<bool>& positives);

/// Conversion figures of one model on one list: add every scored lead with its outcome, then report.
class Backtest {
 public:
  /// A lead whose outcome is known.
  void add(const ScoreResult& result, bool converted);
  /// A lead whose outcome is not known (left out of every figure, counted apart).
  void add_unknown() { ++unknown_; }

  std::size_t leads() const noexcept { return leads_.size(); }
  /// Area under the ROC curve of the score (ties count half); nullopt without both outcomes.
  std::optional<double> auc() const;

  /// {"leads", "unknown", "converted", "rate", "by_temperature": {cold|warm|hot: {leads, converted,
  ///  rate}}, "lift_hot_over_cold", "auc", "hot": {precision, recall}, "deciles": [{decile, leads,
  ///  converted, rate, min_score, max_score}], "rules": [{id, label, axis, fired, converted, rate}]}
  /// Rates are shares (0-1); a figure that cannot be computed (no lead in it) is null.
  nlohmann::ordered_json report() const;

 private:
  struct Lead {
    double score;
    Temperature temperature;
    bool converted;
  };
  struct RuleFigures {
    const Rule* rule;  // who it is while the model is scoring; its texts are kept for the report
    std::string id, label, axis;
    std::int64_t fired = 0, converted = 0;
  };
  RuleFigures& figures_of(const Rule* rule, const char* axis);

  std::vector<Lead> leads_;
  std::vector<RuleFigures> rules_;  // in order of first firing
  std::int64_t unknown_ = 0;
};

/// A session's sink that back-tests as it scores: the outcome column is found in the header (the
/// one named `chosen`, else by its name), each row's outcome read from it. Keeps each lead's
/// temperature, to compare two models on the same list.
class BacktestSink final : public ScoredRowSink {
 public:
  explicit BacktestSink(std::string chosen = {}) : chosen_(std::move(chosen)) {}
  void on_header(const CsvRecord& header, const Scorer& scorer) override;
  void on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) override;
  Scorer::Detail detail() const override { return Scorer::Detail::Full; }  // which rules fired

  /// Known once the header is read; nullopt when the list has no such column.
  const std::optional<OutcomeColumn>& outcome() const noexcept { return outcome_; }
  const Backtest& backtest() const noexcept { return backtest_; }
  /// Every lead's temperature and score, in the list's order, with its line.
  struct Lead {
    std::int64_t line;
    double score;
    Temperature temperature;
  };
  const std::vector<Lead>& leads() const noexcept { return leads_; }

 private:
  std::string chosen_;
  std::optional<OutcomeColumn> outcome_;
  Backtest backtest_;
  std::vector<Lead> leads_;
};

/// Two models on the same list: {"changed", "transitions": {"cold->hot": n, ...}, "first": [{line,
/// from, to, score_before, score_after}]} (the first 20 leads that change temperature).
nlohmann::ordered_json compare_temperatures(const std::vector<BacktestSink::Lead>& before,
                                            const std::vector<BacktestSink::Lead>& after);

}  // namespace leadscore
