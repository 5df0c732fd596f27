#include "leadscore/summary.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

namespace leadscore {

namespace {

/// The entry for `key` in a short list of tallies, added when new: a few dozen entries at most,
/// so a scan beats a tree and allocates nothing per row.
template <class Value>
Value& tally(std::vector<std::pair<std::string, Value>>& list, std::string_view key) {
  for (auto& entry : list) {
    if (entry.first == key) return entry.second;
  }
  list.emplace_back(std::string(key), Value{});
  return list.back().second;
}

template <class Value>
std::map<std::string, Value> sorted(const std::vector<std::pair<std::string, Value>>& list) {
  return std::map<std::string, Value>(list.begin(), list.end());
}

}  // namespace

void Summary::add(const ScoreResult& result, std::string_view lead_source) {
  add_scores(result, 1);
  add_source(lead_source, result.temperature, 1);
}

void Summary::add_scores(const ScoreResult& result, std::int64_t leads) {
  rows_ += leads;
  counts_[static_cast<std::size_t>(result.temperature)] += leads;
  const auto bin = static_cast<std::size_t>(std::clamp(result.total / 10, 0.0, double(kHistogramBins - 1)));
  histogram_[bin][static_cast<std::size_t>(result.temperature)] += leads;
  tally(grid_, result.grade) += leads;
  if (result.disqualifier) tally(disqualified_, result.disqualifier->reason) += leads;
  // Scores are whole tenths: summed as such they are exact, whatever the order.
  const auto tenths = [](double score) { return static_cast<std::int64_t>(std::floor(score * 10 + 0.5)); };
  fit_tenths_ += tenths(result.fit.score) * leads;
  engagement_tenths_ += tenths(result.engagement.score) * leads;
  total_tenths_ += tenths(result.total) * leads;
}

void Summary::add_source(std::string_view lead_source, Temperature temperature, std::int64_t leads) {
  std::string_view source = trim(lead_source);
  if (source.empty()) source = "(none)";
  const bool known =
      std::any_of(by_source_.begin(), by_source_.end(), [&](const auto& e) { return e.first == source; });
  if (!known && by_source_.size() >= max_sources_) source = "(other)";
  tally(by_source_, source)[static_cast<std::size_t>(temperature)] += leads;
}

void Summary::merge(const Summary& other) {
  rows_ += other.rows_;
  for (std::size_t t = 0; t < counts_.size(); ++t) counts_[t] += other.counts_[t];
  for (std::size_t b = 0; b < histogram_.size(); ++b) {
    for (std::size_t t = 0; t < 3; ++t) histogram_[b][t] += other.histogram_[b][t];
  }
  for (const auto& [grade, n] : other.grid_) tally(grid_, grade) += n;
  for (const auto& [reason, n] : other.disqualified_) tally(disqualified_, reason) += n;
  fit_tenths_ += other.fit_tenths_;
  engagement_tenths_ += other.engagement_tenths_;
  total_tenths_ += other.total_tenths_;
  for (const auto& [source, by_temperature] : other.by_source_) {
    for (Temperature t : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
      const std::int64_t n = by_temperature[static_cast<std::size_t>(t)];
      if (n > 0) add_source(source, t, n);
    }
  }
  issue_count_ += other.issue_count_;
  for (const auto& [code, n] : other.issues_by_code_) issues_by_code_[code] += n;
  for (const auto& issue : other.issues_) {
    if (issues_.size() < kMaxListedIssues) issues_.push_back(issue);
  }
  if (other.formula_cells_ > 0)
    add_formula_cells(other.first_formula_line_, other.first_formula_column_, other.formula_cells_);
}

void Summary::add_formula_cells(std::int64_t line, std::size_t column, std::int64_t cells) {
  if (formula_cells_ == 0) {
    first_formula_line_ = line;
    first_formula_column_ = column;
  }
  formula_cells_ += cells;
}

void Summary::clear_scores() {
  rows_ = 0;
  counts_ = {};
  histogram_ = {};
  by_source_.clear();
  grid_.clear();
  disqualified_.clear();
  fit_tenths_ = engagement_tenths_ = total_tenths_ = 0;
}

void Summary::add_issue(const Error& issue) {
  ++issue_count_;
  ++issues_by_code_[error_id(issue.code)];
  if (issues_.size() < kMaxListedIssues) issues_.push_back(issue);
}

nlohmann::ordered_json error_json(const Error& error) {
  nlohmann::ordered_json j{{"code", error_id(error.code)}, {"message", error.message}};
  if (error.line > 0) j["line"] = error.line;
  if (error.column > 0) j["column"] = error.column;
  if (!error.json_path.empty()) j["jsonPath"] = error.json_path;
  return j;
}

nlohmann::ordered_json Summary::to_json() const {
  using Json = nlohmann::ordered_json;
  const auto share = [&](std::int64_t n) { return rows_ == 0 ? 0.0 : round1(1000.0 * n / rows_) / 10; };
  Json temperatures = Json::object();
  for (Temperature t : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
    temperatures[temperature_name(t)] = {{"count", count(t)}, {"share_percent", share(count(t))}};
  }
  Json histogram = Json::array();
  for (std::size_t i = 0; i < kHistogramBins; ++i) {
    const auto& bin = histogram_[i];
    Json entry{{"from", i * 10}, {"to", (i + 1) * 10}, {"count", bin[0] + bin[1] + bin[2]}};
    for (Temperature t : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
      entry[temperature_name(t)] = bin[static_cast<std::size_t>(t)];
    }
    histogram.push_back(std::move(entry));
  }
  // Sources by size, largest first.
  const auto by_name = sorted(by_source_);
  std::vector<std::pair<std::string, std::array<std::int64_t, 3>>> sources(by_name.begin(), by_name.end());
  std::stable_sort(sources.begin(), sources.end(), [](const auto& a, const auto& b) {
    return a.second[0] + a.second[1] + a.second[2] > b.second[0] + b.second[1] + b.second[2];
  });
  Json by_source = Json::array();
  for (const auto& [name, c] : sources) {
    by_source.push_back(
        {{"source", name}, {"cold", c[0]}, {"warm", c[1]}, {"hot", c[2]}, {"total", c[0] + c[1] + c[2]}});
  }
  Json issues = Json::array();
  for (const auto& issue : issues_) issues.push_back(error_json(issue));
  const auto average = [&](std::int64_t tenths) {
    return rows_ == 0 ? 0.0 : round1(static_cast<double>(tenths) / 10 / rows_);
  };
  Json formula_cells{{"count", formula_cells_}};
  if (formula_cells_ > 0) {
    formula_cells["line"] = first_formula_line_;
    formula_cells["column"] = first_formula_column_;
  }
  return Json{
      {"rows", rows_},
      {"temperatures", temperatures},
      {"histogram", histogram},
      {"by_source", by_source},
      {"grid", sorted(grid_)},
      {"averages",
       {{"score", average(total_tenths_)}, {"fit", average(fit_tenths_)}, {"engagement", average(engagement_tenths_)}}},
      {"disqualified", sorted(disqualified_)},
      {"issues", {{"count", issue_count_}, {"by_code", issues_by_code_}, {"first", issues}}},
      {"formula_cells", formula_cells}};
}

}  // namespace leadscore
