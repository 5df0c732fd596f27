#include "leadscore/export_part.hpp"

namespace leadscore {

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
      tokenizer_(plan.delimiter, plan.headers.size()),
      sink_(std::make_unique<Rows>(*this)) {
  writer_.continue_after_header(plan.headers.size());
}

ScoredCsvPart::~ScoredCsvPart() = default;

void ScoredCsvPart::feed(std::string_view bytes) { tokenizer_.feed(bytes, *sink_); }

void ScoredCsvPart::finish() {
  tokenizer_.finish(*sink_);
  writer_.flush();
}

}  // namespace leadscore
