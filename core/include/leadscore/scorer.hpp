#pragma once
/// Scores one lead: the model's rules over the row's mapped cells -> fit, engagement, total,
/// temperature, and the explanation (every rule that fired, with caps and decay applied).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/column_map.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/model.hpp"
#include "leadscore/values.hpp"

namespace leadscore {

/// One rule that fired for a lead.
struct RuleHit {
  const Rule* rule = nullptr;
  Axis axis = Axis::Fit;
  std::string_view label;   ///< the rule's label, or its band's (owned by the model)
  double base = 0;          ///< points before cap and decay (per_unit: value x points)
  double points = 0;        ///< what the lead gets: after cap and decay
  double decay_factor = 1;  ///< 1 when not decayed
  bool capped = false;
  bool missing = false;  ///< the lead had no value: the rule's missing_points
  bool counted = true;   ///< false when a better rule of the same group counted instead
};

/// One axis for one lead.
struct AxisScore {
  double points = 0;      ///< sum of counted rule points
  double max_points = 0;  ///< the points that make 100
  double score = 0;       ///< 0-100, one decimal
  bool capped = false;    ///< points above max_points were cut
  bool measured = true;   ///< false when the list has none of the axis's columns
};

struct ScoreResult {
  AxisScore fit;
  AxisScore engagement;
  double total = 0;  ///< 0-100, one decimal
  Temperature temperature = Temperature::Cold;
  std::string grade;                   ///< fit letter + engagement digit, e.g. "B2"
  const Rule* disqualifier = nullptr;  ///< set when a disqualifier forced the lead cold
  std::string held_back;               ///< why a lead with a hot score is only warm
  std::vector<RuleHit> hits;           ///< counted hits first, by impact

  void clear();
};

/// One action that would make a lead hot, found by scoring the lead with one cell changed.
struct PathToHot {
  std::string change;  ///< for people: "Requested a demo", "+1 Visited the pricing page", "Activity today"
  std::string field;   ///< the lead field whose cell changes
  std::string value;   ///< the cell's new value
  double score = 0;    ///< the lead's score after the change
};

/// The model compiled against one list's columns. Scoring reuses per-row scratch space: use one
/// Scorer per thread.
class Scorer {
 public:
  /// How much of a ScoreResult to fill: Keys only reads the row's key ids (row_key; the caller
  /// scores many rows at once with score_key_columns); Figures gives no hits (enough for the
  /// scores, the temperature and the summary); Reasons lists only the hits that count and move the
  /// score, by impact (what reasons() writes); Full lists every rule that fired, by impact, for
  /// explanations and back-tests.
  enum class Detail { Keys, Figures, Reasons, Full };
  /// What a column's cells are told apart by: the whole text, or only what its rules can see
  /// (present or not; an email's validity and whether its domain is one the rules list; the day
  /// of a date and time), so that caches stay small. A Text column whose rules read no number per
  /// unit and no decay keys its first kCellKeys distinct cells as they are and any later new cell
  /// by what each rule makes of it: a real list's hundred thousand job titles make a few thousand keys.
  enum class KeyKind { Text, Presence, EmailDomain, Date };
  static constexpr std::size_t kCellKeys = 4096;
  struct ColumnKey {
    std::int64_t column;
    KeyKind kind;
    /// What the keys depend on beyond the cells: EmailDomain the domains the rules list; Text
    /// what the rules tell cells apart by (for the keys past kCellKeys); else 0.
    std::uint64_t fingerprint = 0;
    /// Whether keys made for this column key serve a scorer asking for `wanted`. Keys that are all
    /// cells (none `rewritten`) serve any Text rules; keys made of what rules saw need the same.
    bool serves(const ColumnKey& wanted, bool rewritten) const noexcept {
      return column == wanted.column && kind == wanted.kind &&
             (fingerprint == wanted.fingerprint || (kind == KeyKind::Text && !rewritten));
    }
  };
  /// The first byte of a key that is not the cell: a Date's day written for a longer cell ("\x01"
  /// "2024-01-15" for "2024-01-15 10:23"), a Text cell's rule outcomes, or a cell that starts
  /// with this byte, escaped by another.
  static constexpr char kRewritten = '\x01';
  /// An id too large for a cache: the column has too many distinct keys.
  static constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

  /// `as_of`: days since 1970-01-01 that recency and decay count from.
  Scorer(const ScoringModel& model, const ColumnMapping& mapping, std::int32_t as_of);

