#include "leadscore/backtest.hpp"

#include <algorithm>
#include <array>
#include <numeric>

#include "leadscore/values.hpp"

#include <nlohmann/json.hpp>

namespace leadscore {

namespace {

using Json = nlohmann::ordered_json;
using Kind = OutcomeColumn::Kind;

/// The kind of outcome a header names, or nullopt when it names none.
std::optional<Kind> outcome_kind_of(std::string_view header) {
  const std::string key = normalize_key(header);
  static const char* const kFlags[] = {"converted", "isconverted", "hasconverted", "y",         "won",
                                       "iswon",     "closedwon",   "outcome",      "conversion"};
  for (const char* flag : kFlags) {
    if (key == flag) return Kind::Flag;
  }
  if (key == "dealstage" || key == "opportunitystage" || key == "stage") return Kind::DealStage;
  if (key == "leadstatus" || key == "status") return Kind::LeadStatus;
  if (key == "lifecyclestage") return Kind::LifecycleStage;
  return std::nullopt;
}

std::optional<double> share(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

Json json_of(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json counts_json(std::int64_t leads, std::int64_t converted) {
  return Json{{"leads", leads}, {"converted", converted}, {"rate", json_of(share(converted, leads))}};
}

/// Leads by score decile, best first (ties keep their order): [{decile, leads, converted, rate,
/// min_score, max_score}]; fewer than ten when there are fewer than ten leads.
Json conversion_by_decile(const std::vector<double>& scores, const std::vector<bool>& converted) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  const auto n = static_cast<std::int64_t>(scores.size());
  Json deciles = Json::array();
  for (std::int64_t d = 0; d < 10; ++d) {
    const auto begin = static_cast<std::size_t>(d * n / 10), end = static_cast<std::size_t>((d + 1) * n / 10);
    if (begin == end) continue;
    std::int64_t in = 0;
    for (std::size_t i = begin; i < end; ++i) in += converted[order[i]];
    Json decile = counts_json(static_cast<std::int64_t>(end - begin), in);
    decile["decile"] = d + 1;
    decile["min_score"] = scores[order[end - 1]];
    decile["max_score"] = scores[order[begin]];
    deciles.push_back(std::move(decile));
  }
  return deciles;
}

}  // namespace

const char* outcome_kind_name(OutcomeColumn::Kind kind) noexcept {
  switch (kind) {
    case Kind::Flag: return "flag";
    case Kind::LifecycleStage: return "lifecycle_stage";
    case Kind::LeadStatus: return "lead_status";
    case Kind::DealStage: return "deal_stage";
  }
  return "flag";
}

std::optional<OutcomeColumn> find_outcome_column(const std::vector<std::string>& headers, std::string_view chosen) {
  if (!chosen.empty()) {
    for (std::size_t i = 0; i < headers.size(); ++i) {
      if (headers[i] == chosen || normalize_key(headers[i]) == normalize_key(chosen)) {
        return OutcomeColumn{i, headers[i], outcome_kind_of(headers[i]).value_or(Kind::Flag)};
      }
    }
    return std::nullopt;
  }
  // A flag says it plainly; a stage or status column is read only when there is no flag.
  for (Kind wanted : {Kind::Flag, Kind::DealStage, Kind::LeadStatus, Kind::LifecycleStage}) {
    for (std::size_t i = 0; i < headers.size(); ++i) {
      if (outcome_kind_of(headers[i]) == wanted) return OutcomeColumn{i, headers[i], wanted};
    }
  }
  return std::nullopt;
}

std::optional<bool> read_outcome(const OutcomeColumn& outcome, std::string_view cell) {
  const std::string text = to_lower_ascii(trim(cell));
  if (text.empty()) return std::nullopt;
  const bool won = text == "closed won" || text == "closedwon" || text == "won";
  const bool lost = text == "closed lost" || text == "closedlost" || text == "lost";
  switch (outcome.kind) {
    case Kind::Flag:
      if (won || text == "converted" || text == "customer" || text == "closed - converted") return true;
      if (lost || text == "not converted" || text == "closed - not converted") return false;
      return parse_bool(text);
    case Kind::LifecycleStage: return text == "customer" || text == "evangelist";
    case Kind::LeadStatus:
      if (text.find("not converted") != std::string::npos || lost || text == "unqualified" || text == "bad timing")
        return false;
      if (text.find("converted") != std::string::npos || won) return true;
      return std::nullopt;  // still open: no outcome yet
    case Kind::DealStage:
      if (won) return true;
      if (lost) return false;
      return std::nullopt;
  }
  return std::nullopt;
}

Backtest::RuleFigures& Backtest::figures_of(const Rule* rule, const char* axis) {
  for (auto& f : rules_) {
    if (f.rule == rule) return f;
  }
  rules_.push_back(RuleFigures{rule, rule->id, rule->label, axis});
  return rules_.back();
}

void Backtest::add(const ScoreResult& result, bool converted) {
  leads_.push_back(Lead{result.total, result.temperature, converted});
  // Each rule once per lead, however many of its bands or group members fired.
  std::vector<const Rule*> seen;
  auto count = [&](const Rule* rule, const char* axis) {
    if (!rule || std::find(seen.begin(), seen.end(), rule) != seen.end()) return;
    seen.push_back(rule);
    RuleFigures& f = figures_of(rule, axis);
    ++f.fired;
    f.converted += converted;
  };
  for (const RuleHit& hit : result.hits) count(hit.rule, hit.axis == Axis::Fit ? "fit" : "engagement");
  count(result.disqualifier, "disqualifier");
}

std::optional<double> area_under_roc(const std::vector<double>& scores, const std::vector<bool>& positives) {
  // Mann-Whitney: ranks of the positives among all scores, tied scores sharing their mean rank.
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double positive_ranks = 0;
  std::int64_t count = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // ranks i+1..j share their mean
    for (std::size_t k = i; k < j; ++k) {
      if (positives[order[k]]) {
        positive_ranks += rank;
        ++count;
      }
    }
    i = j;
  }
  const auto negatives = static_cast<std::int64_t>(scores.size()) - count;
  if (count == 0 || negatives == 0) return std::nullopt;
  const double p = static_cast<double>(count);
  return (positive_ranks - p * (p + 1) / 2) / (p * static_cast<double>(negatives));
}

std::optional<double> Backtest::auc() const {
  std::vector<double> scores;
  std::vector<bool> converted;
  for (const Lead& lead : leads_) {
    scores.push_back(lead.score);
    converted.push_back(lead.converted);
  }
  return area_under_roc(scores, converted);
}

Json Backtest::report() const {
  const auto n = static_cast<std::int64_t>(leads_.size());
  std::int64_t converted = 0;
  std::array<std::int64_t, 3> by_leads{}, by_converted{};
  for (const Lead& lead : leads_) {
    converted += lead.converted;
    ++by_leads[static_cast<std::size_t>(lead.temperature)];
    by_converted[static_cast<std::size_t>(lead.temperature)] += lead.converted;
  }
  Json by_temperature = Json::object();
  for (Temperature t : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
    by_temperature[temperature_name(t)] =
        counts_json(by_leads[static_cast<std::size_t>(t)], by_converted[static_cast<std::size_t>(t)]);
  }
  const auto hot = static_cast<std::size_t>(Temperature::Hot), cold = static_cast<std::size_t>(Temperature::Cold);
  const auto hot_rate = share(by_converted[hot], by_leads[hot]), cold_rate = share(by_converted[cold], by_leads[cold]);
  Json lift = nullptr;
  if (hot_rate && cold_rate && *cold_rate > 0) lift = *hot_rate / *cold_rate;

  std::vector<double> scores;
  std::vector<bool> outcomes;
  for (const Lead& lead : leads_) {
    scores.push_back(lead.score);
    outcomes.push_back(lead.converted);
  }
  const Json deciles = conversion_by_decile(scores, outcomes);

  Json rules = Json::array();
  for (const RuleFigures& f : rules_) {
    rules.push_back(Json{{"id", f.id},
                         {"label", f.label},
                         {"axis", f.axis},
                         {"fired", f.fired},
                         {"converted", f.converted},
                         {"rate", json_of(share(f.converted, f.fired))}});
  }
  return Json{{"leads", n},
              {"unknown", unknown_},
              {"converted", converted},
              {"rate", json_of(share(converted, n))},
              {"by_temperature", by_temperature},
              {"lift_hot_over_cold", lift},
              {"auc", json_of(auc())},
              {"hot", {{"precision", json_of(hot_rate)}, {"recall", json_of(share(by_converted[hot], converted))}}},
              {"deciles", deciles},
              {"rules", rules}};
}

void BacktestSink::on_header(const CsvRecord& header, const Scorer& /*scorer*/) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < header.size(); ++i) names.emplace_back(header[i]);
  outcome_ = find_outcome_column(names, chosen_);
}

