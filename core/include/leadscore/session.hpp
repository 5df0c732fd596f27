#pragma once
/// The streaming pipeline for one list: bytes -> CsvReader -> header and column mapping (confirmed
/// on the first rows) -> Scorer -> ScoredRowSink, with the Summary kept along the way.
/// Memory stays flat: only the first `sample_rows` rows are held, until the mapping is known.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/column_map.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/model.hpp"
#include "leadscore/scorer.hpp"
#include "leadscore/summary.hpp"

namespace leadscore {

struct SessionOptions {
  CsvOptions csv;
  /// The day recency and decay count from; unset: the model's as_of, else today.
  std::optional<std::int32_t> as_of;
  /// Rows read before the mapping is decided (value checks look at them).
  std::size_t sample_rows = 100;
  /// The user's corrections: field -> header name ("" removes the field's column).
  std::map<std::string, std::string> mapping_overrides;
};

/// Receives the scored list in input order.
class ScoredRowSink {
 public:
  virtual ~ScoredRowSink() = default;
  /// The header row as it was in the file, once the mapping is known.
  virtual void on_header(const CsvRecord& header, const Scorer& scorer) = 0;
  /// Every data row, with its score. The references are valid only during the call; the session's
  /// `scorer` may score variations of the row (an explanation's paths to hot).
  virtual void on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) = 0;
  /// A problem with a row (the row is still delivered) or with the header.
  virtual void on_issue(const Error& issue) { (void)issue; }
  /// How much of each ScoreResult the sink reads (Figures: no hits; Keys: none,
  /// the sink scores the rows itself from the scorer's key ids).
  virtual Scorer::Detail detail() const { return Scorer::Detail::Full; }
  /// True when the sink counts the leads itself: the session's summary then has only the issues.
  virtual bool counts_leads() const { return false; }
};

class ScoringSession {
 public:
  explicit ScoringSession(ScoringModel model, SessionOptions options = {});
  ~ScoringSession();
  ScoringSession(const ScoringSession&) = delete;
  ScoringSession& operator=(const ScoringSession&) = delete;

  /// Feeds the next chunk. A fatal error (not a CSV, empty) stops the session.
  Status feed(std::string_view bytes, ScoredRowSink& sink);
  /// Ends the input: flushes the last row and, for short lists, decides the mapping.
  Status finish(ScoredRowSink& sink);

  const ScoringModel& model() const noexcept { return model_; }
  const CsvFormat& format() const noexcept { return reader_.format(); }
  const ColumnMapping& mapping() const noexcept { return mapping_; }
  /// Null until the mapping is decided.
  const Scorer* scorer() const noexcept { return scorer_.get(); }
  Scorer* scorer() noexcept { return scorer_.get(); }
  const Summary& summary() const noexcept { return summary_; }
  std::int64_t bytes_fed() const noexcept { return reader_.bytes_fed(); }
  /// The reader, for where records are in the input (CsvReader::raw_offset) and its decoded text.
  CsvReader& reader() noexcept { return reader_; }
  const CsvReader& reader() const noexcept { return reader_; }
  /// The summary plus how the file was read and mapped.
  nlohmann::ordered_json summary_json() const;

 private:
  class Adapter;
  void on_record(const CsvRecord& record, ScoredRowSink& sink);
  void on_issue(const Error& issue, ScoredRowSink& sink);
  void decide_mapping(ScoredRowSink& sink);
  void score_row(const CsvRecord& row, ScoredRowSink& sink);
  void count_formula_cells(const CsvRecord& row);  // into the summary: the page warns before an export

  ScoringModel model_;
  SessionOptions options_;
  CsvReader reader_;
  CsvRecord header_;
  bool have_header_ = false;
  std::vector<CsvRecord> sample_;
  ColumnMapping mapping_;
  std::unique_ptr<Scorer> scorer_;
  std::int64_t lead_source_column_ = -1;
  ScoreResult result_;
  Summary summary_;
};

/// JSON of a mapping: {"columns": [{"index", "header", "field"?}], "fields": {field: header},
/// "notes": [...]}.
nlohmann::ordered_json mapping_json(const ColumnMapping& mapping);

/// The summary of a scored list plus how its file was read and mapped, and the model's view of it.
nlohmann::ordered_json list_summary_json(const Summary& summary, const CsvFormat& format, std::int64_t bytes,
                                         const ColumnMapping& mapping, const ScoringModel& model, const Scorer* scorer);

/// The model's mapping for `headers` (confirmed on `sample`), then the user's `overrides`
/// (field -> header; "" removes the field).
ColumnMapping build_mapping(std::vector<std::string> headers, const std::vector<CsvRecord>& sample,
                            const ScoringModel& model, const std::map<std::string, std::string>& overrides);

/// The day scores count from: the options', else the model's, else today.
std::int32_t resolve_as_of(const SessionOptions& options, const ScoringModel& model);

/// The lead source cell of `row` (column -1: none), empty when missing.
std::string_view lead_source(const CsvRecord& row, std::int64_t column, const MissingValues& missing);

}  // namespace leadscore