  void score(const CsvRecord& row, ScoreResult& out, Detail detail = Detail::Full) const;

  // Scoring from cached column keys (a list re-scored without reading its rows again). The columns
  // the model reads are numbered 0..key_columns()-1; each distinct key of a column gets an id.
  std::size_t key_columns() const noexcept { return memos_.size(); }
  ColumnKey column_key(std::size_t k) const noexcept;
  /// After score(): the id of the row's key in column `k` (kNoId when the column has too many).
  std::uint32_t row_key(std::size_t k) const noexcept { return row_ids_[k]; }
  std::size_t key_count(std::size_t k) const noexcept;
  std::string_view key_text(std::size_t k, std::uint32_t id) const noexcept;
  /// Gives `key` (a key_text of a Scorer with the same ColumnKey) its id in column `k`.
  std::uint32_t add_key(std::size_t k, std::string_view key) const;
  /// Scores `rows` rows at once from their key ids (`ids[k][row]` for key column k), rule by rule
  /// over all rows: the figures score() gives each row (no hits). Rows that score alike share a
  /// result: `results` gets each distinct one and `result_of_row[row]` says which is the row's.
  /// One key column's ids for the rows scored: one byte each (`one`) or two (`two`).
  struct KeyIds {
    const std::uint8_t* one = nullptr;
    const std::uint16_t* two = nullptr;
  };
  void score_key_columns(std::size_t rows, const std::vector<KeyIds>& ids, std::vector<ScoreResult>& results,
                         std::vector<std::uint32_t>& result_of_row) const;

  /// "Requested a demo (+30); Website visits (+16, capped)..." for the scored CSV.
  std::string reasons(const ScoreResult& result) const;
  void append_reasons(const ScoreResult& result, std::string& out) const;
  /// The play for the lead's temperature, with the follow-up deadline for hot leads.
  std::string next_action(const ScoreResult& result) const;
  void append_next_action(const ScoreResult& result, std::string& out) const;
  /// The whole explanation as JSON (for the CLI, the page and the API).
  nlohmann::ordered_json explain(const ScoreResult& result) const;
  /// For a lead that is not hot (and not disqualified): the single engagement actions that would make
  /// it hot, smallest gain first (at most `limit`). Empty when none would.
  std::vector<PathToHot> paths_to_hot(const CsvRecord& row, const ScoreResult& result, std::size_t limit = 3) const;

  const ScoringModel& model() const noexcept { return model_; }
  std::int32_t as_of() const noexcept { return as_of_; }
  /// Fields the model's rules use that this list does not have (those rules never fire).
  const std::vector<std::string>& absent_fields() const noexcept { return absent_fields_; }
  const AxisScore& axis_template(Axis axis) const noexcept {
    return axis == Axis::Fit ? fit_template_ : engagement_template_;
  }

 private:
  struct CompiledRule {
    const Rule* rule;
    Axis axis;
    std::int64_t column;                     // -1: the list lacks the field (rule inactive)
    const Decay* decay;                      // nullptr: no decay
    std::int64_t decay_column;               // column of the decay date
    std::unordered_set<std::string> lookup;  // Equals texts, DomainIn domains
    int group = -1;                          // the rule's group within its axis; -1: none
    std::size_t memo = 0;                    // the memo of `column`
    std::size_t slot = 0;                    // the rule's place among the rules of that memo
    std::size_t decay_memo = 0;              // the memo of `decay_column`
    std::size_t decay_slot = 0;              // `decay`'s place among that memo's decays
  };
  /// What one rule makes of one cell, whatever the row.
  struct Outcome {
    double base = 0;
    double points = 0;   // base, capped
    double rounded = 0;  // points, rounded to one decimal as a lead gets them undecayed
    const std::string* label = nullptr;
    bool matched = false;  // a hit (for a missing value: the rule has missing_points)
    bool missing = false;
    bool capped = false;
    std::uint8_t band = 0;  // Bands: which band matched
  };
  struct ColumnMemo;

