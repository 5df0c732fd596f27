#pragma once
/// A whole scored list, for interactive use (the page, the widget): read it once, then page through
/// it sorted and filtered, explain any lead, re-score it with a changed model or mapping, and export
/// the scored CSV in parts. Per lead it keeps only its figures and where its row is: rows are read
/// again from the caller's ByteSource (the file) when there is one, else from text kept here.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/csv_writer.hpp"
#include "leadscore/row_index.hpp"
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

/// What another ScoredList needs to read a part of the same file exactly as the list reads it: a
/// list can be read in parts at once (threads, Web Workers). The list reads the file's start; each
/// part reads from a record boundary; the list joins the packed parts in file order.
struct PartPlan {
  std::uint64_t prefix_bytes = 0;  ///< the file's first bytes: the header and the rows the mapping was decided on
  std::int64_t prefix_lines = 0;   ///< the line the first row after them starts on
  std::int32_t as_of = 0;          ///< the day the list scores from
  char delimiter = ',';
  std::size_t fields = 0;        ///< the header's fields (where a record starts is guessed with it)
  std::uint64_t list_bytes = 0;  ///< the whole file's size, when the list was told it (0: unknown)
};

/// What another worker needs to write a part of a finished list's scored CSV exactly as the list
/// writes it (ScoredCsvPart): the list writes its first rows, the others write theirs at once.
struct ExportPlan {
  std::int32_t as_of = 0;
  char delimiter = ',';
  std::vector<std::string> headers;  ///< the header's cells as the mapping names them
  std::vector<FieldMatch> matches;   ///< the list's mapping, field by field
  /// A part: rows [row, the next part's row) of the list, its bytes [start, end) of the file.
  struct Part {
    std::size_t row = 0;
    std::uint64_t start = 0;
    std::uint64_t end = 0;
  };
  std::vector<Part> parts;  ///< after the list's own part, rows [0, parts[0].row)
};

class ScoredList {
 public:
  /// `source`: the bytes being fed, readable again (nothing is copied); null: the list keeps the text.
  explicit ScoredList(ScoringModel model, SessionOptions options = {}, std::shared_ptr<ByteSource> source = nullptr);
  ~ScoredList();
  ScoredList(const ScoredList&) = delete;
  ScoredList& operator=(const ScoredList&) = delete;

  /// A part of a list: `prefix` is the file's first plan.prefix_bytes bytes (see part_plan); feed()
  /// then takes the file's bytes from `start`, a record boundary of the list, and finish() ends
  /// the part (at a record boundary or at the end of the file); pack_part() hands it over.
  static Result<std::unique_ptr<ScoredList>> part(ScoringModel model, SessionOptions options, const PartPlan& plan,
                                                  std::string_view prefix, std::uint64_t start);
  /// How parts of this list can be read: known once its mapping is decided, for a UTF-8 file
  /// read back from its source, with no byte that was not UTF-8 so far.
  std::optional<PartPlan> part_plan() const;
  /// Whether the bytes fed so far end between two records (a part starting there can be joined).
  bool at_record_boundary() const noexcept;
  /// A finished part, packed for join_part (bytes that can cross to another thread or worker).
  Result<std::string> pack_part() const;
  /// Joins a packed part that starts where this list's bytes end, at a record boundary: its rows,
  /// scores, keys and issues, as if the list had read its bytes. The list then reads on from where
  /// the part ended (feed) or joins the next part.
  Status join_part(std::string_view packed);

  /// The whole input's size, when it is known before it is read (a File's). A list whose key ids
  /// would pass the re-score cache's budget then learns so from its first rows and does not cache
  /// them (nor do its parts), instead of filling the budget and giving it up.
  void expect_bytes(std::uint64_t total) noexcept { expected_bytes_ = total; }

  /// The most bytes a sort by a column read from the file holds at once for the column's distinct
  /// cells (0, the default: half of what the list leaves of 150 MB + 32 bytes a lead, at least
  /// 16 MiB). Past it the column is ranked one range of
  /// values at a time, each range one more read of the file: slower, within the memory.
  void set_column_sort_budget(std::size_t bytes) noexcept { column_sort_budget_ = bytes; }

  /// Reads the next chunk; a fatal error (not a CSV, empty) ends reading.
  Status feed(std::string_view bytes);
  Status finish();
  bool finished() const noexcept { return finished_; }
  /// Data rows read so far.
  std::size_t size() const noexcept { return figures_.size(); }
  std::int64_t bytes_read() const noexcept;

  /// Scores every lead again with `model`; returns how many leads changed temperature. When the
  /// model reads the same columns the same way, the rows' cached keys are scored (no row is read);
  /// otherwise the rows are read again.
  Result<std::size_t> rescore(ScoringModel model);
  /// Whether the rows' keys are cached (they are unless the list is too large or too varied).
  bool keys_cached() const noexcept;
  /// Changes the user's mapping corrections (field -> header, "" removes) and scores again;
  /// returns how many leads changed temperature. Unknown headers are an InvalidArgument error.
  Result<std::size_t> remap(std::map<std::string, std::string> overrides);

