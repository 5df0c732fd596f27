// A scored lead in words: its reasons and next action for the scored CSV, its whole explanation
// as JSON, and the single actions that would make it hot.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "leadscore/scorer.hpp"
#include "messages.hpp"
#include "rules.hpp"

namespace leadscore {

void Scorer::append_reasons(const ScoreResult& result, std::string& out) const {
  // Written in place into room sized for the longest text the hits can make: no append per piece.
  std::size_t room = 2 * messages::kHeldBack.size() + result.held_back.size() +
                     (result.disqualifier ? result.disqualifier->reason.size() : 0);
  for (const auto& hit : result.hits) room += hit.label.size() + 72;  // "; ", " (", points, notes, ")"
  const std::size_t start = out.size();
  out.resize(start + room);
  char* const first = &out[start];
  char* p = first;
  auto put = [&](std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  };
  auto separate = [&] {
    if (p > first) put(messages::kSeparator);
  };
  if (result.disqualifier) {
    put(messages::kDisqualified);
    put(result.disqualifier->reason);
  }
  if (!result.held_back.empty()) {
    separate();
    put(messages::kHeldBack);
    put(result.held_back);
  }
  for (const auto& hit : result.hits) {
    if (!hit.counted || hit.points == 0) continue;
    separate();
    put(hit.label);
    put(messages::kPointsOpen);
    p = write_points(p, hit.points);
    if (hit.missing) put(messages::kNoValue);
    if (hit.capped) put(messages::kCapped);
    if (hit.decay_factor < 1) {
      const auto hundredths = static_cast<int>(hit.decay_factor * 100 + 0.5);  // positive: as llround, no libm call
      put(messages::kDecayed);
      *p++ = static_cast<char>('0' + hundredths / 100);  // a factor below 1 rounds to at most 1.00
      *p++ = '.';
      *p++ = static_cast<char>('0' + hundredths / 10 % 10);
      *p++ = static_cast<char>('0' + hundredths % 10);
    }
    put(messages::kPointsClose);
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
}

std::string Scorer::reasons(const ScoreResult& result) const {
  std::string out;
  append_reasons(result, out);
  return out;
}

void Scorer::append_next_action(const ScoreResult& result, std::string& out) const {
  if (result.disqualifier) {
    out += messages::kDoNotPursue;
    out += result.disqualifier->reason;
    return;
  }
  const Play& play = model_.play(result.temperature);
  out += play.next_action;
  if (play.sla_hours) {
    char hours[24];
    out += messages::kWithinOpen;
    out.append(hours, write_decimal(hours, *play.sla_hours, false));
    out += messages::kWithinClose;
  }
}

std::string Scorer::next_action(const ScoreResult& result) const {
  std::string out;
  append_next_action(result, out);
  return out;
}

nlohmann::ordered_json Scorer::explain(const ScoreResult& result) const {
  using Json = nlohmann::ordered_json;
  auto axis_json = [](const AxisScore& a) {
    return Json{{"score", a.score},
                {"points", a.points},
                {"max_points", round1(a.max_points)},
                {"capped", a.capped},
                {"measured", a.measured}};
  };
  Json hits = Json::array();
  for (const auto& hit : result.hits) {
    Json h{{"rule", hit.rule->id},     {"label", hit.label},       {"axis", axis_name(hit.axis)},
           {"field", hit.rule->field}, {"base", round1(hit.base)}, {"points", hit.points},
           {"counted", hit.counted},   {"capped", hit.capped},     {"missing_value", hit.missing}};
    if (hit.rule->cap) h["cap"] = *hit.rule->cap;
    if (hit.decay_factor < 1) h["decay_factor"] = std::round(hit.decay_factor * 1000) / 1000;
    if (!hit.rule->group.empty()) h["group"] = hit.rule->group;
    hits.push_back(std::move(h));
  }
  const Play& play = model_.play(result.temperature);
  Json out{{"score", result.total},
           {"fit", axis_json(result.fit)},
           {"engagement", axis_json(result.engagement)},
           {"temperature", temperature_name(result.temperature)},
           {"grade", result.grade},
           {"stage", play.stage},
           {"next_action", next_action(result)},
           {"reasons", reasons(result)},
           {"hits", std::move(hits)}};
  if (result.disqualifier)
    out["disqualified"] = {{"rule", result.disqualifier->id}, {"reason", result.disqualifier->reason}};
  if (!result.held_back.empty()) out["held_back"] = result.held_back;
  return out;
}

std::vector<PathToHot> Scorer::paths_to_hot(const CsvRecord& row, const ScoreResult& result, std::size_t limit) {
  std::vector<PathToHot> paths;
  if (result.temperature == Temperature::Hot || result.disqualifier) return paths;
  CsvRecord changed;
  ScoreResult trial;
  // Scores the lead with `column` set to `value`; keeps the change when it makes the lead hot.
  auto attempt = [&](std::int64_t column, const std::string& field, std::string value, std::string change) {
    for (const PathToHot& known : paths) {
      if (known.field == field && known.value == value) return true;  // the same change, found by another rule
    }
    changed.clear();
    changed.set_line(row.line());
    const std::size_t width = std::max(row.size(), static_cast<std::size_t>(column) + 1);
    for (std::size_t i = 0; i < width; ++i) {
      changed.push_back(i == static_cast<std::size_t>(column) ? std::string_view(value)
                        : i < row.size()                      ? row[i]
                                                              : std::string_view());
    }
    score(changed, trial);
    if (trial.temperature != Temperature::Hot) return false;
    paths.push_back(PathToHot{std::move(change), field, std::move(value), trial.total});
    return true;
  };
  for (const auto& c : engagement_rules_) {
    const Rule& rule = *c.rule;
    if (c.column < 0) continue;
    const std::string_view cell = static_cast<std::size_t>(c.column) < row.size()
                                      ? trim(row[static_cast<std::size_t>(c.column)])
                                      : std::string_view();
    const bool missing = model_.missing.is_missing(cell);
    switch (rule.matcher) {
      case Matcher::Is:
        if (rule.is && rule.points > 0 && (missing || parse_bool(cell) != std::optional<bool>(true))) {
          attempt(c.column, rule.field, "yes", std::string(rule.label));
        }
        break;
      case Matcher::PerUnit: {
        if (rule.per_unit <= 0) break;
        const double now = missing ? 0 : parse_quantity(cell).value_or(Quantity{0, 0}).value();
        const double room = rule.cap ? *rule.cap / rule.per_unit - now : 10;
        for (int more = 1; more <= 10 && more <= room + 0.999; ++more) {
          if (attempt(c.column, rule.field, format_number(now + more), "+" + std::to_string(more) + " " + rule.label))
            break;
        }
        break;
      }
      case Matcher::Equals:
      case Matcher::ContainsAny:
        if (rule.points > 0 && !rule.texts.empty()) attempt(c.column, rule.field, rule.texts.front(), rule.label);
        break;
      case Matcher::WithinDays:
        if (rule.points > 0) attempt(c.column, rule.field, format_date(as_of_), rule.label);
        break;
      default: break;
    }
  }
  // Fresh activity removes the decay of everything the lead has done.
  for (const auto& c : engagement_rules_) {
    if (c.decay && c.decay_column >= 0) {
      attempt(c.decay_column, c.decay->date_field, format_date(as_of_), std::string(messages::kActivityToday));
      break;
    }
  }
  std::stable_sort(paths.begin(), paths.end(),
                   [](const PathToHot& a, const PathToHot& b) { return a.score < b.score; });
  if (paths.size() > limit) paths.resize(limit);
  return paths;
}

nlohmann::ordered_json explain_lead(Scorer& scorer, const ScoreResult& result, const CsvRecord& header,
                                    const CsvRecord& row) {
  nlohmann::ordered_json j = scorer.explain(result);
  if (result.temperature != Temperature::Hot && !result.disqualifier) {
    nlohmann::ordered_json actions = nlohmann::ordered_json::array();
    for (const PathToHot& path : scorer.paths_to_hot(row, result)) {
      actions.push_back({{"change", path.change}, {"field", path.field}, {"value", path.value}, {"score", path.score}});
    }
    nlohmann::ordered_json to_hot{{"actions", actions}};
    if (actions.empty()) {
      to_hot["blocked"] = !result.held_back.empty() ? result.held_back : std::string(messages::kNoSingleAction);
    }
    j["to_hot"] = std::move(to_hot);
  }
  j["line"] = row.line();
  nlohmann::ordered_json cells = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < row.size(); ++i) {
    cells[i < header.size() && !header[i].empty() ? std::string(header[i]) : "column_" + std::to_string(i + 1)] =
        row[i];
  }
  j["cells"] = std::move(cells);
  return j;
}

nlohmann::ordered_json explain_single_lead(const ScoringModel& model,
                                           const std::vector<std::pair<std::string, std::string>>& fields,
                                           std::int32_t as_of) {
  CsvRecord header, row;
  // A canonical field name maps to itself; any other name goes through the synonyms.
  ColumnOverrides overrides = model.columns;
  for (const auto& [name, value] : fields) {
    header.push_back(name);
    row.push_back(value);
    if (find_field(name)) overrides[name].insert(overrides[name].begin(), name);
  }
  row.set_line(1);
  std::vector<Error> ignored;
  const ColumnMapping mapping = map_columns(unique_header_names(header, ignored), {row}, overrides, model.missing);
  Scorer scorer(model, mapping, as_of);
  ScoreResult result;
  scorer.score(row, result);
  nlohmann::ordered_json j = explain_lead(scorer, result, header, row);
  j.erase("line");
  return j;
}

}  // namespace leadscore