void BacktestSink::on_row(const CsvRecord& row, const ScoreResult& result, Scorer& /*scorer*/) {
  leads_.push_back(Lead{row.line(), result.total, result.temperature});
  const std::optional<bool> converted =
      outcome_ && outcome_->column < row.size() ? read_outcome(*outcome_, row[outcome_->column]) : std::nullopt;
  if (converted) {
    backtest_.add(result, *converted);
  } else {
    backtest_.add_unknown();
  }
}

Json compare_temperatures(const std::vector<BacktestSink::Lead>& before, const std::vector<BacktestSink::Lead>& after) {
  constexpr std::size_t kListed = 20;
  std::int64_t changed = 0;
  Json transitions = Json::object();
  Json first = Json::array();
  for (std::size_t i = 0; i < std::min(before.size(), after.size()); ++i) {
    if (before[i].temperature == after[i].temperature) continue;
    ++changed;
    const std::string key =
        std::string(temperature_name(before[i].temperature)) + "->" + temperature_name(after[i].temperature);
    transitions[key] = transitions.value(key, std::int64_t{0}) + 1;
    if (first.size() < kListed) {
      first.push_back(Json{{"line", before[i].line},
                           {"from", temperature_name(before[i].temperature)},
                           {"to", temperature_name(after[i].temperature)},
                           {"score_before", before[i].score},
                           {"score_after", after[i].score}});
    }
  }
  return Json{{"changed", changed}, {"transitions", transitions}, {"first", first}};
}

}  // namespace leadscore
