#include "leadscore/scored_list.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "detail/lead_store.hpp"
#include "detail/list_queries.hpp"

namespace leadscore {

ScoredList::ScoredList(std::unique_ptr<ScoringModel> model, SessionOptions options, ListTuning tuning, CsvRecord header,
                       std::vector<CsvRecord> sample, CsvFormat format, std::int64_t bytes, ColumnMapping mapping,
                       std::int32_t as_of, std::unique_ptr<detail::LeadStore> store)
    : model_(std::move(model)),
      options_(std::move(options)),
      tuning_(tuning),
      header_(std::move(header)),
      sample_(std::move(sample)),
      format_(std::move(format)),
      bytes_(bytes),
      mapping_(std::move(mapping)),
      as_of_(as_of),
      scorer_(std::make_unique<Scorer>(*model_, mapping_, as_of)),
      store_(std::move(store)),
      queries_(std::make_unique<detail::ListQueries>()) {
  if (store_->keys) {
    std::vector<std::size_t> columns;
    store_->keys->prime(*scorer_, mapping_.column_of("lead_source"), columns);
  }
}

ScoredList::~ScoredList() = default;

std::size_t ScoredList::size() const noexcept { return store_->figures.size(); }

LeadFigures ScoredList::figures(std::size_t row) const {
  LeadFigures f = detail::unpack(store_->figures.at(row));
  if (store_->moved(row)) {
    f.moved = true;
    f.before = static_cast<Temperature>(store_->before[row]);
  }
  return f;
}

ScoredList::Moves ScoredList::moves() const {
  Moves moves{};
  const auto& before = store_->before;
  for (std::size_t i = 0; i < before.size(); ++i) ++moves[before[i]][store_->figures[i].temperature];
  for (std::size_t t = 0; t < 3; ++t) moves[t][t] = 0;
  return moves;
}

Status ScoredList::cells(std::size_t row, CsvRecord& out) const { return store_->rows.read(row, out); }

bool ScoredList::keys_cached() const noexcept { return store_->keys_cached(); }

Result<std::size_t> ScoredList::score_all() {
  detail::LeadStore& store = *store_;
  store.before.resize(store.figures.size());
  for (std::size_t i = 0; i < store.figures.size(); ++i) store.before[i] = store.figures[i].temperature;
  store.summary.clear_scores();
  queries_->scores_changed();
  const std::int64_t source_column = mapping_.column_of("lead_source");
  std::vector<std::size_t> columns;
  if (store.keys && store.keys->rows() == store.figures.size() && store.keys->prime(*scorer_, source_column, columns)) {
    return store.score_from_keys(*scorer_, columns, 0);
  }
  // The rows are read again, and their keys cached for the next time when they can fit (a byte
  // an id at least).
  store.keys.reset();
  if ((store.figures.size() + 1) * (scorer_->key_columns() + 1) <= tuning_.key_cache_bytes) {
    store.keys = std::make_unique<detail::KeyCache>(*scorer_, source_column, tuning_.key_cache_bytes);
  }
  std::size_t changed = 0;
  ScoreResult result;
  Status status = store.rows.scan(0, [&](std::size_t i, const CsvRecord& row) {
    scorer_->score(row, result, Scorer::Detail::Figures);
    const std::string_view source = lead_source(row, source_column, model_->missing);
    if (store.keys_cached() && !store.keys->add(*scorer_, source)) store.keys->give_up();
    store.summary.add(result, source);
    const detail::PackedFigures now = detail::pack(result);
    changed += now.temperature != store.figures[i].temperature;
    store.figures[i] = now;
    return true;
  });
  if (!status.ok()) return status.error();
  if (store.keys) store.keys->close(*scorer_);
  return changed;
}

Result<std::size_t> ScoredList::rescore(ScoringModel model) {
  std::vector<Error> ignored;  // the header's issues were reported when the list was read
  auto next_model = std::make_unique<ScoringModel>(std::move(model));
  mapping_ = build_mapping(unique_header_names(header_, ignored), sample_, *next_model, options_.mapping_overrides);
  as_of_ = resolve_as_of(options_, *next_model);
  scorer_ = std::make_unique<Scorer>(*next_model, mapping_, as_of_);
  model_ = std::move(next_model);
  return score_all();
}

Result<std::size_t> ScoredList::remap(std::map<std::string, std::string> overrides) {
  for (const auto& [field, header] : overrides) {
    if (!find_field(field) && !model_->columns.count(field)) {
      return Error{ErrorCode::InvalidArgument, "unknown lead field \"" + field + "\""};
    }
    if (!header.empty() && mapping_.column_of("column:" + header) < 0) {
      return Error{ErrorCode::InvalidArgument, "the list has no column \"" + header + "\""};
    }
  }
  options_.mapping_overrides = std::move(overrides);
  return rescore(*model_);
}

Result<ListPage> ScoredList::query(const ListQuery& query) {
  std::size_t budget = column_sort_budget_;
  if (budget == 0) {
    // Half of what the memory target leaves beside the list and its caches of one order each (the
    // rest: every row's value id, the sort, the allocator's slack).
    const std::size_t target = memory_target_bytes();
    const std::size_t held = memory_bytes() + 3 * sizeof(std::uint32_t) * size();
    budget = std::max<std::size_t>(16u << 20, target > held ? (target - held) / 2 : 0);
  }
  return queries_->page(query, *store_, size(), budget, mapping_.column_of("last_activity_date"));
}

Result<nlohmann::ordered_json> ScoredList::explain(std::size_t index) const {
  CsvRecord row;
  Status status = store_->rows.read(index, row);
  if (!status.ok()) return status.error();
  // A scorer of its own: explaining a lead tries changes to it, which the list's scores never see.
  Scorer scorer(*model_, mapping_, as_of_);
  ScoreResult result;
  scorer.score(row, result);
  nlohmann::ordered_json j = explain_lead(scorer, result, header_, row);
  j["row"] = index;
  return j;
}

Status ScoredList::export_csv(const ScoredCsvWriter::Output& output, const CsvWriterOptions& options,
                              const std::function<void(std::size_t rows)>& progress, std::size_t first,
                              std::size_t end) {
  const RowIndex& rows = store_->rows;
  end = std::min(end, size());
  if (first > 0 && first >= end) return Ok{};
  constexpr std::size_t kProgressRows = 1u << 14;
  CsvWriterOptions writer_options = options;
  writer_options.byte_order_mark = options.byte_order_mark && first == 0;
  ScoredCsvWriter writer(output, writer_options);
  Scorer& scorer = *scorer_;
  if (first == 0) {
    writer.on_header(header_, scorer);
  } else {
    writer.continue_after_header(header_.size());
  }
  ScoreResult result;
  const auto write = [&](std::size_t i, const CsvRecord& row) {
    scorer.score(row, result, writer.detail());
    writer.on_row(row, result, scorer);
    if (progress && (i + 1 - first) % kProgressRows == 0) progress(i + 1 - first);
    return i + 1 < end;
  };
  // Read up to the next row only: a range's export reads no more of the file than its rows.
  if (first < end) {
    Status status = rows.scan(first, write, end < rows.size() ? rows.offset(end) : UINT64_MAX);
    if (!status.ok()) return status;
  }
  writer.flush();
  return Ok{};
}

std::optional<ExportPlan> ScoredList::export_plan(const std::vector<std::uint64_t>& cuts) const {
  const RowIndex& rows = store_->rows;
  if (format_.encoding != TextEncoding::Utf8 || format_.invalid_utf8_bytes > 0 || rows.keeps_text()) {
    return std::nullopt;
  }
  ExportPlan plan;
  plan.as_of = as_of_;
  plan.delimiter = format_.delimiter;
  plan.headers = mapping_.headers();
  plan.matches = mapping_.matches();
  plan.rows = size();
  std::size_t row = 0;
  for (const std::uint64_t cut : cuts) {
    // The first row that starts at or after the cut; each part at least one row.
    std::size_t low = row + 1, high = rows.size();
    while (low < high) {
      const std::size_t mid = low + (high - low) / 2;
      if (rows.offset(mid) < cut) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    if (low >= rows.size()) return std::nullopt;
    row = low;
    if (!plan.parts.empty()) plan.parts.back().end = rows.offset(row);
    plan.parts.push_back(ExportPlan::Part{row, rows.offset(row), static_cast<std::uint64_t>(bytes_)});
  }
  if (plan.parts.empty()) return std::nullopt;
  return plan;
}

nlohmann::ordered_json ScoredList::summary_json() const {
  return list_summary_json(store_->summary, format_, bytes_, mapping_, *model_, scorer_.get());
}

std::size_t ScoredList::memory_bytes() const noexcept { return store_->memory_bytes(); }

std::size_t ScoredList::memory_target_bytes() const noexcept {
  return tuning_.memory_target_bytes + tuning_.memory_per_lead_bytes * size();
}

}  // namespace leadscore
