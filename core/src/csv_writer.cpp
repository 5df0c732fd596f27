#include "leadscore/csv_writer.hpp"

#include <algorithm>
#include <cstring>

#include "detail/byte_scan.hpp"

namespace leadscore {

std::vector<std::string> appended_column_names(const std::vector<std::string>& input_headers) {
  std::vector<std::string> names;
  auto taken = [&](const std::string& name) {
    return std::any_of(input_headers.begin(), input_headers.end(),
                       [&](const std::string& h) { return equals_ci(trim(h), name); });
  };
  for (const char* base :
       {"lead_score", "lead_fit", "lead_engagement", "lead_temperature", "lead_reasons", "lead_next_action"}) {
    std::string name = base;
    for (int k = 2; taken(name); ++k) name = std::string(base) + "_" + std::to_string(k);
    names.push_back(name);
  }
  return names;
}

namespace {

/// Whether a cell needs quotes: it holds the delimiter, a quote or a line break, or starts or ends
/// with a space (kept only when quoted). After an apostrophe, its first byte is not the cell's.
bool needs_quotes(std::string_view text, char delimiter, bool apostrophe) {
  const char* end = text.data() + text.size();
  return !text.empty() && ((!apostrophe && text.front() == ' ') || text.back() == ' ' ||
                           detail::find_any(text.data(), end, delimiter, '"', '\r', '\n') != end);
}

/// `text` as a cell at `out` (at most 2 * size + 3 bytes): with `apostrophe` a ' first (the
/// formula made safe); when `quote`, quoted with each quote doubled. Returns the end.
char* write_cell(char* out, std::string_view text, bool apostrophe, bool quote) {
  if (quote) *out++ = '"';
  if (apostrophe) *out++ = '\'';
  if (!quote) {
    if (!text.empty()) std::memcpy(out, text.data(), text.size());
    return out + text.size();
  }
  // The runs between quotes are copied whole: a reason list of 500 bytes may hold no quote at all.
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    const char* const found = detail::find_any(p, end, '"', '"', '"', '"');
    const char* const run_end = found < end ? found + 1 : end;
    std::memcpy(out, p, static_cast<std::size_t>(run_end - p));
    out += run_end - p;
    if (found < end) *out++ = '"';
    p = run_end;
  }
  *out++ = '"';
  return out;
}

}  // namespace

void append_csv_cell(std::string& out, std::string_view text, char delimiter) {
  const std::size_t at = out.size();
  out.resize(at + 2 * text.size() + 3);
  char* end = write_cell(&out[at], text, false, needs_quotes(text, delimiter, false));
  out.resize(static_cast<std::size_t>(end - out.data()));
}

ScoredCsvWriter::ScoredCsvWriter(Output output, CsvWriterOptions options)
    : output_(std::move(output)), options_(options) {
  if (options_.byte_order_mark) {
    std::memcpy(room(3), "\xEF\xBB\xBF", 3);
    used_ = 3;
  }
}

char* ScoredCsvWriter::room(std::size_t bytes) {
  if (used_ + bytes + 16 > buffer_.size()) buffer_.resize(std::max(2 * buffer_.size(), used_ + bytes + 16));
  return buffer_.data() + used_;
}

void ScoredCsvWriter::cell(std::string_view text, bool first, bool neutralize) {
  const bool apostrophe = neutralize && starts_formula(text);
  char* out = room(2 * text.size() + 4);
  if (!first) *out++ = options_.delimiter;
  out = write_cell(out, text, apostrophe, needs_quotes(text, options_.delimiter, apostrophe));
  used_ = static_cast<std::size_t>(out - buffer_.data());
}

void ScoredCsvWriter::original_cells(const CsvRecord& row, std::size_t from, std::size_t to, bool first) {
  if (from >= to) return;
  // Most cells need neither quotes nor an apostrophe. The bytes that force quotes are looked for
  // once in the whole row, and plain cells are copied 16 bytes at a time (the row's text may be
  // read 16 bytes past its end, the buffer has 16 spare).
  const char d = options_.delimiter;
  const char* const text = row.text().data();
  std::size_t at = from == 0 ? 0 : row.cell_end(from - 1);
  const char* const end = text + row.cell_end(to - 1);
  char* out = room(2 * static_cast<std::size_t>(end - text - at) + 4 * (to - from));
  const char* special = detail::find_any(text + at, end, d, '"', '\r', '\n');
  for (std::size_t i = from; i < to; ++i) {
    const std::size_t cell_end = row.cell_end(i);
    const std::string_view cell(text + at, cell_end - at);
    if (!first || i > from) *out++ = d;
    const bool holds_special = special < text + cell_end;
    if (holds_special) special = detail::find_any(text + cell_end, end, d, '"', '\r', '\n');
    const bool apostrophe = options_.neutralize_formulas && starts_formula(cell);
    const bool quote = !cell.empty() && (holds_special || cell.back() == ' ' || (!apostrophe && cell.front() == ' '));
    if (quote || apostrophe) {
      out = write_cell(out, cell, apostrophe, quote);
    } else {
      for (std::size_t k = 0; k < cell.size(); k += 16) std::memcpy(out + k, cell.data() + k, 16);
      out += cell.size();
    }
    at = cell_end;
  }
  used_ = static_cast<std::size_t>(out - buffer_.data());
}

void ScoredCsvWriter::end_line() {
  std::memcpy(room(2), "\r\n", 2);
  used_ += 2;
  if (used_ >= options_.part_bytes) flush();
}

void ScoredCsvWriter::flush() {
  if (used_ == 0) return;
  output_(std::string_view(buffer_.data(), used_));
  used_ = 0;
}

void ScoredCsvWriter::on_header(const CsvRecord& header, const Scorer& /*scorer*/) {
  width_ = header.size();
  std::vector<std::string> originals;
  for (std::size_t i = 0; i < header.size(); ++i) originals.emplace_back(header[i]);
  original_cells(header, 0, width_, true);
  const auto names = appended_column_names(originals);
  for (std::size_t i = 0; i < names.size(); ++i) cell(names[i], width_ == 0 && i == 0);
  end_line();
}

void ScoredCsvWriter::on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) {
  // The header's columns first (a short row gets empty cells so the columns line up), then ours,
  // then any cells past the header's width: nothing is dropped.
  const std::size_t given = std::min(row.size(), width_);
  original_cells(row, 0, given, true);
  char* out = room(width_ - given);
  for (std::size_t i = given; i < width_; ++i) {
    if (i > 0) *out++ = options_.delimiter;
  }
  used_ = static_cast<std::size_t>(out - buffer_.data());
  out = room(3 * 25);
  bool first = width_ == 0;
  for (const double score : {result.total, result.fit.score, result.engagement.score}) {
    if (!first) *out++ = options_.delimiter;
    first = false;
    out = write_score(out, score);
  }
  used_ = static_cast<std::size_t>(out - buffer_.data());
  cell(temperature_name(result.temperature), false);
  text_.clear();
  scorer.append_reasons(result, text_);
  cell(text_, false, true);
  text_.clear();
  scorer.append_next_action(result, text_);
  cell(text_, false, true);
  original_cells(row, width_, row.size(), false);
  end_line();
}

}  // namespace leadscore
