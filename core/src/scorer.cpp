#include "leadscore/scorer.hpp"

#include <algorithm>
#include <cmath>

#include "detail/column_keys.hpp"
#include "detail/setup_code.hpp"
#include "rules.hpp"

namespace leadscore {

void ScoreResult::clear() {
  fit = AxisScore{};
  engagement = AxisScore{};
  total = 0;
  temperature = Temperature::Cold;
  grade.clear();
  disqualifier = nullptr;
  held_back.clear();
  hits.clear();
}

Scorer::~Scorer() = default;

LEADSCORE_SETUP_CODE Scorer::Scorer(const ScoringModel& model, const ColumnMapping& mapping, std::int32_t as_of)
    : model_(model), as_of_(as_of) {
  fit_rules_ = rules::bind(model.fit.rules, Axis::Fit, &model.fit, mapping);
  engagement_rules_ = rules::bind(model.engagement.rules, Axis::Engagement, &model.engagement, mapping);
  disqualifiers_ = rules::bind(model.disqualifiers, Axis::Fit, nullptr, mapping);
  cache(fit_rules_, fit_cached_);
  cache(engagement_rules_, engagement_cached_);
  cache(disqualifiers_, disqualifiers_cached_);
  for (auto& column : columns_) column->decide();
  fit_template_ = rules::axis_scale(model.fit, fit_rules_);
  engagement_template_ = rules::axis_scale(model.engagement, engagement_rules_);
  for (const auto* list : {&fit_rules_, &engagement_rules_, &disqualifiers_}) {
    for (const auto& bound : *list) {
      if (bound.column < 0 &&
          std::find(absent_fields_.begin(), absent_fields_.end(), bound.rule->field) == absent_fields_.end()) {
        absent_fields_.push_back(bound.rule->field);
      }
    }
  }
  row_ids_.resize(columns_.size());
  row_outcomes_.resize(columns_.size());
  row_factors_.resize(columns_.size());
  group_best_.resize(groups_);
}

LEADSCORE_SETUP_CODE void Scorer::cache(std::vector<rules::BoundRule>& rules, std::vector<CachedRule>& cached) {
  const auto column_of = [&](std::int64_t column) {
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (columns_[k]->column() == column) return k;
    }
    columns_.push_back(std::make_unique<detail::ColumnKeys>(column, model_.missing, as_of_));
    return columns_.size() - 1;
  };
  cached.resize(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    rules::BoundRule& bound = rules[i];
    groups_ = std::max(groups_, static_cast<std::size_t>(bound.group + 1));
    if (bound.column < 0) continue;
    CachedRule& c = cached[i];
    c.column = column_of(bound.column);
    bound.slot = columns_[c.column]->add_rule(bound);
    if (!bound.decay || bound.decay_column < 0) continue;
    c.decay_column = column_of(bound.decay_column);
    c.decay_slot = columns_[c.decay_column]->add_decay(bound.decay);
  }
}

Scorer::ColumnKey Scorer::column_key(std::size_t k) const noexcept { return columns_[k]->key(); }

std::size_t Scorer::key_count(std::size_t k) const noexcept { return columns_[k]->size(); }

std::string_view Scorer::key_text(std::size_t k, std::uint32_t id) const noexcept { return columns_[k]->text(id); }

std::uint32_t Scorer::add_key(std::size_t k, std::string_view key) { return columns_[k]->add(key); }

inline const rules::Outcome& Scorer::row_outcome(const rules::BoundRule& rule, const CachedRule& c) const noexcept {
  return row_outcomes_[c.column][rule.slot];
}

inline double Scorer::row_factor(const rules::BoundRule& rule, const CachedRule& c) const noexcept {
  return rule.decay_column >= 0 ? row_factors_[c.decay_column][c.decay_slot] : rule.decay->missing_date_factor;
}

