#pragma once
/// A list while its file is read: feed it the bytes, then finish() hands over the ScoredList. The
/// leads are scored as they come (in batches, from the key ids of the columns the model reads) and
/// the ones scored so far can already be paged by their figures. A file can also be read in parts
/// at once (list_parts.hpp): the list reads the start and joins the parts read by other readers.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/list_parts.hpp"
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

  /// A reader of a part of a list: `prefix` is the file's first plan.prefix_bytes bytes (see
  /// part_plan); feed() then takes the file's bytes from `start`, a record boundary of the list,
  /// and finish_part() ends the part (at a record boundary or at the end of the file) and packs it.
  static Result<std::unique_ptr<ListReader>> part(ScoringModel model, SessionOptions options, const PartPlan& plan,
                                                  std::string_view prefix, std::uint64_t start, ListTuning tuning = {});

  /// The whole input's size, when it is known before it is read (a File's). A list whose key ids
  /// would pass the re-score cache's budget then learns so from its first rows and does not cache
  /// them (nor do its parts), instead of filling the budget and giving it up.
  void expect_bytes(std::uint64_t total) noexcept { expected_bytes_ = total; }

  /// Reads the next chunk; a fatal error (not a CSV, empty) ends reading.
  Status feed(std::string_view bytes);
  /// Ends the input and hands over the finished list. The reader is spent.
  Result<std::unique_ptr<ScoredList>> finish();
  /// Ends a part's input and packs what it read for the list's join_part. The reader is spent.
  Result<std::string> finish_part();

  /// How parts of this list can be read: known once its mapping is decided, for a UTF-8 file
  /// read back from its source, with no byte that was not UTF-8 so far.
  std::optional<PartPlan> part_plan() const;
  /// Whether the bytes fed so far end between two records (a part starting there can be joined).
  bool at_record_boundary() const noexcept;
  /// Joins a packed part that starts where this list's bytes end, at a record boundary: its rows,
  /// scores, keys and issues, as if the list had read its bytes. The list then reads on from where
  /// the part ended (feed) or joins the next part.
  Status join_part(std::string_view packed);

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
  std::int64_t joined_invalid_utf8_ = 0;  // bytes of joined parts that were not UTF-8
  // A part: the plan it reads by and where its bytes start in the file.
  std::optional<PartPlan> part_plan_of_;
  std::uint64_t part_start_ = 0;
  bool spent_ = false;
};

}  // namespace leadscore
