#pragma once
/// A scored list once its file is read (ListReader::finish), for interactive use (the page, the
/// widget): page through it sorted, filtered and searched, explain any lead, re-score it with a
/// changed model or mapping, and export the scored CSV, whole or in parts. Per lead it keeps only
/// its figures and where its row is: rows are read again from the file when there is one, else
/// from the text the reader kept.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/csv_writer.hpp"
#include "leadscore/export_parts.hpp"
#include "leadscore/list_query.hpp"
#include "leadscore/list_tuning.hpp"
#include "leadscore/session.hpp"

namespace leadscore {

class ListReader;
namespace detail {
struct LeadStore;
class ListQueries;
}  // namespace detail

class ScoredList {
 public:
  ~ScoredList();
  ScoredList(const ScoredList&) = delete;
  ScoredList& operator=(const ScoredList&) = delete;

  /// Data rows.
  std::size_t size() const noexcept;
  /// The input's size.
  std::int64_t bytes_read() const noexcept { return bytes_; }

  /// Scores every lead again with `model`; returns how many leads changed temperature. When the
  /// model reads the same columns the same way, the rows' cached keys are scored (no row is read);
  /// otherwise the rows are read again.
  Result<std::size_t> rescore(ScoringModel model);
  /// Whether the rows' keys are cached (they are unless the list is too large or too varied).
  bool keys_cached() const noexcept;
  /// Changes the user's mapping corrections (field -> header, "" removes) and scores again;
  /// returns how many leads changed temperature. Unknown headers are an InvalidArgument error.
  Result<std::size_t> remap(std::map<std::string, std::string> overrides);
  /// How many leads the last re-score moved, [from][to] by Temperature (0 before any re-score).
  using Moves = std::array<std::array<std::size_t, 3>, 3>;
  Moves moves() const;

  /// A page of the list.
  Result<ListPage> query(const ListQuery& query);
  /// The most bytes a sort by a column read from the file holds at once for the column's distinct
  /// cells (0, the default: half of what the list leaves of its memory target, at least 16 MiB).
  /// Past it the column is ranked one range of values at a time, each range one more read of the
  /// file: slower, within the memory.
  void set_column_sort_budget(std::size_t bytes) noexcept { column_sort_budget_ = bytes; }
  LeadFigures figures(std::size_t row) const;
  /// The row's original cells.
  Status cells(std::size_t row, CsvRecord& out) const;
  /// The full explanation of one lead, with its cells.
  Result<nlohmann::ordered_json> explain(std::size_t row) const;
  /// The scored CSV, byte for byte what `leadscore score` writes, handed over in parts;
  /// `progress(rows)`, when given, says now and then how many rows are written. Rows [first, end)
  /// only, when given: the header (and the byte-order mark) only when `first` is 0. Scores with
  /// the list's scorer, whose caches the reading filled.
  Status export_csv(const ScoredCsvWriter::Output& output, const CsvWriterOptions& options,
                    const std::function<void(std::size_t rows)>& progress = {}, std::size_t first = 0,
                    std::size_t end = static_cast<std::size_t>(-1));
  /// How other workers can each write a part of the scored CSV at once: a part from each of
  /// `cuts` (file offsets, ascending) on, starting at the first row there (each part, and the
  /// list's own, at least one row); none when the list is not a UTF-8 file read back from its
  /// source, or no row is left for a cut.
  std::optional<ExportPlan> export_plan(const std::vector<std::uint64_t>& cuts) const;

  const ScoringModel& model() const noexcept { return *model_; }
  const ColumnMapping& mapping() const noexcept { return mapping_; }
  /// Counts, histogram, sources, grid, issues, file format, mapping: see list_summary_json.
  nlohmann::ordered_json summary_json() const;
  /// Bytes held for the rows, figures and cached keys.
  std::size_t memory_bytes() const noexcept;
  /// What the list aims to hold at most (ListTuning's target for its leads).
  std::size_t memory_target_bytes() const noexcept;

 private:
  friend class ListReader;
  ScoredList(std::unique_ptr<ScoringModel> model, SessionOptions options, ListTuning tuning, CsvRecord header,
             std::vector<CsvRecord> sample, CsvFormat format, std::int64_t bytes, ColumnMapping mapping,
             std::int32_t as_of, std::unique_ptr<detail::LeadStore> store);
  /// Scores every row with the scorer in force: from the cached keys when they serve it, else
  /// by reading the rows again (and caching their keys when they fit).
  Result<std::size_t> score_all();

  std::unique_ptr<ScoringModel> model_;  // stable address: the scorer points into it
  SessionOptions options_;
  ListTuning tuning_;
  CsvRecord header_;
  std::vector<CsvRecord> sample_;  // the first rows, which a new mapping is confirmed on
  CsvFormat format_;
  std::int64_t bytes_ = 0;
  ColumnMapping mapping_;
  std::int32_t as_of_ = 0;
  std::unique_ptr<Scorer> scorer_;  // the model in force, with the keys of the cache primed
  std::unique_ptr<detail::LeadStore> store_;
  std::unique_ptr<detail::ListQueries> queries_;
  std::size_t column_sort_budget_ = 0;
};

}  // namespace leadscore