  /// A page of the list. While it is being read: the rows scored so far, by figures only (searching
  /// and sorting by a column wait for the end).
  Result<ListPage> query(const ListQuery& query);
  LeadFigures figures(std::size_t row) const;
  /// The row's original cells.
  Status cells(std::size_t row, CsvRecord& out) const { return rows_.read(row, out); }
  /// The full explanation of one lead, with its cells.
  Result<nlohmann::ordered_json> explain(std::size_t row) const;
  /// The scored CSV, byte for byte what `leadscore score` writes, handed over in parts;
  /// `progress(rows)`, when given, says now and then how many rows are written. Rows [first, end)
  /// only, when given: the header (and the byte-order mark) only when `first` is 0.
  Status export_csv(const ScoredCsvWriter::Output& output, const CsvWriterOptions& options,
                    const std::function<void(std::size_t rows)>& progress = {}, std::size_t first = 0,
                    std::size_t end = static_cast<std::size_t>(-1)) const;
  /// How other workers can each write a part of the scored CSV at once: a part from each of
  /// `cuts` (file offsets, ascending) on, starting at the first row there (each part, and the
  /// list's own, at least one row); none when the list is not finished, not a UTF-8 file read back
  /// from its source, or no row is left for a cut.
  std::optional<ExportPlan> export_plan(const std::vector<std::uint64_t>& cuts) const;

  const ScoringModel& model() const noexcept { return *model_; }
  const ColumnMapping& mapping() const noexcept { return mapping_; }
  /// Counts, histogram, sources, grid, issues, file format, mapping: see list_summary_json.
  nlohmann::ordered_json summary_json() const;
  /// Bytes held for the rows and figures.
  std::size_t memory_bytes() const noexcept;

 private:
  class Collector;
  struct Packed {
    std::uint16_t score = 0, fit = 0, engagement = 0;  // tenths
    std::uint8_t temperature = 0;
    std::uint8_t disqualified = 0;
  };
  static Packed pack(const ScoreResult& result);
  Result<std::size_t> score_all();
  /// Scores the rows from `begin` on from their cached keys (`columns[k]`: the cached column of
  /// the scorer's key column k); returns how many changed temperature.
  std::size_t score_from_keys(const Scorer& scorer, const std::vector<std::size_t>& columns, std::size_t begin);
  /// Scores the rows read since the last batch from their cached keys.
  void score_batch(const Scorer& scorer);
  /// Rows from `begin` get results[result_of_row[i]]; the summary counts them. Returns how many
  /// changed temperature.
  std::size_t apply(std::size_t begin, const std::vector<ScoreResult>& results,
                    const std::vector<std::uint32_t>& result_of_row);
  class KeyCache;

  std::unique_ptr<ScoringModel> model_;  // stable address: the scorer points into it
  SessionOptions options_;
  std::unique_ptr<ScoringSession> session_;  // while reading
  std::unique_ptr<Collector> collector_;
  bool finished_ = false;
  CsvRecord header_;
  std::vector<CsvRecord> sample_;  // the first rows, which the mapping is confirmed on
  CsvFormat format_;
  std::int64_t bytes_ = 0;
  std::int64_t end_line_ = 1;  // the line after the last line break read
  ColumnMapping mapping_;
  std::unique_ptr<Scorer> scorer_;
  Summary summary_;
  RowIndex rows_;
  std::vector<Packed> figures_;
  std::unique_ptr<KeyCache> keys_;    // every row's key per column the model reads, while it fits
  bool by_keys_ = true;               // while reading: rows are scored in batches from their keys
  std::uint64_t expected_bytes_ = 0;  // the input's size, when known
  /// Whether the rows read so far say that the keys of every row of the input will not fit.
  bool keys_will_not_fit() const;
  std::size_t scored_ = 0;  // rows whose figures are known

  // A part: where its bytes start in the file (the rows before plan.prefix_bytes are the list's).
  struct PartOf {
    PartPlan plan;
    std::uint64_t start = 0;
  };
  std::optional<PartOf> part_of_;
  std::int64_t joined_invalid_utf8_ = 0;  // bytes of parts joined that were not UTF-8

  struct QueryCache;
  mutable std::unique_ptr<QueryCache> cache_;
  /// The rows with a cell that contains `needle` (lowercase), whatever their scores: kept for the
  /// last search, so sorting or filtering its results, or typing on, reads less of the file.
  Result<const std::vector<std::uint32_t>*> rows_containing(const std::string& needle);
  struct SearchCache;
  std::unique_ptr<SearchCache> search_;
  /// Every row's place in the order of input column `column` (numbers as numbers when most of the
  /// column reads as numbers, other cells as text; equal cells share a place). Kept for the last
  /// column sorted, so turning its order round or filtering reads nothing.
  struct ColumnOrder;
  Result<const ColumnOrder*> column_order(std::size_t column);
  /// column_order for a column the model does not read: from the file.
  Status rank_from_file(std::size_t column, ColumnOrder& ranked) const;
  std::unique_ptr<ColumnOrder> column_order_;
  std::size_t column_sort_budget_ = 0;
};

/// Scores one lead given as (field or header name, value) pairs, e.g. from a form:
/// {"job_title": "VP Sales", "Number of Employees": "250"}. Returns its explanation.
nlohmann::ordered_json explain_single_lead(const ScoringModel& model,
                                           const std::vector<std::pair<std::string, std::string>>& fields,
                                           std::int32_t as_of);

}  // namespace leadscore
