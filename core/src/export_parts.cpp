#include "leadscore/export_parts.hpp"

#include <nlohmann/json.hpp>

#include "detail/csv_tokenizer.hpp"
#include "leadscore/scorer.hpp"

namespace leadscore {

using Json = nlohmann::json;

nlohmann::ordered_json export_plan_json(const ExportPlan& plan) {
  using Ordered = nlohmann::ordered_json;
  Ordered matches = Ordered::array();
  for (const FieldMatch& m : plan.matches) matches.push_back({{"field", m.field}, {"column", m.column}});
  Ordered parts = Ordered::array();
  for (const auto& part : plan.parts) parts.push_back({{"row", part.row}, {"start", part.start}, {"end", part.end}});
  return Ordered{{"asOfDays", plan.as_of},   {"delimiter", std::string(1, plan.delimiter)},
                 {"headers", plan.headers},  {"matches", std::move(matches)},
                 {"model", plan.model},      {"rows", plan.rows},
                 {"parts", std::move(parts)}};
}

Result<ExportPlan> export_plan_from_json(std::string_view json_text) {
  // nlohmann's exceptions for a missing or mistyped value become one InvalidArgument error.
  try {
    const Json j = Json::parse(json_text.begin(), json_text.end());
    ExportPlan plan;
    plan.as_of = j.at("asOfDays").get<std::int32_t>();
    const std::string delimiter = j.at("delimiter").get<std::string>();
    if (delimiter.size() != 1) throw Json::other_error::create(501, "delimiter: expected one character", &j);
    plan.delimiter = delimiter[0];
    plan.headers = j.at("headers").get<std::vector<std::string>>();
    for (const auto& m : j.at("matches")) {
      plan.matches.push_back(
          FieldMatch{m.at("field").get<std::string>(), m.at("column").get<std::size_t>(), MatchKind::Model});
    }
    plan.rows = j.value("rows", std::size_t{0});
    plan.model = j.value("model", std::string());
    for (const auto& p : j.value("parts", Json::array())) {
      plan.parts.push_back(ExportPlan::Part{p.at("row").get<std::size_t>(), p.at("start").get<std::uint64_t>(),
                                            p.at("end").get<std::uint64_t>()});
    }
    return plan;
  } catch (const Json::exception& e) {
    return Error{ErrorCode::InvalidArgument, std::string("not an export plan: ") + e.what()};
  }
}

namespace {

CsvWriterOptions without_byte_order_mark(CsvWriterOptions options) {
  options.byte_order_mark = false;
  return options;
}

}  // namespace

/// Each record the tokenizer reads, scored and written (its issues were reported when the list
/// was read).
class ScoredCsvPart::Rows final : public CsvSink {
 public:
  explicit Rows(ScoredCsvPart& part) : part_(part) {}
  void on_record(const CsvRecord& row) override {
    part_.scorer_->score(row, result_, part_.writer_.detail());
    part_.writer_.on_row(row, result_, *part_.scorer_);
    ++part_.rows_;
  }
  void on_issue(const Error&) override {}

 private:
  ScoredCsvPart& part_;
  ScoreResult result_;
};

ScoredCsvPart::ScoredCsvPart(ScoringModel model, const ExportPlan& plan, ScoredCsvWriter::Output output,
                             CsvWriterOptions options)
    : model_(std::make_unique<ScoringModel>(std::move(model))),
      mapping_(plan.headers, plan.matches),
      scorer_(std::make_unique<Scorer>(*model_, mapping_, plan.as_of)),
      writer_(std::move(output), without_byte_order_mark(options)),
      tokenizer_(std::make_unique<detail::CsvTokenizer>(plan.delimiter, plan.headers.size())),
      sink_(std::make_unique<Rows>(*this)) {
  writer_.continue_after_header(plan.headers.size());
}

ScoredCsvPart::~ScoredCsvPart() = default;

void ScoredCsvPart::feed(std::string_view bytes) { tokenizer_->feed(bytes, *sink_); }

void ScoredCsvPart::finish() {
  tokenizer_->finish(*sink_);
  writer_.flush();
}

}  // namespace leadscore
