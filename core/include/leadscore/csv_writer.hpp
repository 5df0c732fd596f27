#pragma once
/// The scored CSV: every input row, in order, with its original cells unchanged, then lead_score,
/// lead_fit, lead_engagement, lead_temperature, lead_reasons and lead_next_action. Written in parts
/// through a callback, so no single buffer holds the whole file.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/session.hpp"

namespace leadscore {

struct CsvWriterOptions {
  char delimiter = ',';
  /// Also prefix original cells that start with = + - @ TAB or CR with ' (spreadsheet formula
  /// injection). Appended cells are always made safe.
  bool neutralize_formulas = false;
  /// Start with a UTF-8 byte-order mark (what Excel needs to read UTF-8).
  bool byte_order_mark = false;
  /// Bytes collected before a part is handed to the output.
  std::size_t part_bytes = 1 << 20;
};

/// Names of the appended columns, renamed with a suffix when the input has them already.
std::vector<std::string> appended_column_names(const std::vector<std::string>& input_headers);

/// Appends `text` as one CSV cell: quoted (quotes doubled) when it holds the delimiter, a quote, a
/// line break, or leading/trailing spaces.
void append_csv_cell(std::string& out, std::string_view text, char delimiter);

/// Whether a spreadsheet may read `cell` as a formula: it starts with = + - @ TAB or CR.
inline bool starts_formula(std::string_view cell) noexcept {
  return !cell.empty() &&
         (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r');
}

class ScoredCsvWriter final : public ScoredRowSink {
 public:
  using Output = std::function<void(std::string_view part)>;
  ScoredCsvWriter(Output output, CsvWriterOptions options);

  void on_header(const CsvRecord& header, const Scorer& scorer) override;
  /// Instead of on_header: the rows continue a CSV whose header (written elsewhere) has `fields`
  /// cells, so they line up with it.
  void continue_after_header(std::size_t fields) noexcept { width_ = fields; }
  void on_row(const CsvRecord& row, const ScoreResult& result, Scorer& scorer) override;
  Scorer::Detail detail() const override { return Scorer::Detail::Reasons; }
  /// Hands over what is still buffered. Call once at the end.
  void flush();

 private:
  /// Room for `bytes` more at the end of the buffer, and 16 spare after them.
  char* room(std::size_t bytes);
  /// A cell (a delimiter first unless `first`); with `neutralize`, `'`-prefixed when a spreadsheet
  /// would read it as a formula.
  void cell(std::string_view text, bool first, bool neutralize = false);
  /// The row's cells [from, to), a delimiter before each but the first when `first`.
  void original_cells(const CsvRecord& row, std::size_t from, std::size_t to, bool first);
  void end_line();

  Output output_;
  CsvWriterOptions options_;
  std::vector<char> buffer_;  // [0, used_) is waiting for the output
  std::size_t used_ = 0;
  std::size_t width_ = 0;
  std::string text_;  // a row's reasons or next action, reused
};

}  // namespace leadscore
