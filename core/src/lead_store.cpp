#include "detail/lead_store.hpp"

#include <algorithm>
#include <array>

namespace leadscore::detail {

namespace {

/// A 0-100 score with one decimal, in tenths (x10 is within a hair of a whole number: +0.5 rounds it).
std::uint16_t tenths(double value) { return static_cast<std::uint16_t>(std::clamp(value, 0.0, 100.0) * 10 + 0.5); }

}  // namespace

PackedFigures pack(const ScoreResult& r) {
  return PackedFigures{tenths(r.total), tenths(r.fit.score), tenths(r.engagement.score),
                       static_cast<std::uint8_t>(r.temperature), static_cast<std::uint8_t>(r.disqualifier != nullptr)};
}

LeadFigures unpack(const PackedFigures& p) {
  return LeadFigures{p.score / 10.0f, p.fit / 10.0f, p.engagement / 10.0f, static_cast<Temperature>(p.temperature),
                     p.disqualified != 0};
}

std::size_t LeadStore::score_from_keys(const Scorer& scorer, const std::vector<std::size_t>& columns,
                                       std::size_t begin) {
  std::vector<Scorer::KeyIds> ids;
  for (std::size_t column : columns) ids.push_back(keys->ids(column).from(begin));
  std::vector<ScoreResult> results;
  std::vector<std::uint32_t> result_of_row;
  scorer.score_key_columns(figures.size() - begin, ids, results, result_of_row);
  // Figures row by row; the summary from counts per distinct result and per source and temperature.
  std::vector<PackedFigures> packed;
  for (const ScoreResult& result : results) packed.push_back(pack(result));
  std::vector<std::int64_t> leads(results.size(), 0);
  std::vector<std::array<std::int64_t, 3>> by_source(keys->source_count(), std::array<std::int64_t, 3>{});
  std::size_t changed = 0;
  for (std::size_t i = 0; i < result_of_row.size(); ++i) {
    const std::uint32_t r = result_of_row[i];
    const PackedFigures now = packed[r];
    PackedFigures& lead = figures[begin + i];
    changed += now.temperature != lead.temperature;
    lead = now;
    ++leads[r];
    ++by_source[keys->source_id(begin + i)][now.temperature];
  }
  for (std::size_t r = 0; r < results.size(); ++r) summary.add_scores(results[r], static_cast<std::int64_t>(leads[r]));
  for (std::size_t s = 0; s < by_source.size(); ++s) {
    for (Temperature t : {Temperature::Cold, Temperature::Warm, Temperature::Hot}) {
      const std::int64_t n = by_source[s][static_cast<std::size_t>(t)];
      if (n > 0) summary.add_source(keys->source_text(static_cast<std::uint32_t>(s)), t, n);
    }
  }
  return changed;
}

std::size_t LeadStore::memory_bytes() const noexcept {
  return rows.bytes() + figures.capacity() * sizeof(PackedFigures) + before.capacity() + (keys ? keys->bytes() : 0);
}

}  // namespace leadscore::detail
