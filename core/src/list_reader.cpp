#include "leadscore/list_reader.hpp"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "detail/lead_store.hpp"
#include "detail/list_queries.hpp"
#include "detail/packed_part.hpp"
#include "leadscore/scored_list.hpp"

namespace leadscore {

namespace {

const Error kSpent{ErrorCode::InvalidArgument, "this list is already read; start a new one"};

/// A part's rows are never read back from it (the list that joins it reads them): a source that
/// only makes the part keep the rows' offsets in the file rather than their text.
class NotReadBack final : public ByteSource {
 public:
  Status read(std::uint64_t, std::size_t, std::string&) override {
    return Error{ErrorCode::Internal, "a part of a list does not read its rows back"};
  }
};

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

Result<std::unique_ptr<ListReader>> ListReader::part(ScoringModel model, SessionOptions options, const PartPlan& plan,
                                                     std::string_view prefix, std::uint64_t start, ListTuning tuning) {
  if (prefix.empty() || prefix.size() != plan.prefix_bytes || prefix.back() != '\n' || start < plan.prefix_bytes) {
    return Error{
        ErrorCode::InvalidArgument,
        "a part needs the file's first bytes as the plan says, ending with a line feed, and a start after them"};
  }
  options.as_of = plan.as_of;
  // The list's decisions, not the part's own: its bytes may hold what a file's start may not.
  options.csv.delimiter = plan.delimiter;
  options.csv.encoding = TextEncoding::Utf8;
  options.rows_from_line = plan.prefix_lines;
  auto reader =
      std::make_unique<ListReader>(std::move(model), std::move(options), std::make_shared<NotReadBack>(), tuning);
  reader->part_plan_of_ = plan;
  reader->part_start_ = start;
  reader->expected_bytes_ = plan.list_bytes;
  reader->store_->summary = Summary(std::numeric_limits<std::size_t>::max());
  Status status = reader->feed(prefix);
  if (!status.ok()) return status.error();
  return reader;
}

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
  CsvFormat format = session_.format();
  format.invalid_utf8_bytes += joined_invalid_utf8_;
  const Scorer& read_with = *session_.scorer();
  if (store_->keys) store_->keys->close(read_with);
  return std::unique_ptr<ScoredList>(new ScoredList(std::move(model_), std::move(options_), tuning_, std::move(header_),
                                                    std::move(sample_), format, bytes_read(), session_.mapping(),
                                                    read_with.as_of(), std::move(store_)));
}

Result<std::string> ListReader::finish_part() {
  if (!part_plan_of_) return Error{ErrorCode::InvalidArgument, "only a part of a list is packed"};
  Status status = end_input();
  if (!status.ok()) return status.error();
  if (session_.format().encoding != TextEncoding::Utf8 || store_->rows.keeps_text()) {
    return Error{ErrorCode::InvalidArgument, "the part was not read as UTF-8 like its list: the list reads it itself"};
  }
  if (store_->keys) store_->keys->close(*session_.scorer());
  return detail::pack_part(*store_, *part_plan_of_, part_start_, static_cast<std::uint64_t>(bytes_read()),
                           session_.reader().line(), session_.format().invalid_utf8_bytes);
}

std::optional<PartPlan> ListReader::part_plan() const {
  if (spent_ || part_plan_of_ || !session_.scorer()) return std::nullopt;
  const CsvFormat& format = session_.format();
  const RowIndex& rows = store_->rows;
  if (format.encoding != TextEncoding::Utf8 || format.invalid_utf8_bytes > 0 || rows.keeps_text() ||
      rows.size() <= options_.sample_rows) {
    return std::nullopt;
  }
  PartPlan plan;
  plan.prefix_bytes = rows.offset(options_.sample_rows);
  plan.prefix_lines = rows.line(options_.sample_rows);
  plan.as_of = session_.scorer()->as_of();
  plan.delimiter = format.delimiter;
  plan.fields = session_.mapping().headers().size();
  plan.list_bytes = expected_bytes_;
  return plan;
}

bool ListReader::at_record_boundary() const noexcept { return !spent_ && session_.reader().at_record_boundary(); }

Status ListReader::join_part(std::string_view packed) {
  Scorer* scorer = session_.scorer();
  if (part_plan_of_ || spent_ || !scorer) {
    return Error{ErrorCode::InvalidArgument, "a part is joined to a list being read, once its mapping is decided"};
  }
  if (!session_.reader().at_record_boundary()) {
    return Error{ErrorCode::InvalidArgument, "the list's bytes do not end between two records: it reads on itself"};
  }
  detail::LeadStore& store = *store_;
  const bool want_keys = store.keys_cached();
  const auto read =
      detail::unpack_part(packed, want_keys ? std::optional<std::size_t>(scorer->key_columns()) : std::nullopt);
  if (!read.ok()) return read.error();
  const detail::PackedPart& part = read.value();
  if (part.start != static_cast<std::uint64_t>(bytes_read())) {
    return Error{ErrorCode::InvalidArgument, "the part does not start where the list's bytes end"};
  }
  auto summary = Summary::from_state(nlohmann::json::parse(part.summary_state, nullptr, false));
  if (!summary.ok()) return Error{ErrorCode::InvalidArgument, "not a packed part of a list"};
  const std::size_t n = part.rows;
  // The part's key ids go straight into the key cache's room for them, in this list's ids, and
  // count only once the part is joined.
  bool keys_fit = want_keys && part.has_keys && store.keys->reserve(store.keys->rows() + n);
  for (std::size_t k = 0; keys_fit && k < part.keys.size(); ++k) {
    const detail::PackedKeyColumn& column = part.keys[k];
    std::vector<std::uint16_t> id_of;
    std::uint16_t largest = 0;
    for (const std::string_view text : column.texts) {
      const std::uint32_t id = k < scorer->key_columns() ? scorer->add_key(k, text) : store.keys->source_id_of(text);
      keys_fit = keys_fit && id <= detail::KeyCache::kMaxId;
      if (!keys_fit) break;
      id_of.push_back(static_cast<std::uint16_t>(id));
      largest = std::max(largest, id_of.back());
    }
    keys_fit = keys_fit && store.keys->set_range(k, store.keys->rows(), n, largest,
                                                 [&](std::size_t i) { return id_of[column.id(i)]; });
  }

  // The list's own rows and issues so far first, then the part's: the summary stays in file order.
  if (by_keys_) score_batch();
  store.summary.merge(session_.take_summary());
  const std::int64_t line_shift = session_.reader().line() - part.prefix_lines;
  store.rows.reserve(store.rows.size() + n);
  for (std::size_t i = 0; i < n; ++i) store.rows.add(part.offset(i), part.line(i) + line_shift);
  store.figures.reserve(store.figures.size() + n);
  for (std::size_t i = 0; i < n; ++i) store.figures.push_back(part.figures_of(i));
  if (keys_fit) {
    store.keys->commit(n);
  } else if (store.keys_cached()) {
    store.keys->give_up();
    by_keys_ = false;
  }
  scored_ = store.figures.size();
  summary.value().shift_lines(line_shift);
  store.summary.merge(summary.value());
  session_.reader().skip(part.end - part.start, part.end_line - part.prefix_lines);
  joined_invalid_utf8_ += part.invalid_utf8;
  queries_->scores_changed();
  return Ok{};
}

std::size_t ListReader::size() const noexcept { return store_ ? store_->figures.size() : 0; }

bool ListReader::keys_cached() const noexcept { return store_ && store_->keys_cached(); }

Result<ListPage> ListReader::query(const ListQuery& query) {
  if (spent_) return kSpent;
  if (!trim(query.search).empty() || query.sort == ListQuery::Sort::Column) {
    return Error{ErrorCode::InvalidArgument, "searching and sorting by a column wait until the whole list is read"};
  }
  if (by_keys_) score_batch();
  // The rows scored so far, all but the last, whose end is not known yet.
  const std::size_t known = std::min(scored_, store_->figures.empty() ? 0 : store_->figures.size() - 1);
  return queries_->page(query, *store_, known, 0);
}

LeadFigures ListReader::figures(std::size_t row) const { return detail::unpack(store_->figures.at(row)); }

Status ListReader::cells(std::size_t row, CsvRecord& out) const { return store_->rows.read(row, out); }

nlohmann::ordered_json ListReader::summary_json() const {
  Summary summary = store_ ? store_->summary : Summary();
  summary.merge(session_.summary());
  return list_summary_json(summary, session_.format(), bytes_read(), session_.mapping(), *model_, session_.scorer());
}

}  // namespace leadscore
