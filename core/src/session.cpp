#include "leadscore/session.hpp"

#include "leadscore/backtest.hpp"
#include "leadscore/csv_writer.hpp"

#include <nlohmann/json.hpp>

namespace leadscore {

class ScoringSession::Adapter final : public CsvSink {
 public:
  Adapter(ScoringSession& session, ScoredRowSink& sink) : session_(session), sink_(sink) {}
  void on_record(const CsvRecord& record) override { session_.on_record(record, sink_); }
  void on_issue(const Error& issue) override { session_.on_issue(issue, sink_); }

 private:
  ScoringSession& session_;
  ScoredRowSink& sink_;
};

ScoringSession::ScoringSession(ScoringModel model, SessionOptions options)
    : model_(std::move(model)), options_(std::move(options)), reader_(options_.csv) {}

ScoringSession::~ScoringSession() = default;

Status ScoringSession::feed(std::string_view bytes, ScoredRowSink& sink) {
  Adapter adapter(*this, sink);
  return reader_.feed(bytes, adapter);
}

Status ScoringSession::finish(ScoredRowSink& sink) {
  Adapter adapter(*this, sink);
  Status status = reader_.finish(adapter);
  if (!status.ok()) return status;
  if (!scorer_) decide_mapping(sink);
  return Ok{};
}

void ScoringSession::on_issue(const Error& issue, ScoredRowSink& sink) {
  summary_.add_issue(issue);
  sink.on_issue(issue);
}

void ScoringSession::on_record(const CsvRecord& record, ScoredRowSink& sink) {
  if (!have_header_) {
    header_ = record;
    have_header_ = true;
    return;
  }
  if (scorer_) {
    score_row(record, sink);
    return;
  }
  sample_.push_back(record);
  if (sample_.size() >= options_.sample_rows) decide_mapping(sink);
}

void ScoringSession::decide_mapping(ScoredRowSink& sink) {
  std::vector<Error> header_issues;
  auto names = unique_header_names(header_, header_issues);
  for (const auto& issue : header_issues) on_issue(issue, sink);
  mapping_ = build_mapping(std::move(names), sample_, model_, options_.mapping_overrides);
  scorer_ = std::make_unique<Scorer>(model_, mapping_, resolve_as_of(options_, model_));
  lead_source_column_ = mapping_.column_of("lead_source");
  sink.on_header(header_, *scorer_);
  for (const auto& row : sample_) score_row(row, sink);
  sample_.clear();
  sample_.shrink_to_fit();
}

void ScoringSession::score_row(const CsvRecord& row, ScoredRowSink& sink) {
  count_formula_cells(row);
  scorer_->score(row, result_, sink.detail());
  if (!sink.counts_leads()) summary_.add(result_, lead_source(row, lead_source_column_, model_.missing));
  sink.on_row(row, result_, *scorer_);
}

void ScoringSession::count_formula_cells(const CsvRecord& row) {
  std::size_t first = 0;
  const std::size_t cells =
      row.count_cells_starting([](char c) { return starts_formula(std::string_view(&c, 1)); }, first);
  if (cells > 0) summary_.add_formula_cells(row.line(), first, static_cast<std::int64_t>(cells));
}

ColumnMapping build_mapping(std::vector<std::string> headers, const std::vector<CsvRecord>& sample,
                            const ScoringModel& model, const std::map<std::string, std::string>& overrides) {
  ColumnMapping mapping = map_columns(std::move(headers), sample, model.columns, model.missing);
  for (const auto& [field, header] : overrides) {
    mapping.set(field, header.empty() ? -1 : mapping.column_of("column:" + header));
  }
  return mapping;
}

std::int32_t resolve_as_of(const SessionOptions& options, const ScoringModel& model) {
  return options.as_of ? *options.as_of : model.as_of ? *model.as_of : today_days();
}

std::string_view lead_source(const CsvRecord& row, std::int64_t column, const MissingValues& missing) {
  if (column < 0 || column >= static_cast<std::int64_t>(row.size())) return {};
  const std::string_view source = row[static_cast<std::size_t>(column)];
  return missing.is_missing(source) ? std::string_view() : source;
}

nlohmann::ordered_json mapping_json(const ColumnMapping& mapping) {
  using Json = nlohmann::ordered_json;
  Json columns = Json::array();
  for (std::size_t i = 0; i < mapping.headers().size(); ++i) {
    Json c{{"index", i}, {"header", mapping.headers()[i]}};
    if (const auto field = mapping.field_of(i); !field.empty()) c["field"] = field;
    columns.push_back(std::move(c));
  }
  Json fields = Json::object();
  for (const auto& match : mapping.matches()) fields[match.field] = mapping.headers()[match.column];
  return Json{{"columns", columns}, {"fields", fields}, {"notes", mapping.notes()}};
}

nlohmann::ordered_json list_summary_json(const Summary& summary, const CsvFormat& format, std::int64_t bytes,
                                         const ColumnMapping& mapping, const ScoringModel& model,
                                         const Scorer* scorer) {
  nlohmann::ordered_json j = summary.to_json();
  j["file"] = {{"bytes", bytes},
               {"encoding", encoding_name(format.encoding)},
               {"byte_order_mark", format.had_bom},
               {"delimiter", std::string(1, format.delimiter)},
               {"delimiter_sniffed", format.delimiter_sniffed},
               {"invalid_utf8_bytes", format.invalid_utf8_bytes}};
  j["mapping"] = mapping_json(mapping);
  // The column that says how leads ended, when the list has one: it can be back-tested and learned from.
  const auto outcome = find_outcome_column(mapping.headers());
  j["outcome"] = outcome
                     ? nlohmann::ordered_json{{"column", outcome->header}, {"kind", outcome_kind_name(outcome->kind)}}
                     : nlohmann::ordered_json(nullptr);
  j["model"] = {{"name", model.name},
                {"segments",
                 {{"method", model.segments.method == Segmentation::Method::Matrix ? "matrix" : "thresholds"},
                  {"warm", model.segments.warm},
                  {"hot", model.segments.hot}}}};
  if (scorer) {
    j["model"]["as_of"] = format_date(scorer->as_of());
    j["model"]["absent_fields"] = scorer->absent_fields();
    for (Axis axis : {Axis::Fit, Axis::Engagement}) {
      const AxisScore& a = scorer->axis_template(axis);
      j["model"][axis_name(axis)] = {{"measured", a.measured}, {"max_points", round1(a.max_points)}};
    }
  }
  return j;
}

nlohmann::ordered_json ScoringSession::summary_json() const {
  return list_summary_json(summary_, reader_.format(), reader_.bytes_fed(), mapping_, model_, scorer_.get());
}

}  // namespace leadscore
