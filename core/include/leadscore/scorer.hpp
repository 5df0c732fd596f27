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
#include "leadscore/numbers.hpp"
#include "leadscore/values.hpp"

namespace leadscore {

namespace detail {
class ColumnKeys;
}  // namespace detail
namespace rules {
struct BoundRule;
struct Outcome;
}  // namespace rules

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

/// The model compiled against one list's columns, with its caches: what each rule makes of each
/// distinct cell is worked out once (rules.hpp says what it is; detail/column_keys.hpp remembers
/// it). Scoring fills the caches: use one Scorer per thread.
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
  ~Scorer();
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;

  void score(const CsvRecord& row, ScoreResult& out, Detail detail = Detail::Full);

  // Scoring from cached column keys (a list re-scored without reading its rows again). The columns
  // the model reads are numbered 0..key_columns()-1; each distinct key of a column gets an id.
  std::size_t key_columns() const noexcept { return columns_.size(); }
  ColumnKey column_key(std::size_t k) const noexcept;
  /// After score(): the id of the row's key in column `k` (kNoId when the column has too many).
  std::uint32_t row_key(std::size_t k) const noexcept { return row_ids_[k]; }
  std::size_t key_count(std::size_t k) const noexcept;
  std::string_view key_text(std::size_t k, std::uint32_t id) const noexcept;
  /// Gives `key` (a key_text of a Scorer with the same ColumnKey) its id in column `k`.
  std::uint32_t add_key(std::size_t k, std::string_view key);
  /// One key column's ids for the rows scored: one byte each (`one`) or two (`two`).
  struct KeyIds {
    const std::uint8_t* one = nullptr;
    const std::uint16_t* two = nullptr;
  };
  /// Scores `rows` rows at once from their key ids (`ids[k][row]` for key column k), rule by rule
  /// over all rows: the figures score() gives each row (no hits). Rows that score alike share a
  /// result: `results` gets each distinct one and `result_of_row[row]` says which is the row's.
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
  std::vector<PathToHot> paths_to_hot(const CsvRecord& row, const ScoreResult& result, std::size_t limit = 3);

  const ScoringModel& model() const noexcept { return model_; }
  std::int32_t as_of() const noexcept { return as_of_; }
  /// Fields the model's rules use that this list does not have (those rules never fire).
  const std::vector<std::string>& absent_fields() const noexcept { return absent_fields_; }
  const AxisScore& axis_template(Axis axis) const noexcept {
    return axis == Axis::Fit ? fit_template_ : engagement_template_;
  }

 private:
  /// A bound rule and where the column caches keep what it makes of a key and its decay's factor.
  struct CachedRule {
    std::size_t column = 0;        // its key column (its place among the column's rules: BoundRule::slot)
    std::size_t decay_column = 0;  // the key column of its decay's date
    std::size_t decay_slot = 0;    // its decay's place among that column's decays
  };
  void cache(std::vector<rules::BoundRule>& rules, std::vector<CachedRule>& cached);
  const rules::Outcome& row_outcome(const rules::BoundRule& rule, const CachedRule& c) const noexcept;
  double row_factor(const rules::BoundRule& rule, const CachedRule& c) const noexcept;
  void score_axis(const std::vector<rules::BoundRule>& rules, const std::vector<CachedRule>& cached, AxisScore& axis,
                  std::vector<RuleHit>& hits, Detail detail);
  void add_hit(const rules::BoundRule& rule, const rules::Outcome& o, double factor, std::int64_t tenths, bool counted,
               std::vector<RuleHit>& hits) const;
  void sort_hits(std::vector<RuleHit>& hits);
  void add_axis_columns(const std::vector<rules::BoundRule>& rules, const std::vector<CachedRule>& cached,
                        std::size_t rows, const std::vector<KeyIds>& ids, std::vector<std::int64_t>& sums) const;

  const ScoringModel& model_;
  std::int32_t as_of_;
  std::vector<rules::BoundRule> fit_rules_, engagement_rules_, disqualifiers_;
  std::vector<CachedRule> fit_cached_, engagement_cached_, disqualifiers_cached_;
  std::size_t groups_ = 0;  // the most groups of an axis
  AxisScore fit_template_;
  AxisScore engagement_template_;
  std::vector<std::string> absent_fields_;
  std::vector<std::unique_ptr<detail::ColumnKeys>> columns_;  // per column the model reads

  // The current row (score()): per key column its key id, outcomes and factors, and the scratch
  // of scoring an axis, kept between rows so that a row allocates nothing.
  std::vector<std::uint32_t> row_ids_;
  std::vector<const rules::Outcome*> row_outcomes_;
  std::vector<const double*> row_factors_;
  std::vector<std::size_t> group_best_;  // per group: the rule that counts so far
  std::vector<unsigned char> rule_state_;
  std::vector<std::int64_t> rule_tenths_;
  std::vector<double> rule_factors_;
  std::vector<std::uint32_t> hit_order_;
  std::vector<RuleHit> hits_sorted_;
};

/// The explanation of one lead of a list, with its line and its cells by header name.
nlohmann::ordered_json explain_lead(Scorer& scorer, const ScoreResult& result, const CsvRecord& header,
                                    const CsvRecord& row);

/// Scores one lead given as (field or header name, value) pairs, e.g. from a form:
/// {"job_title": "VP Sales", "Number of Employees": "250"}. Returns its explanation.
nlohmann::ordered_json explain_single_lead(const ScoringModel& model,
                                           const std::vector<std::pair<std::string, std::string>>& fields,
                                           std::int32_t as_of);

}  // namespace leadscore
