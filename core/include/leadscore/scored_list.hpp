#pragma once
/// A whole scored list held in memory, for interactive use (the page, the widget): read it once,
/// then page through it sorted and filtered, explain any lead, re-score it with a changed model or
/// mapping without reading the file again, and export the scored CSV in parts.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/csv_writer.hpp"
#include "leadscore/row_store.hpp"
#include "leadscore/session.hpp"

namespace leadscore {

/// What the list view needs of each lead without scoring it again.
struct LeadFigures {
  float score = 0;
  float fit = 0;
  float engagement = 0;
  Temperature temperature = Temperature::Cold;
  bool disqualified = false;
};

/// Which leads, in what order: a page of a sorted, filtered list.
struct ListQuery {
  enum class Sort { Row, Score, Fit, Engagement, Temperature, Column };
  Sort sort = Sort::Row;
  std::size_t column = 0;  ///< for Sort::Column: numbers sort as numbers, other cells as text
  bool descending = false;
  unsigned temperatures = 0b111;  ///< bit (1 << Temperature): which temperatures to keep
  std::string search;             ///< case-insensitive text that some cell must contain
  std::size_t offset = 0;
  std::size_t limit = 100;
};

struct ListPage {
  std::size_t matches = 0;        ///< leads that pass the filter
  std::vector<std::size_t> rows;  ///< row indexes (0 = first data row) of this page
};

class ScoredList {
 public:
  explicit ScoredList(ScoringModel model, SessionOptions options = {});
  ~ScoredList();
  ScoredList(const ScoredList&) = delete;
  ScoredList& operator=(const ScoredList&) = delete;

  /// Reads the next chunk; a fatal error (not a CSV, empty) ends reading.
  Status feed(std::string_view bytes);
  Status finish();
  bool finished() const noexcept { return finished_; }
  /// Data rows read so far.
  std::size_t size() const noexcept { return figures_.size(); }
  std::int64_t bytes_read() const noexcept;

  /// Scores every lead again with `model`; returns how many leads changed temperature.
  std::size_t rescore(ScoringModel model);
  /// Changes the user's mapping corrections (field -> header, "" removes) and scores again;
  /// returns how many leads changed temperature. Unknown headers are an InvalidArgument error.
  Result<std::size_t> remap(std::map<std::string, std::string> overrides);

  ListPage query(const ListQuery& query) const;
  const LeadFigures& figures(std::size_t row) const { return figures_.at(row); }
  /// The row's original cells.
  void cells(std::size_t row, CsvRecord& out) const { rows_.get(row, out); }
  /// The full explanation of one lead, with its cells.
  nlohmann::ordered_json explain(std::size_t row) const;
  /// The scored CSV, byte for byte what `leadscore score` writes, handed over in parts.
  void export_csv(const ScoredCsvWriter::Output& output, const CsvWriterOptions& options) const;

  const ScoringModel& model() const noexcept { return *model_; }
  const ColumnMapping& mapping() const noexcept { return mapping_; }
  /// Counts, histogram, sources, grid, issues, file format, mapping: see list_summary_json.
  nlohmann::ordered_json summary_json() const;
  /// Bytes held for the rows and figures.
  std::size_t memory_bytes() const noexcept;

 private:
  class Collector;
  std::size_t score_all();

  std::unique_ptr<ScoringModel> model_;  // stable address: the scorer points into it
  SessionOptions options_;
  std::unique_ptr<ScoringSession> session_;  // while reading
  std::unique_ptr<Collector> collector_;
  bool finished_ = false;
  CsvRecord header_;
  CsvFormat format_;
  std::int64_t bytes_ = 0;
  ColumnMapping mapping_;
  std::unique_ptr<Scorer> scorer_;
  Summary summary_;
  RowStore rows_;
  std::vector<LeadFigures> figures_;

  struct QueryCache;
  mutable std::unique_ptr<QueryCache> cache_;
};

/// Scores one lead given as (field or header name, value) pairs, e.g. from a form:
/// {"job_title": "VP Sales", "Number of Employees": "250"}. Returns its explanation.
nlohmann::ordered_json explain_single_lead(const ScoringModel& model,
                                           const std::vector<std::pair<std::string, std::string>>& fields,
                                           std::int32_t as_of);

}  // namespace leadscore
