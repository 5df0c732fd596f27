#include "rules.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "detail/setup_code.hpp"
#include "messages.hpp"

namespace leadscore::rules {

LEADSCORE_SETUP_CODE
std::vector<BoundRule> bind(const std::vector<Rule>& rules, Axis axis, const AxisModel* axis_model,
                            const ColumnMapping& mapping) {
  std::vector<BoundRule> out;
  std::vector<std::string_view> groups;
  for (const auto& rule : rules) {
    BoundRule& bound = out.emplace_back();
    bound.rule = &rule;
    bound.axis = axis;
    bound.column = mapping.column_of(rule.field);
    bound.decay = decay_of(rule, axis_model);
    bound.decay_column = bound.decay ? mapping.column_of(bound.decay->date_field) : -1;
    if (rule.matcher == Matcher::Equals || rule.matcher == Matcher::DomainIn) {
      bound.texts.insert(rule.texts.begin(), rule.texts.end());
    }
    if (!rule.group.empty()) {
      const auto it = std::find(groups.begin(), groups.end(), std::string_view(rule.group));
      bound.group = static_cast<int>(it - groups.begin());
      if (it == groups.end()) groups.push_back(rule.group);
    }
  }
  return out;
}

void Cell::reset(std::string_view text, bool missing, const std::vector<detail::PhraseSet>& phrases) noexcept {
  text_ = text;
  missing_ = missing;
  phrase_sets_ = &phrases;
  has_lower_ = has_quantity_ = has_domain_ = has_date_ = false;
  phrases_of_ = kNone;
}

const std::string& Cell::lower() {
  if (!has_lower_) {
    lower_.clear();
    append_lower_ascii(text_, lower_);
    has_lower_ = true;
  }
  return lower_;
}

const std::optional<Quantity>& Cell::quantity() {
  if (!has_quantity_) {
    quantity_ = parse_quantity(text_);
    has_quantity_ = true;
  }
  return quantity_;
}

const std::string& Cell::domain() {
  if (!has_domain_) {
    domain_ = domain_of(text_);
    has_domain_ = true;
  }
  return domain_;
}

const std::optional<std::int32_t>& Cell::date() {
  if (!has_date_) {
    date_ = parse_date(text_);
    has_date_ = true;
  }
  return date_;
}

bool Cell::has_phrase(std::size_t slot) {
  // All of a column's ContainsAny rules are looked for in one pass over the cell.
  const std::size_t set = slot / detail::PhraseSet::kMostSets;
  if (phrases_of_ != set) {
    phrases_ = (*phrase_sets_)[set].sets_found_in(lower());
    phrases_of_ = set;
  }
  return (phrases_ >> slot % detail::PhraseSet::kMostSets) & 1;
}

namespace {

/// A match's points: the base, capped, in whole tenths.
Outcome capped(const Rule& rule, Outcome o) {
  o.points = o.base;
  if (rule.cap && std::fabs(o.points) > *rule.cap) {
    o.points = o.points > 0 ? *rule.cap : -*rule.cap;
    o.capped = true;
  }
  o.tenths = round_tenths(o.points);
  return o;
}

/// Whether a number is in [at_least, below) (either bound may be open).
bool in_range(double v, const std::optional<double>& at_least, const std::optional<double>& below) {
  return (!at_least || v >= *at_least) && (!below || v < *below);
}

/// The band that holds a matched Bands rule's points and label.
void take_band(const Rule& rule, std::size_t band, Outcome& o) {
  const Band& b = rule.bands[band];
  o.band = static_cast<std::uint8_t>(band);
  o.base = b.points;
  if (!b.label.empty()) o.label = &b.label;
}

}  // namespace

Outcome outcome(const BoundRule& bound, Cell& cell, std::int32_t as_of, bool with_points) {
  const Rule& rule = *bound.rule;
  Outcome o;
  o.label = &rule.label;
  if (cell.missing()) return missed(rule, with_points);
  o.base = rule.points;
  switch (rule.matcher) {
    case Matcher::PerUnit: {
      const auto& q = cell.quantity();
      if (!q) return o;
      o.base = q->value() * rule.per_unit;
      o.matched = o.base != 0;
      break;
    }
    case Matcher::Range: {
      const auto& q = cell.quantity();
      o.matched = q && in_range(q->value(), rule.at_least, rule.below);
      break;
    }
    case Matcher::Bands: {
      const auto& q = cell.quantity();
      if (!q) return o;
      for (std::size_t band = 0; band < rule.bands.size() && !o.matched; ++band) {
        o.matched = in_range(q->value(), rule.bands[band].at_least, rule.bands[band].below);
        if (o.matched) take_band(rule, band, o);
      }
      break;
    }
    case Matcher::Equals: o.matched = bound.texts.count(cell.lower()) > 0; break;
    case Matcher::ContainsAny: o.matched = cell.has_phrase(bound.slot); break;
    case Matcher::DomainIn: {
      // The domain, then each parent domain: mail.acme.com, acme.com, com.
      std::string_view d = cell.domain();
      while (!d.empty() && !o.matched) {
        o.matched = bound.texts.count(std::string(d)) > 0;
        const std::size_t dot = d.find('.');
        d = dot == std::string_view::npos ? std::string_view() : d.substr(dot + 1);
      }
      break;
    }
    case Matcher::Is: {
      const auto flag = parse_bool(cell.text());
      o.matched = flag && *flag == rule.is;
      break;
    }
    case Matcher::Present: o.matched = true; break;
    case Matcher::WithinDays:
    case Matcher::OlderThanDays: {
      const auto& d = cell.date();
      if (!d) return o;
      const double age = std::max(0, as_of - *d);
      o.matched = rule.matcher == Matcher::WithinDays ? age <= rule.days : age > rule.days;
      break;
    }
    case Matcher::InvalidEmail: o.matched = !is_valid_email(cell.text()); break;
  }
  return with_points && o.matched ? capped(rule, o) : o;
}

Outcome missed(const Rule& rule, bool with_points) {
  Outcome o;
  o.label = &rule.label;
  if (!rule.missing_points) return o;
  o.base = *rule.missing_points;
  o.missing = o.matched = true;
  return with_points ? capped(rule, o) : o;
}

Outcome fired(const Rule& rule, std::size_t band) {
  Outcome o;
  o.label = &rule.label;
  o.base = rule.points;
  o.matched = true;
  if (rule.matcher == Matcher::Bands && band < rule.bands.size()) take_band(rule, band, o);
  return capped(rule, o);
}

const Decay* decay_of(const Rule& rule, const AxisModel* axis_model) {
  if (rule.no_decay) return nullptr;
  if (rule.decay) return &*rule.decay;
  return axis_model && axis_model->decay ? &*axis_model->decay : nullptr;
}

double decay_factor(const Decay& decay, const std::optional<std::int32_t>& day, std::int32_t as_of) {
  if (!day) return decay.missing_date_factor;
  return half_life_factor(std::max(0, as_of - *day) / decay.half_life_days);
}

namespace {

/// The most points a rule can add (for scaling an axis by what its rules can give).
double most_points(const Rule& rule) {
  double best = std::max(0.0, rule.missing_points.value_or(0));
  switch (rule.matcher) {
    case Matcher::PerUnit:
      // Unbounded without a cap; only allowed when the axis sets max_points (checked by the model).
      best = std::max(best, rule.per_unit > 0 ? rule.cap.value_or(std::numeric_limits<double>::infinity()) : 0);
      break;
    case Matcher::Bands:
      for (const auto& band : rule.bands) best = std::max(best, band.points);
      break;
    default: best = std::max(best, rule.points); break;
  }
  if (rule.cap) best = std::min(best, *rule.cap);
  return best;
}

}  // namespace

LEADSCORE_SETUP_CODE
AxisScore axis_scale(const AxisModel& axis_model, const std::vector<BoundRule>& rules) {
  std::map<std::string, double> group_best;
  double most = 0;
  bool any_active = false;
  for (const auto& bound : rules) {
    if (bound.column < 0) continue;
    any_active = true;
    const double m = most_points(*bound.rule);
    if (bound.rule->group.empty()) {
      most += m;
    } else {
      group_best[bound.rule->group] = std::max(group_best[bound.rule->group], m);
    }
  }
  for (const auto& g : group_best) most += g.second;
  AxisScore axis;
  // max_points make 100, unless the list's columns cannot give that many: then what they can.
  axis.max_points = axis_model.max_points ? std::min(*axis_model.max_points, most) : most;
  axis.measured = any_active && axis.max_points > 0;
  return axis;
}

void set_axis(AxisScore& axis, std::int64_t tenths) {
  axis.points = static_cast<double>(tenths) / 10;
  if (!axis.measured) {
    axis.score = 0;
    return;
  }
  axis.capped = axis.points > axis.max_points;
  axis.score = round1(std::clamp(axis.points, 0.0, axis.max_points) / axis.max_points * 100);
}

namespace {

/// The fit letter then the engagement digit ("B2"), from the first band each score reaches.
void grade_of(const Segmentation& s, double fit, double engagement, std::string& grade) {
  grade.clear();  // keeps its buffer: no allocation per lead
  for (const auto& band : s.fit_grades) {
    if (fit >= band.at_least) {
      grade = band.grade;
      break;
    }
  }
  for (const auto& band : s.engagement_grades) {
    if (engagement >= band.at_least) {
      grade += band.grade;
      break;
    }
  }
}

/// Hot needs both axes ("a lead may be active but not qualified"): why a hot total is held back
/// by `axis`, if it is.
void hold_back(const AxisScore& axis, double minimum, std::string_view name, std::string& held_back) {
  if (minimum <= 0 || !held_back.empty()) return;
  if (!axis.measured) {
    held_back = messages::held_back_unmeasured(name);
  } else if (axis.score < minimum) {
    const auto below = messages::held_back_below(name, minimum);
    held_back = below.before + format_number(axis.score) + below.after;
  }
}

}  // namespace

void segment(const Segmentation& s, ScoreResult& out) {
  const double wf = out.fit.measured ? s.fit_weight : 0;
  const double we = out.engagement.measured ? s.engagement_weight : 0;
  out.total = wf + we > 0 ? round1((wf * out.fit.score + we * out.engagement.score) / (wf + we)) : 0;
  grade_of(s, out.fit.score, out.engagement.score, out.grade);
  out.temperature = Temperature::Cold;
  if (out.disqualifier) return;
  if (s.method == Segmentation::Method::Matrix) {
    out.temperature = s.matrix.at(out.grade);
  } else if (out.total >= s.hot) {
    hold_back(out.fit, s.hot_min_fit, "fit", out.held_back);
    hold_back(out.engagement, s.hot_min_engagement, "engagement", out.held_back);
    out.temperature = out.held_back.empty() ? Temperature::Hot : Temperature::Warm;
  } else if (out.total >= s.warm) {
    out.temperature = Temperature::Warm;
  }
}

}  // namespace leadscore::rules
