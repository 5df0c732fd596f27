#pragma once
/// Errors and row issues: one code list with stable string ids, as values rather than exceptions.

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace leadscore {

/// Every problem the core reports. The string id (`error_id`) is stable; messages may be reworded.
enum class ErrorCode {
  // Whole-file problems: the input cannot be read as a lead list.
  CsvEmpty,     ///< csv.empty
  CsvNotText,   ///< csv.not_text: binary data, a spreadsheet, an archive...
  CsvNoHeader,  ///< csv.no_header
  // Row problems: the row is kept and the issue reported with its line.
  CsvRaggedRowShort,     ///< csv.too_few_fields
  CsvRaggedRowLong,      ///< csv.too_many_fields
  CsvStrayQuote,         ///< csv.stray_quote: a quote inside an unquoted field
  CsvTextAfterQuote,     ///< csv.text_after_quote: `"abc"def`
  CsvUnterminatedQuote,  ///< csv.unterminated_quote
  CsvInvalidUtf8,        ///< csv.invalid_utf8: bytes read as Windows-1252
  CsvEmptyHeader,        ///< csv.empty_header: renamed column_N
  CsvDuplicateHeader,    ///< csv.duplicate_header: renamed Name_2...
  // Workbook problems: an .xlsx read in place of a CSV.
  WorkbookUnsupported,  ///< workbook.unsupported: .xls, .xlsb, .ods, .numbers, a password
  WorkbookCorrupt,      ///< workbook.corrupt: a damaged ZIP archive or worksheet
  WorkbookTooLarge,     ///< workbook.too_large: past a limit of docs/limits.md (a ZIP bomb...)
  WorkbookNoSheet,      ///< workbook.no_sheet: no worksheet, or not the one asked for
  // Model problems, each with the JSON path of the offending value.
  ModelInvalidJson,   ///< model.invalid_json
  ModelTypeMismatch,  ///< model.type_mismatch
  ModelUnknownKey,    ///< model.unknown_key
  ModelMissingKey,    ///< model.missing_key
  ModelInvalidValue,  ///< model.invalid_value
  ModelUnknownField,  ///< model.unknown_field
  // Export problems.
  SqlUnsupported,  ///< sql.unsupported: the SQL dialect cannot express the model exactly
  // Usage problems (CLI and API arguments).
  InvalidArgument,  ///< usage.invalid_argument
  IoError,          ///< io.error
  OutOfMemory,      ///< memory.exhausted: the list needs more memory than there is
  Internal,         ///< internal: a defect; the message says what failed
};

/// The stable dotted id of a code, e.g. "csv.unterminated_quote".
const char* error_id(ErrorCode code) noexcept;

/// A problem with where it is: `line`/`column` (1-based, 0 = unknown) in a CSV or JSON text,
/// `json_path` a JSON pointer into the model ("/fit/rules/2/points").
struct Error {
  ErrorCode code = ErrorCode::InvalidArgument;
  std::string message;
  std::int64_t line = 0;
  std::int64_t column = 0;
  std::string json_path;

  /// "model.type_mismatch at /fit/rules/2/points: expected a number" (the form the CLI prints).
  std::string to_string() const;
};

/// A value or an Error. Small on purpose: `ok()`, `value()`, `error()`.
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

/// The value-less result of an operation that can fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace leadscore
