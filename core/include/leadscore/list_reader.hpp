#pragma once
/// A list while its file is read: feed it the bytes, then finish() hands over the ScoredList. The
/// leads are scored as they come (in batches, from the key ids of the columns the model reads) and
/// the ones scored so far can already be paged by their figures.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/list_query.hpp"
#include "leadscore/list_tuning.hpp"
#include "leadscore/row_index.hpp"
#include "leadscore/session.hpp"

namespace leadscore {

class ScoredList;
namespace detail {
struct LeadStore;
class ListQueries;
}  // namespace detail

class ListReader final : private ScoredRowSink {
 public:
  /// `source`: the bytes being fed, readable again (nothing is copied); null: the list keeps the
  /// decoded text.
  explicit ListReader(ScoringModel model, SessionOptions options = {}, std::shared_ptr<ByteSource> source = nullptr,
                      ListTuning tuning = {});
  ~ListReader() override;
  ListReader(const ListReader&) = delete;
  ListReader& operator=(const ListReader&) = delete;

  /// The whole input's size, when it is known before it is read (a File's). A list whose key ids
  /// would pass the re-score cache's budget then learns so from its first rows and does not cache
  /// them, instead of filling the budget and giving it up.
  void expect_bytes(std::uint64_t total) noexcept { expected_bytes_ = total; }

  /// Reads the next chunk; a fatal error (not a CSV, empty) ends reading.
  Status feed(std::string_view bytes);
  /// Ends the input and hands over the finished list. The reader is spent.
  Result<std::unique_ptr<ScoredList>> finish();

  /// Data rows read so far.
  std::size_t size() const noexcept;
  /// Whether the rows' key ids are cached so far (see ScoredList::keys_cached).
  bool keys_cached() const noexcept;
  std::int64_t bytes_read() const noexcept { return session_.bytes_fed(); }
  /// A page of the leads scored so far (all but the last row read, whose end is not known yet),
  /// by their figures: searching and sorting by a column wait for the finished list.
  Result<ListPage> query(const ListQuery& query);
  LeadFigures figures(std::size_t row) const;
  /// A row's original cells (any row but the last read).
  Status cells(std::size_t row, CsvRecord& out) const;
  /// The summary so far: see list_summary_json.
  nlohmann::ordered_json summary_json() const;

 private:
  // ScoredRowSink: the session hands each row over.
  void on_header(const CsvRecord& header, const Scorer& scorer) override;
  void on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) override;
  Scorer::Detail detail() const override { return by_keys_ ? Scorer::Detail::Keys : Scorer::Detail::Figures; }
  bool counts_leads() const override { return true; }  // in row order, batches and single rows alike

  /// Scores the rows read since the last batch from their cached keys.
  void score_batch();
  /// Whether the rows read so far say that the keys of every row of the input will not fit.
  bool keys_will_not_fit() const;
  /// Ends the input: the last rows scored, the summary whole. False: not a list (the error).
  Status end_input();

  std::unique_ptr<ScoringModel> model_;  // stable address: the session's scorer points into it
  SessionOptions options_;
  ListTuning tuning_;
  ScoringSession session_;
  std::unique_ptr<detail::LeadStore> store_;
  std::unique_ptr<detail::ListQueries> queries_;
  CsvRecord header_;
  std::vector<CsvRecord> sample_;    // the first rows, which the mapping is confirmed on
  std::int64_t source_column_ = -1;  // the lead source's column
  bool by_keys_ = true;              // rows are scored in batches from their keys
  std::size_t scored_ = 0;           // rows whose figures are known
  std::uint64_t expected_bytes_ = 0;
  bool spent_ = false;
};

}  // namespace leadscore
