#pragma once
/// What a model means, said once: when a rule fires on a cell and with how many points, how those
/// points decay, which hit of a group counts, how an axis sums and scales, and how a lead is
/// segmented. The row path (Scorer::score), the column path (Scorer::score_key_columns) and the
/// SQL compiler all follow these functions; the caches (detail/column_keys.hpp) only remember
/// what they answered for each distinct cell.
///
/// To add a rule kind: a Matcher in model.hpp (and its JSON in model.cpp), its case in outcome()
/// here, and its SQL in sql_export.cpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "detail/phrase_set.hpp"
#include "leadscore/model.hpp"
#include "leadscore/numbers.hpp"
#include "leadscore/scorer.hpp"
#include "leadscore/values.hpp"

namespace leadscore::rules {

/// A rule bound to one list's columns.
struct BoundRule {
  const Rule* rule = nullptr;
  Axis axis = Axis::Fit;
  std::int64_t column = -1;               ///< -1: the list lacks the field, and the rule never fires
  const Decay* decay = nullptr;           ///< null: its points do not decay
  std::int64_t decay_column = -1;         ///< the column of the decay's date; -1: none (missing_date_factor)
  int group = -1;                         ///< the rule's group within its axis; -1: none
  std::size_t slot = 0;                   ///< its place among the rules that read its column
  std::unordered_set<std::string> texts;  ///< Equals texts or DomainIn domains, to look up
};

/// The model's rules of one kind (an axis or the disqualifiers) bound to a list's columns.
std::vector<BoundRule> bind(const std::vector<Rule>& rules, Axis axis, const AxisModel* axis_model,
                            const ColumnMapping& mapping);

/// One cell as rules read it: its text (trimmed) and each reading (lowered, number, domain, date,
/// phrases) worked out at most once however many rules read it.
class Cell {
 public:
  /// For another cell of a column whose ContainsAny phrases are `phrases` (one set per 64 rules of
  /// the column, by slot). Keeps the buffers: no allocation per cell.
  void reset(std::string_view text, bool missing, const std::vector<detail::PhraseSet>& phrases) noexcept;
  std::string_view text() const noexcept { return text_; }
  bool missing() const noexcept { return missing_; }
  const std::string& lower();
  const std::optional<Quantity>& quantity();
  const std::string& domain();
  const std::optional<std::int32_t>& date();
  /// Whether a phrase of the ContainsAny rule in `slot` is in the cell, on word boundaries.
  bool has_phrase(std::size_t slot);

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::string_view text_;
  bool missing_ = false;
  const std::vector<detail::PhraseSet>* phrase_sets_ = nullptr;
  bool has_lower_ = false, has_quantity_ = false, has_domain_ = false, has_date_ = false;
  std::size_t phrases_of_ = kNone;  // which set `phrases_` is from
  std::uint64_t phrases_ = 0;       // bit i: the rule in slot 64 * phrases_of_ + i has a phrase here
  std::string lower_;
  std::optional<Quantity> quantity_;
  std::string domain_;
  std::optional<std::int32_t> date_;
};

/// What one rule makes of one cell, whatever the row.
struct Outcome {
  double base = 0;                     ///< points before the cap (per_unit: value x points)
  double points = 0;                   ///< base, capped
  std::int64_t tenths = 0;             ///< points in whole tenths, as an undecayed lead gets them
  const std::string* label = nullptr;  ///< the rule's label, or its band's
  bool matched = false;                ///< the rule fires (on a missing value: it has missing_points)
  bool missing = false;                ///< fired on a missing value
  bool capped = false;
  std::uint8_t band = 0;  ///< Bands: which band matched
};

/// Whether `rule` fires on `cell`, by which band, and its points. A missing value fires only a rule
/// with missing_points. Without `with_points`, only whether and by which band (the points are
/// left as the base, uncapped).
Outcome outcome(const BoundRule& rule, Cell& cell, std::int32_t as_of, bool with_points = true);
/// The outcome of `rule` firing on a value by `band` (any number for other matchers), with points.
Outcome fired(const Rule& rule, std::size_t band);
/// The outcome of `rule` on a missing value: it fires only with missing_points. Without
/// `with_points`, the points are left as the base, uncapped.
Outcome missed(const Rule& rule, bool with_points = true);

/// The decay that applies to a rule of an axis: its own, else the axis's, unless it says
/// "decay": false. Null: none.
const Decay* decay_of(const Rule& rule, const AxisModel* axis_model);
/// What `decay` leaves of positive points for a lead whose last activity was on `day` (days since
/// 1970-01-01; none: the decay's missing_date_factor).
double decay_factor(const Decay& decay, const std::optional<std::int32_t>& day, std::int32_t as_of);
/// The factor a hit's points are multiplied by: the lead's `activity` factor for the positive
/// points of a rule that decays, else 1.
inline double hit_factor(const BoundRule& rule, const Outcome& o, double activity) noexcept {
  return rule.decay && o.points > 0 ? activity : 1;
}
/// A hit's points after decay, in whole tenths (what the lead gets and the axis sums).
inline std::int64_t hit_tenths(const Outcome& o, double factor) noexcept {
  return factor == 1 ? o.tenths : round_tenths(o.points * factor);
}
/// In a group only the best hit counts ("Director" beats "Manager" rather than adding to it): a
/// later hit takes the place of the best so far only with more points, so the earlier wins a tie.
inline bool beats(std::int64_t later_tenths, std::int64_t best_tenths) noexcept { return later_tenths > best_tenths; }
/// A disqualifier holds when it fires on a value (not through missing_points).
inline bool disqualifies(const Outcome& o) noexcept { return o.matched && !o.missing; }

/// An axis for one list: the points that make 100 (max_points, or what the rules whose columns the
/// list has can give when that is less) and whether the list can measure it at all.
AxisScore axis_scale(const AxisModel& axis_model, const std::vector<BoundRule>& rules);
/// An axis's points, from the sum of its counted hits in whole tenths (exact in any order), and
/// its 0-100 score.
void set_axis(AxisScore& axis, std::int64_t tenths);
/// The total, grade and temperature of a lead whose axes and disqualifier are set, and why a hot
/// score was held back.
void segment(const Segmentation& segments, ScoreResult& out);

}  // namespace leadscore::rules
