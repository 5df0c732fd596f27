#pragma once
/// What a list keeps of its leads once they are scored: per lead its figures (8 bytes) and where
/// its row is in the file (RowIndex), every row's key ids while they fit (KeyCache), and the
/// summary of them all. The reader fills one while a file is read; the finished list takes it
/// over, re-scores it and pages through it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "detail/key_cache.hpp"
#include "leadscore/list_query.hpp"
#include "leadscore/row_index.hpp"
#include "leadscore/scorer.hpp"
#include "leadscore/summary.hpp"

namespace leadscore::detail {

/// A lead's figures as a list keeps them: score, fit and engagement in tenths.
struct PackedFigures {
  std::uint16_t score = 0, fit = 0, engagement = 0;
  std::uint8_t temperature = 0;
  std::uint8_t disqualified = 0;
};
PackedFigures pack(const ScoreResult& result);
LeadFigures unpack(const PackedFigures& figures);

struct LeadStore {
  LeadStore(std::shared_ptr<ByteSource> source, std::size_t scan_bytes) : rows(std::move(source), scan_bytes) {}

  std::vector<PackedFigures> figures;
  std::vector<std::uint8_t> before;  // each lead's temperature before the last re-score (none before one)
  RowIndex rows;
  std::unique_ptr<KeyCache> keys;  // null, or given up, when the ids do not fit
  Summary summary;

  bool keys_cached() const noexcept { return keys && keys->valid(); }
  /// Whether the last re-score moved lead `i` to another temperature.
  bool moved(std::size_t i) const noexcept { return i < before.size() && before[i] != figures[i].temperature; }
  /// Scores the rows from `begin` on from their cached key ids (`columns[k]`: the cached column
  /// of the scorer's key column k); counts them in the summary; returns how many changed
  /// temperature.
  std::size_t score_from_keys(const Scorer& scorer, const std::vector<std::size_t>& columns, std::size_t begin);
  /// Bytes held for the rows, figures and key ids.
  std::size_t memory_bytes() const noexcept;
};

}  // namespace leadscore::detail