void Scorer::score(const CsvRecord& row, ScoreResult& out, Detail detail) {
  for (std::size_t k = 0; k < columns_.size(); ++k) {
    const auto column = static_cast<std::size_t>(columns_[k]->column());
    const auto read = columns_[k]->read(column < row.size() ? trim(row[column]) : std::string_view());
    row_ids_[k] = read.id;
    row_outcomes_[k] = read.outcomes;
    row_factors_[k] = read.factors;
  }
  if (detail == Detail::Keys) return;
  out.clear();
  out.fit = fit_template_;
  out.engagement = engagement_template_;
  score_axis(fit_rules_, fit_cached_, out.fit, out.hits, detail);
  score_axis(engagement_rules_, engagement_cached_, out.engagement, out.hits, detail);
  for (std::size_t i = 0; i < disqualifiers_.size(); ++i) {
    if (disqualifiers_[i].column >= 0 &&
        rules::disqualifies(row_outcome(disqualifiers_[i], disqualifiers_cached_[i]))) {
      out.disqualifier = disqualifiers_[i].rule;
      break;
    }
  }
  rules::segment(model_.segments, out);
  if (detail != Detail::Figures) sort_hits(out.hits);
}

void Scorer::score_axis(const std::vector<rules::BoundRule>& rules, const std::vector<CachedRule>& cached,
                        AxisScore& axis, std::vector<RuleHit>& hits, Detail detail) {
  // Per rule: 0 no hit, 1 counted, 2 beaten by a better hit of its group.
  constexpr std::size_t kNoHit = static_cast<std::size_t>(-1);
  rule_state_.assign(rules.size(), 0);
  rule_tenths_.resize(rules.size());
  rule_factors_.resize(rules.size());
  group_best_.assign(group_best_.size(), kNoHit);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const rules::BoundRule& rule = rules[i];
    if (rule.column < 0) continue;
    const rules::Outcome& o = row_outcome(rule, cached[i]);
    if (!o.matched) continue;
    rule_factors_[i] = rules::hit_factor(rule, o, rule.decay ? row_factor(rule, cached[i]) : 1);
    rule_tenths_[i] = rules::hit_tenths(o, rule_factors_[i]);
    rule_state_[i] = 1;
    if (rule.group < 0) continue;
    std::size_t& best = group_best_[static_cast<std::size_t>(rule.group)];
    if (best == kNoHit) {
      best = i;
    } else if (rules::beats(rule_tenths_[i], rule_tenths_[best])) {
      rule_state_[best] = 2;
      best = i;
    } else {
      rule_state_[i] = 2;
    }
  }
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rule_state_[i] == 1) sum += rule_tenths_[i];
    if (detail == Detail::Full ? rule_state_[i] != 0
                               : detail == Detail::Reasons && rule_state_[i] == 1 && rule_tenths_[i] != 0) {
      add_hit(rules[i], row_outcome(rules[i], cached[i]), rule_factors_[i], rule_tenths_[i], rule_state_[i] == 1, hits);
    }
  }
  rules::set_axis(axis, sum);
}

void Scorer::add_hit(const rules::BoundRule& rule, const rules::Outcome& o, double factor, std::int64_t tenths,
                     bool counted, std::vector<RuleHit>& hits) const {
  RuleHit& hit = hits.emplace_back();  // filled in place: a hit is 64 bytes
  hit.rule = rule.rule;
  hit.axis = rule.axis;
  hit.label = *o.label;
  hit.base = o.base;
  hit.points = static_cast<double>(tenths) / 10;
  hit.decay_factor = factor;
  hit.capped = o.capped;
  hit.missing = o.missing;
  hit.counted = counted;
}

void Scorer::sort_hits(std::vector<RuleHit>& hits) {
  // Counted hits by impact (model order breaks ties), superseded ones last. The dozen or so hits of
  // a lead are sorted by place (a stable insertion sort), then moved once.
  const auto before = [&](std::uint32_t a, std::uint32_t b) {
    const RuleHit& x = hits[a];
    const RuleHit& y = hits[b];
    return x.counted != y.counted ? x.counted : std::fabs(x.points) > std::fabs(y.points);
  };
  hit_order_.resize(hits.size());
  for (std::uint32_t i = 0; i < hit_order_.size(); ++i) {
    std::size_t j = i;
    for (; j > 0 && before(i, hit_order_[j - 1]); --j) hit_order_[j] = hit_order_[j - 1];
    hit_order_[j] = i;
  }
  hits_sorted_.clear();
  for (const std::uint32_t i : hit_order_) hits_sorted_.push_back(hits[i]);
  hits.swap(hits_sorted_);
}

}  // namespace leadscore
