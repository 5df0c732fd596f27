#include "leadscore/csv_writer.hpp"

#include <algorithm>

#include "detail/byte_scan.hpp"

namespace leadscore {

std::vector<std::string> appended_column_names(const std::vector<std::string>& input_headers) {
  std::vector<std::string> names;
  auto taken = [&](const std::string& name) {
    return std::any_of(input_headers.begin(), input_headers.end(), [&](const std::string& h) { return equals_ci(trim(h), name); });
  };
  for (const char* base : {"lead_score", "lead_fit", "lead_engagement", "lead_temperature", "lead_reasons",
                           "lead_next_action"}) {
    std::string name = base;
    for (int k = 2; taken(name); ++k) name = std::string(base) + "_" + std::to_string(k);
    names.push_back(name);
  }
  return names;
}

std::string neutralize_formula(std::string_view cell) {
  return starts_formula(cell) ? "'" + std::string(cell) : std::string(cell);
}

ScoredCsvWriter::ScoredCsvWriter(Output output, CsvWriterOptions options)
    : output_(std::move(output)), options_(options) {
  if (options_.byte_order_mark) buffer_ = "\xEF\xBB\xBF";
}

void append_csv_cell(std::string& out, std::string_view text, char delimiter) {
  const char* end = text.data() + text.size();
  const bool quote = !text.empty() && (text.front() == ' ' || text.back() == ' ' ||
                                       detail::find_any(text.data(), end, delimiter, '"', '\r', '\n') != end);
  if (!quote) {
    out.append(text);
    return;
  }
  // Quoted, with each quote doubled; appended run by run.
  out.push_back('"');
  std::size_t start = 0;
  for (std::size_t q = text.find('"'); q != std::string_view::npos; q = text.find('"', q + 1)) {
    out.append(text.substr(start, q + 1 - start));
    out.push_back('"');
    start = q + 1;
  }
  out.append(text.substr(start));
  out.push_back('"');
}

void ScoredCsvWriter::cell(std::string_view text, bool first) {
  if (!first) buffer_.push_back(options_.delimiter);
  append_csv_cell(buffer_, text, options_.delimiter);
}

void ScoredCsvWriter::end_line() {
  buffer_ += "\r\n";
  if (buffer_.size() >= options_.part_bytes) flush();
}

void ScoredCsvWriter::flush() {
  if (buffer_.empty()) return;
  output_(buffer_);
  buffer_.clear();
}

void ScoredCsvWriter::on_header(const CsvRecord& header, const Scorer& /*scorer*/) {
  width_ = header.size();
  std::vector<std::string> originals;
  for (std::size_t i = 0; i < header.size(); ++i) {
    originals.emplace_back(header[i]);
    cell(options_.neutralize_formulas ? neutralize_formula(header[i]) : std::string(header[i]), i == 0);
  }
  const auto names = appended_column_names(originals);
  for (std::size_t i = 0; i < names.size(); ++i) cell(names[i], width_ == 0 && i == 0);
  end_line();
}

void ScoredCsvWriter::on_row(const CsvRecord& row, const ScoreResult& result, const Scorer& scorer) {
  // The header's columns first (a short row gets empty cells so the columns line up), then ours,
  // then any cells past the header's width: nothing is dropped.
  for (std::size_t i = 0; i < width_; ++i) {
    safe_cell(i < row.size() ? row[i] : std::string_view(), i == 0, options_.neutralize_formulas);
  }
  cell(format_score(result.total), width_ == 0);
  cell(format_score(result.fit.score), false);
  cell(format_score(result.engagement.score), false);
  cell(temperature_name(result.temperature), false);
  safe_cell(scorer.reasons(result), false, true);
  safe_cell(scorer.next_action(result), false, true);
  for (std::size_t i = width_; i < row.size(); ++i) safe_cell(row[i], false, options_.neutralize_formulas);
  end_line();
}

void ScoredCsvWriter::safe_cell(std::string_view text, bool first, bool neutralize) {
  // Only a cell that would start a formula is copied (to put the apostrophe in front).
  if (neutralize && starts_formula(text)) {
    cell(neutralize_formula(text), first);
  } else {
    cell(text, first);
  }
}

}  // namespace leadscore