  std::vector<CompiledRule> compile(const std::vector<Rule>& rules, Axis axis, const AxisModel* axis_model,
                                    const ColumnMapping& mapping);
  void link_memos();
  void read_row(const CsvRecord& row) const;
  void use_key(std::size_t m, std::uint32_t id, std::string_view key) const;
  void score_read(ScoreResult& out, Detail detail) const;
  /// What each rule of `memo` makes of `text` and each decay's factor; without `points`, only
  /// which rules match and by which band (what an outcome key holds), not what they are worth.
  void work_out(const ColumnMemo& memo, std::string_view text, Outcome* outcomes, double* factors,
                bool points = true) const;
  /// A cell's key made of what each rule of `memo` makes of it (the cell, or as escaped).
  std::string_view outcome_key(ColumnMemo& memo, std::string_view cell) const;
  void read_outcome_key(const ColumnMemo& memo, std::string_view states, Outcome* outcomes) const;
  /// What the rules of a Text `memo` tell cells apart by, as a fingerprint.
  std::uint64_t conditions_fingerprint(const ColumnMemo& memo) const;
  /// Whether `rule` matches `text`, by which band, and its base points (not yet capped).
  Outcome outcome(const CompiledRule& rule, std::string_view text, bool missing, struct Readings& readings) const;
  /// A match's points: the base, capped, and rounded.
  static Outcome capped(const Rule& rule, Outcome outcome);
  /// The current row's points from `rule` (decayed, rounded), with the decay factor; false: no hit.
  bool evaluate(const CompiledRule& rule, double& factor, double& points) const;
  void add_hit(const CompiledRule& rule, double factor, double points, bool counted, std::vector<RuleHit>& hits) const;
  void score_axis(const std::vector<CompiledRule>& rules, AxisScore& axis, std::vector<RuleHit>& hits,
                  Detail detail) const;
  static void set_axis(AxisScore& axis, std::int64_t tenths);
  void add_axis_columns(const std::vector<CompiledRule>& rules, std::size_t rows, const std::vector<KeyIds>& ids,
                        std::vector<std::int64_t>& sums) const;
  /// Total, grade and temperature from the axes and the disqualifier.
  void segment(ScoreResult& out) const;
  void grade_of(double fit, double engagement, std::string& grade) const;

  const ScoringModel& model_;
  std::int32_t as_of_;
  std::vector<CompiledRule> fit_rules_;
  std::vector<CompiledRule> engagement_rules_;
  std::vector<CompiledRule> disqualifiers_;
  AxisScore fit_template_;
  AxisScore engagement_template_;
  std::vector<std::string> absent_fields_;
  // Per column the model reads: its rules' outcomes and decay factors per distinct cell text.
  mutable std::vector<std::unique_ptr<ColumnMemo>> memos_;
  mutable std::vector<const Outcome*> row_outcomes_;  // per memo: the current row's outcomes
  mutable std::vector<const double*> row_factors_;    // per memo: the current row's decay factors
  mutable std::vector<std::uint32_t> row_ids_;        // per memo: the current row's key id
  mutable std::string key_;                           // scratch for a canonical key
  std::unique_ptr<struct Readings> readings_;         // scratch for the cell work_out reads
  static constexpr std::size_t kNoHit = static_cast<std::size_t>(-1);
  mutable std::vector<std::size_t> group_best_;    // per group: the rule that counts so far
  mutable std::vector<unsigned char> rule_state_;  // per rule of an axis: see score_axis
  mutable std::vector<double> rule_points_;
  mutable std::vector<double> rule_factors_;
  mutable std::vector<std::uint32_t> hit_order_;  // score_read's hits by place, sorted
  mutable std::vector<RuleHit> hits_sorted_;      // score_read's hits in order (swapped with the result's)
 public:
  ~Scorer();
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;
};

/// The explanation of one lead of a list, with its line and its cells by header name.
nlohmann::ordered_json explain_lead(const Scorer& scorer, const ScoreResult& result, const CsvRecord& header,
                                    const CsvRecord& row);

/// Today as days since 1970-01-01 (UTC).
std::int32_t today_days();
/// 2^(-x) for x >= 0, computed the same way on every platform (no libm differences).
double half_life_factor(double x) noexcept;
/// Rounds to one decimal, the precision every score is shown and compared at.
double round1(double x) noexcept;
/// "+12", "-7.5", "0".
std::string format_points(double points);
/// One decimal when it is not zero: "12", "7.5", "-3".
std::string format_number(double value);
/// A score with exactly one decimal: "80.9", "0.0".
std::string format_score(double score);
/// The same text written at `out` (at most 24 bytes); returns its end.
char* write_score(char* out, double score) noexcept;

}  // namespace leadscore
