#include "leadscore/error.hpp"

namespace leadscore {

const char* error_id(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::CsvEmpty: return "csv.empty";
    case ErrorCode::CsvNotText: return "csv.not_text";
    case ErrorCode::CsvNoHeader: return "csv.no_header";
    case ErrorCode::CsvRaggedRowShort: return "csv.too_few_fields";
    case ErrorCode::CsvRaggedRowLong: return "csv.too_many_fields";
    case ErrorCode::CsvStrayQuote: return "csv.stray_quote";
    case ErrorCode::CsvTextAfterQuote: return "csv.text_after_quote";
    case ErrorCode::CsvUnterminatedQuote: return "csv.unterminated_quote";
    case ErrorCode::CsvInvalidUtf8: return "csv.invalid_utf8";
    case ErrorCode::CsvEmptyHeader: return "csv.empty_header";
    case ErrorCode::CsvDuplicateHeader: return "csv.duplicate_header";
    case ErrorCode::WorkbookUnsupported: return "workbook.unsupported";
    case ErrorCode::WorkbookCorrupt: return "workbook.corrupt";
    case ErrorCode::WorkbookTooLarge: return "workbook.too_large";
    case ErrorCode::WorkbookNoSheet: return "workbook.no_sheet";
    case ErrorCode::ModelInvalidJson: return "model.invalid_json";
    case ErrorCode::ModelTypeMismatch: return "model.type_mismatch";
    case ErrorCode::ModelUnknownKey: return "model.unknown_key";
    case ErrorCode::ModelMissingKey: return "model.missing_key";
    case ErrorCode::ModelInvalidValue: return "model.invalid_value";
    case ErrorCode::ModelUnknownField: return "model.unknown_field";
    case ErrorCode::SqlUnsupported: return "sql.unsupported";
    case ErrorCode::InvalidArgument: return "usage.invalid_argument";
    case ErrorCode::IoError: return "io.error";
    case ErrorCode::OutOfMemory: return "memory.exhausted";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

std::string Error::to_string() const {
  std::string out = error_id(code);
  if (!json_path.empty()) {
    out += " at " + json_path;
  } else if (line > 0) {
    out += " at line " + std::to_string(line);
    if (column > 0) out += ", column " + std::to_string(column);
  }
  out += ": ";
  out += message;
  return out;
}

}  // namespace leadscore
