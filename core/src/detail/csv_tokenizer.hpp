#pragma once
/// The RFC 4180 state machine behind CsvReader, over UTF-8 text whose delimiter is known: the
/// reader feeds it decoded text, and a list re-reads its rows with it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "leadscore/csv_reader.hpp"

namespace leadscore::detail {

/// The RFC 4180 state machine over UTF-8 text, usable on its own when encoding and delimiter are
/// known. Lenient like real exports need: stray quotes, text after a closing quote, ragged rows and
/// unterminated quotes are kept and reported; empty lines are skipped.
class CsvTokenizer {
 public:
  /// `expected_fields`: the header's field count when reading rows after it (0: the first record's).
  explicit CsvTokenizer(char delimiter, std::size_t expected_fields = 0);
  void feed(std::string_view text, CsvSink& sink);
  void finish(CsvSink& sink);
  /// The physical line the reader is on (1-based).
  std::int64_t line() const noexcept { return line_; }
  /// Records delivered so far, the header included.
  std::int64_t records() const noexcept { return records_; }

 private:
  enum class State { RecordStart, FieldStart, Unquoted, Quoted, QuoteInQuoted };
  // A quoted field holds at most this many line breaks and bytes; past that (or at the end of the
  // input) its quote is taken for a broken one: the text after it is read again, unquoted.
  static constexpr std::int64_t kMaxQuotedLineBreaks = 10000;
  static constexpr std::size_t kMaxQuotedFieldBytes = 16u << 20;
  void scan_piece(std::string_view text, CsvSink& sink);
  void scan(std::string_view text, CsvSink& sink);
  bool quote_runs_too_long() const noexcept;
  // Reports the broken quote and rewinds to just after it; returns where to go on in `text` (the
  // piece being scanned; empty at the end of the input).
  const char* reread_broken_quote(CsvSink& sink, std::string_view why, std::string_view text = {});
  // Consecutive unquoted fields from 64-byte masks; true when it left the state machine a new
  // state at `p`, false when the text left is too short (then `p` is the first byte not copied).
  bool scan_plain_fields(const char*& p, const char*& run, const char* end, CsvSink& sink);
  void report_stray_quote(CsvSink& sink);
  // `at`: where in `text` (the piece being scanned) the record or the quote is.
  void start_record(const char* at, std::string_view text);
  void open_quote(const char* at, std::string_view text);
  // The byte after a quote inside a quoted field: an escaped quote, the field's end, or text after
  // it. Inlined: most rows have a quoted field.
  [[gnu::always_inline]] inline void after_quote(char c, CsvSink& sink);
  void end_field();
  void end_record(CsvSink& sink);
  void end_line(char c, CsvSink& sink);  // a line break ends the field, the record and the line
  void report(CsvSink& sink, ErrorCode code, std::int64_t line, std::string message);
  void new_line(char c);

  char delimiter_;
  State state_ = State::RecordStart;
  CsvRecord record_;
  std::int64_t line_ = 1;
  std::int64_t quote_line_ = 0;        // where the open quote of the current field started
  std::uint64_t quote_offset_ = 0;     // its decoded offset
  std::size_t quote_used_ = 0;         // the record's bytes before the field
  const char* quote_begin_ = nullptr;  // just after it, when it is in the piece being scanned
  std::string quoted_text_;            // the field's text from earlier pieces
  bool skip_lf_ = false;               // a CR ended a line; swallow a following LF
  bool quoted_cr_ = false;             // a CR inside quotes; a following LF is the same line break
  bool record_had_quote_ = false;
  bool stray_quote_reported_ = false;
  bool text_after_quote_reported_ = false;
  std::size_t expected_fields_ = 0;  // fields in the first record
  std::int64_t records_ = 0;
  std::uint64_t consumed_ = 0;  // decoded bytes fed before the current piece
};

}  // namespace leadscore::detail
