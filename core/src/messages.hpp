#pragma once
/// Every text a user reads about a file and its leads, in one place: what stopped a file from
/// being read, the issues of its header and rows, and what a scored lead carries (the reasons, the
/// next action and why a hot score was held back). The scorer writes the lead's texts and the SQL
/// compiler spells the same pieces in SQL, so a change here changes both alike.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "leadscore/numbers.hpp"

namespace leadscore::messages {

// A file that cannot be read as a list.
inline constexpr std::string_view kEmptyFile = "The file is empty (0 bytes).";
inline constexpr std::string_view kNoData = "The file has no data: it is empty or holds only blank lines.";
/// `looks_like`: what the file's first bytes say it is ("an Excel workbook (.xlsx)"...).
inline std::string not_a_csv(std::string_view looks_like) {
  std::string out = "This is not a CSV file: it looks like ";
  out.append(looks_like).append(". Export or save the list as CSV (comma- or semicolon-separated text) and try again.");
  return out;
}

// Spreadsheets in formats the workbook reader does not take, and how to save them as one it does.
inline constexpr std::string_view kOldOrLockedWorkbook =
    "an old Excel workbook (.xls) or a password-protected workbook. Open it in Excel or LibreOffice, remove any "
    "password (File > Info > Protect Workbook), and save it as Excel Workbook (.xlsx) or CSV UTF-8";
inline constexpr std::string_view kBinaryWorkbook =
    "an Excel binary workbook (.xlsb). Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8";
inline constexpr std::string_view kOpenDocument =
    "an OpenDocument spreadsheet (.ods). Open it in LibreOffice or Excel and save it as Excel Workbook (.xlsx) or "
    "CSV UTF-8";
inline constexpr std::string_view kNumbers =
    "an Apple Numbers spreadsheet (.numbers). In Numbers, choose File > Export To > Excel (or CSV) and use that file";
inline constexpr std::string_view kEncryptedParts = "a workbook with encrypted parts. Save it again without a password";

// A ZIP archive that holds no workbook: `what` it holds ("a Word document"), or "" when it is a
// plain archive.
inline std::string archive_not_a_list(std::string_view what) {
  if (what.empty())
    return "This file is a ZIP archive, not a lead list. Unpack it, or export or save the list as CSV or Excel "
           "Workbook (.xlsx).";
  std::string out = "This file is ";
  out.append(what).append(", not a lead list. Export or save the list as CSV or Excel Workbook (.xlsx).");
  return out;
}

// A worksheet with no row.
inline std::string empty_sheet(std::string_view sheet) {
  std::string out = "Sheet \"";
  out.append(sheet).append("\" of the workbook is empty: choose the sheet that holds the list.");
  return out;
}

// A workbook this reader does not take (`what` says which, and how to save it as one it does).
inline std::string unsupported_workbook(std::string_view what) {
  std::string out = "This file is ";
  out.append(what).append(".");
  return out;
}

// A workbook that cannot be read as it is.
inline std::string damaged_workbook(std::string_view what) {
  std::string out = "The workbook is damaged: ";
  out.append(what).append(". Open it in Excel or LibreOffice and save it again, or save it as CSV.");
  return out;
}

// A workbook past a limit of docs/limits.md.
inline std::string oversized_workbook(std::string_view part, std::string_view what) {
  std::string out = "The workbook's part ";
  out.append(part).append(" ").append(what).append(
      ", past what a lead list needs (see the limits). It is refused as a ZIP bomb; if it is a real list, save it "
      "as CSV.");
  return out;
}

// Which sheet of a workbook was read, and what of it was left out.
inline std::string workbook_note(std::string_view sheet, std::int64_t worksheets, std::int64_t header_row,
                                 std::int64_t rows_above_header, std::int64_t total_rows) {
  std::string out = "Sheet \"";
  out.append(sheet).append("\"");
  if (worksheets > 1) out.append(" (one of ").append(std::to_string(worksheets)).append(" worksheets)");
  out.append(".");
  if (rows_above_header > 0) {
    out.append(" The header is on row ").append(std::to_string(header_row)).append(": the ");
    out.append(rows_above_header == 1 ? "row" : std::to_string(rows_above_header) + " rows");
    out.append(" above it (a report's title and filters) ")
        .append(rows_above_header == 1 ? "was" : "were")
        .append(" left out.");
  }
  if (total_rows > 0) {
    out.append(" ").append(std::to_string(total_rows)).append(total_rows == 1 ? " row" : " rows");
    out.append(" of totals or a report's footer ").append(total_rows == 1 ? "was" : "were").append(" left out.");
  }
  return out;
}

// The issues of a header and its rows, kept next to them; the reader puts "Line N: " before the
// row's.
inline std::string not_utf8(std::int64_t line) {
  return "Line " + std::to_string(line) + " has bytes that are not valid UTF-8; they were read as Windows-1252.";
}
inline std::string unnamed_column(std::size_t number, std::string_view called) {
  std::string out = "Column " + std::to_string(number) + " has no name; it is called \"";
  out.append(called).append("\".");
  return out;
}
inline std::string repeated_column(std::size_t number, std::string_view name, std::string_view called) {
  std::string out = "Column " + std::to_string(number) + " repeats the name \"";
  out.append(name).append("\"; it is called \"").append(called).append("\".");
  return out;
}
/// A row whose field count is not the header's.
inline std::string ragged_row(std::size_t fields, std::size_t header_fields) {
  return "has " + std::to_string(fields) + " fields where the header has " + std::to_string(header_fields) +
         (fields < header_fields ? "; the missing cells are read as empty."
                                 : "; the extra cells are kept after the last column.");
}
inline constexpr std::string_view kStrayQuote = "a quote inside an unquoted field was kept as a character.";
inline constexpr std::string_view kTextAfterQuote = "text follows a closing quote; it was kept as part of the field.";
// Why a field's opening quote was taken for a broken one (the tokenizer's limits, spelled out).
inline constexpr std::string_view kQuoteOverBytes = "a quoted field opened here runs over 16 MiB without closing";
inline constexpr std::string_view kQuoteOverLines = "a quoted field opened here runs over 10,000 lines without closing";
inline constexpr std::string_view kQuoteNeverClosed = "a quoted field opened here is never closed";
inline std::string broken_quote(std::string_view why) {
  std::string out(why);
  out.append("; its quote was read as a character and the lines after it as rows.");
  return out;
}

// A lead's reasons: "Disqualified: <reason>; Held back from hot: <why>; <label> (<points>[, no
// value][, capped][, decayed x0.50]); ..." in order of impact.
inline constexpr std::string_view kDisqualified = "Disqualified: ";
inline constexpr std::string_view kHeldBack = "Held back from hot: ";
inline constexpr std::string_view kSeparator = "; ";
inline constexpr std::string_view kPointsOpen = " (";
inline constexpr std::string_view kNoValue = ", no value";
inline constexpr std::string_view kCapped = ", capped";
inline constexpr std::string_view kDecayed = ", decayed x";
inline constexpr std::string_view kPointsClose = ")";

// The next action: the play of the lead's temperature, with its follow-up deadline, or
// "Do not pursue: <reason>" for a disqualified lead.
inline constexpr std::string_view kDoNotPursue = "Do not pursue: ";
inline constexpr std::string_view kWithinOpen = " (within ";
inline constexpr std::string_view kWithinClose = " h)";

/// Why a hot score stays warm when an axis cannot be measured at all.
inline std::string held_back_unmeasured(std::string_view axis) {
  std::string out = "hot score, but ";
  out.append(axis).append(" cannot be measured: the list has no ").append(axis).append(" columns");
  return out;
}

/// Why a hot score stays warm when an axis's score is below its minimum: `before` + the score +
/// `after` ("hot score, but fit " + "40.5" + " is below 50").
struct HeldBackBelow {
  std::string before;
  std::string after;
};
inline HeldBackBelow held_back_below(std::string_view axis, double minimum) {
  std::string before = "hot score, but ";
  before.append(axis).push_back(' ');
  return HeldBackBelow{std::move(before), " is below " + format_number(minimum)};
}

// Paths to hot, in an explanation.
inline constexpr std::string_view kActivityToday = "Any activity today (no decay)";
inline constexpr std::string_view kNoSingleAction =
    "no single engagement action is enough; the lead needs more fit or several actions";

}  // namespace leadscore::messages
