#pragma once
/// The scoring model: a versioned JSON document (docs/model.md) that sales and marketing agree on.
/// Two axes, fit and engagement, each a list of rules normalised to 0-100; segmentation into
/// cold / warm / hot by thresholds or a fit x engagement matrix; disqualifiers; plays per temperature.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/column_map.hpp"
#include "leadscore/error.hpp"
#include "leadscore/values.hpp"

namespace leadscore {

/// The format version this build reads and writes (`"leadscore_model": 1`).
inline constexpr int kModelFormatVersion = 1;

enum class Temperature { Cold = 0, Warm = 1, Hot = 2 };
/// "cold", "warm", "hot".
const char* temperature_name(Temperature temperature) noexcept;

enum class Axis { Fit, Engagement };
const char* axis_name(Axis axis) noexcept;

/// Exponential fading of engagement points: a point earned `half_life_days` before `as_of` counts half.
struct Decay {
  double half_life_days = 30;
  std::string date_field = "last_activity_date";
  /// Factor applied when the lead has no date (1 = no decay, 0 = no credit).
  double missing_date_factor = 1;
};

/// What a rule tests; exactly one per rule.
enum class Matcher {
  PerUnit,        ///< "per_unit": points for each unit of a number (visits, opens...)
  Range,          ///< "at_least" and/or "below": a number in [at_least, below)
  Bands,          ///< "bands": the first matching numeric band gives its points
  Equals,         ///< "equals": one of these texts (case-insensitive)
  ContainsAny,    ///< "contains_any": one of these words or phrases, on word boundaries
  DomainIn,       ///< "domain_in": email or website domain in a list ("@free_mail", "@competitors")
  Is,             ///< "is": a yes/no value equals true or false
  Present,        ///< "present": the value is there (completeness)
  WithinDays,     ///< "within_days": a date at most N days before as_of
  OlderThanDays,  ///< "older_than_days": a date more than N days before as_of
  InvalidEmail,   ///< "invalid_email": a value that is not a plausible email address
};
const char* matcher_name(Matcher matcher) noexcept;

struct Band {
  std::optional<double> at_least;
  std::optional<double> below;
  double points = 0;
  std::string label;
};

struct Rule {
  std::string id;
  std::string label;  ///< the reason people read ("Director-level title")
  std::string field;  ///< canonical field, a custom field from "columns", or "column:<header>"
  Matcher matcher = Matcher::Present;
  double points = 0;                     ///< fixed points when the rule matches (not PerUnit / Bands)
  double per_unit = 0;                   ///< PerUnit
  std::optional<double> cap;             ///< largest |points| this rule gives
  std::optional<double> at_least;        ///< Range
  std::optional<double> below;           ///< Range
  std::vector<Band> bands;               ///< Bands
  std::vector<std::string> texts;        ///< Equals / ContainsAny (lowercased), DomainIn (expanded)
  bool is = true;                        ///< Is
  double days = 0;                       ///< WithinDays / OlderThanDays
  std::optional<double> missing_points;  ///< points when the lead has no value
  std::optional<Decay> decay;            ///< per-rule decay; overrides the axis decay
  bool no_decay = false;                 ///< "decay": false
  std::string group;                     ///< rules sharing a group: only the best one counts
  std::string reason;                    ///< disqualifiers: what the lead is told
  std::string json_path;                 ///< where the rule sits in the model ("/fit/rules/2")
};

struct AxisModel {
  std::vector<Rule> rules;
  /// Raw points that make 100. Unset: the most the rules whose columns the list has can give.
  std::optional<double> max_points;
  std::optional<Decay> decay;  ///< applies to every rule of the axis unless the rule says otherwise
};

struct GradeBand {
  std::string grade;
  double at_least = 0;
};

struct Segmentation {
  enum class Method { Thresholds, Matrix };
  Method method = Method::Thresholds;
  double fit_weight = 0.5;
  double engagement_weight = 0.5;
  double warm = 35;
  double hot = 65;
  double hot_min_fit = 0;  ///< "a lead may be active but not qualified": hot needs fit too
  double hot_min_engagement = 0;
  std::vector<GradeBand> fit_grades;          ///< highest first; the last starts at 0
  std::vector<GradeBand> engagement_grades;   ///< highest first; the last starts at 0
  std::map<std::string, Temperature> matrix;  ///< "A1" -> hot (Matrix only)
};

/// What to do with a lead of one temperature.
struct Play {
  std::string label;
  std::string stage;
  std::string next_action;
  std::optional<double> sla_hours;  ///< follow-up deadline (hot leads)
};

struct ScoringModel {
  std::string name;
  std::string description;
  std::optional<std::int32_t> as_of;  ///< days since 1970-01-01; unset = today
  ColumnOverrides columns;
  MissingValues missing;
  std::map<std::string, std::vector<std::string>> domain_lists;
  AxisModel fit;
  AxisModel engagement;
  std::vector<Rule> disqualifiers;
  Segmentation segments;
  std::array<Play, 3> plays;  ///< indexed by Temperature

  const AxisModel& axis(Axis a) const noexcept { return a == Axis::Fit ? fit : engagement; }
  const Play& play(Temperature t) const noexcept { return plays[static_cast<std::size_t>(t)]; }
};

/// Reads and validates a model. The first problem is returned; `check_model` lists them all.
Result<ScoringModel> parse_model(std::string_view json_text);
/// Every problem in a model text, each with the JSON path of the offending value.
std::vector<Error> check_model(std::string_view json_text);

/// The built-in model for B2B lead lists, as JSON text (what `leadscore default-model` prints).
const std::string& default_model_json();
/// The built-in model, parsed.
const ScoringModel& default_model();

}  // namespace leadscore
