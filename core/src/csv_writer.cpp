#include "leadscore/csv_writer.hpp"

#include <algorithm>

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
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' ||
                        cell[0] == '\r')) {
    return "'" + std::string(cell);
  }
  return std::string(cell);
}

ScoredCsvWriter::ScoredCsvWriter(Output output, CsvWriterOptions options)
    : output_(std::move(output)), options_(options) {
  if (options_.byte_order_mark) buffer_ = "\xEF\xBB\xBF";
}

void append_csv_cell(std::string& out, std::string_view text, char delimiter) {
  bool quote = !text.empty() && (text.front() == ' ' || text.back() == ' ');
  for (std::size_t i = 0; i < text.size() && !quote; ++i) {
    const char c = text[i];
    quote = c == delimiter || c == '"' || c == '\r' || c == '\n';
  }
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
    const std::string_view text = i < row.size() ? row[i] : std::string_view();
    if (options_.neutralize_formulas) {
      cell(neutralize_formula(text), i == 0);
    } else {
      cell(text, i == 0);
    }
  }
  cell(format_score(result.total), width_ == 0);
  cell(format_score(result.fit.score), false);
  cell(format_score(result.engagement.score), false);
  cell(temperature_name(result.temperature), false);
  cell(neutralize_formula(scorer.reasons(result)), false);
  cell(neutralize_formula(scorer.next_action(result)), false);
  for (std::size_t i = width_; i < row.size(); ++i) {
    cell(options_.neutralize_formulas ? neutralize_formula(row[i]) : std::string(row[i]), false);
  }
  end_line();
}

}  // namespace leadscore
