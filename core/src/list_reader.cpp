#include "leadscore/list_reader.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "detail/lead_store.hpp"
#include "detail/list_queries.hpp"
#include "leadscore/scored_list.hpp"

namespace leadscore {

namespace {

const Error kSpent{ErrorCode::InvalidArgument, "this list is already read; start a new one"};

}  // namespace

ListReader::ListReader(ScoringModel model, SessionOptions options, std::shared_ptr<ByteSource> source,
                       ListTuning tuning)
    : model_(std::make_unique<ScoringModel>(std::move(model))),
      options_(std::move(options)),
      tuning_(tuning),
      session_(*model_, options_),
      store_(std::make_unique<detail::LeadStore>(std::move(source), tuning.scan_bytes)),
      queries_(std::make_unique<detail::ListQueries>()) {
  // The first decoded text arrives once the encoding is known, before any row: decide then.
  session_.reader().set_text_tap([this, decided = false](std::string_view text) mutable {
    RowIndex& rows = store_->rows;
    if (!decided) {
      rows.decide(session_.reader().has_raw_offsets());
      decided = true;
    }
    if (rows.keeps_text()) rows.append_text(text);
  });
}

ListReader::~ListReader() = default;

void ListReader::on_header(const CsvRecord& header, const Scorer&) {
  header_ = header;
  store_->rows.describe(session_.format().delimiter, header.size());
  source_column_ = session_.mapping().column_of("lead_source");
}

void ListReader::on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) {
  detail::LeadStore& store = *store_;
  if (sample_.size() < options_.sample_rows) sample_.push_back(row);
  if (!store.keys) store.keys = std::make_unique<detail::KeyCache>(scorer, source_column_, tuning_.key_cache_bytes);
  const CsvReader& reader = session_.reader();
  store.rows.add(store.rows.keeps_text() ? row.offset() : reader.raw_offset(row.offset()), row.line());
  const std::string_view source = lead_source(row, source_column_, model_->missing);
  const auto count = [&](const ScoreResult& scored) {
    store.summary.add(scored, source);
    store.figures.push_back(detail::pack(scored));
    scored_ = store.figures.size();
  };
  if (!by_keys_) return count(result);
  if (store.keys->add(scorer, source) && !keys_will_not_fit()) {
    store.figures.emplace_back();  // scored with its batch
    return;
  }
  // The keys do not fit: the rows waiting are scored from theirs, this one and the rest from
  // their cells.
  score_batch();
  store.keys->give_up();
  by_keys_ = false;
  ScoreResult now;
  scorer.score(row, now, Scorer::Detail::Figures);
  count(now);
}

Status ListReader::feed(std::string_view bytes) {
  if (spent_) return kSpent;
  Status status = session_.feed(bytes, *this);
  // Batches are large (the work per batch pays off) or wait for someone to look (query()).
  const std::size_t batch = scored_ == 0 ? tuning_.first_batch_rows : tuning_.batch_rows;
  if (by_keys_ && session_.scorer() && store_->figures.size() - scored_ >= batch) score_batch();
  return status;
}

void ListReader::score_batch() {
  detail::LeadStore& store = *store_;
  const Scorer* scorer = session_.scorer();
  if (!scorer || !store.keys_cached() || scored_ == store.figures.size()) return;
  std::vector<std::size_t> columns(scorer->key_columns());
  for (std::size_t k = 0; k < columns.size(); ++k) columns[k] = k;
  store.score_from_keys(*scorer, columns, scored_);
  scored_ = store.figures.size();
}

bool ListReader::keys_will_not_fit() const {
  // Checked once, on the first rows (the row being added is in the rows but not yet in figures).
  constexpr std::size_t kRowsToEstimate = 16384;
  const detail::LeadStore& store = *store_;
  const std::size_t rows = store.figures.size() + 1;
  if (expected_bytes_ == 0 || rows != kRowsToEstimate || store.rows.size() != rows) return false;
  const std::uint64_t row_bytes =
      std::max<std::uint64_t>(1, (store.rows.offset(rows - 1) - store.rows.offset(0)) / (rows - 1));
  return !store.keys->fits(expected_bytes_ / row_bytes);
}

Status ListReader::end_input() {
  if (spent_) return kSpent;
  spent_ = true;
  Status status = session_.finish(*this);
  if (!status.ok()) return status;
  if (by_keys_) score_batch();
  store_->summary.merge(session_.summary());  // the issues: the list counted the leads
  store_->rows.close(static_cast<std::uint64_t>(bytes_read()));
  return Ok{};
}

Result<std::unique_ptr<ScoredList>> ListReader::finish() {
  Status status = end_input();
  if (!status.ok()) return status.error();
  if (!session_.scorer()) return Error{ErrorCode::Internal, "a list read to its end has no mapping"};
  const CsvFormat& format = session_.format();
  const Scorer& read_with = *session_.scorer();
  if (store_->keys) store_->keys->close(read_with);
  return std::unique_ptr<ScoredList>(new ScoredList(std::move(model_), std::move(options_), tuning_, std::move(header_),
                                                    std::move(sample_), format, bytes_read(), session_.mapping(),
                                                    read_with.as_of(), std::move(store_)));
}

std::size_t ListReader::size() const noexcept { return store_ ? store_->figures.size() : 0; }

bool ListReader::keys_cached() const noexcept { return store_ && store_->keys_cached(); }

Result<ListPage> ListReader::query(const ListQuery& query) {
  if (spent_) return kSpent;
  if (!trim(query.search).empty() || query.sort == ListQuery::Sort::Column || query.sort == ListQuery::Sort::Priority) {
    return Error{ErrorCode::InvalidArgument,
                 "searching, sorting by a column and by priority wait until the whole list is read"};
  }
  if (by_keys_) score_batch();
  // The rows scored so far, all but the last, whose end is not known yet.
  const std::size_t known = std::min(scored_, store_->figures.empty() ? 0 : store_->figures.size() - 1);
  return queries_->page(query, *store_, known, 0, -1);
}

LeadFigures ListReader::figures(std::size_t row) const { return detail::unpack(store_->figures.at(row)); }

Status ListReader::cells(std::size_t row, CsvRecord& out) const { return store_->rows.read(row, out); }

nlohmann::ordered_json ListReader::summary_json() const {
  Summary summary = store_ ? store_->summary : Summary();
  summary.merge(session_.summary());
  return list_summary_json(summary, session_.format(), bytes_read(), session_.mapping(), *model_, session_.scorer());
}

}  // namespace leadscore
