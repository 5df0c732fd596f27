#pragma once
// A workbook's numeric cell written as text, the way the same list saved as CSV would hold it.
//
// General numbers as their digits (15 significant, no trailing zeros), date serials as ISO 8601,
// and every other number format as Excel shows it in en-US: the subset of Excel's format codes
// that lists use (digits, decimals, thousands, percent, scientific, literals, sections and simple
// conditions). What is outside that subset (fractions, text sections' padding) is written as
// General rather than guessed.

#include <string>
#include <string_view>

namespace leadscore::detail {

struct NumberFormat {
  enum class Kind { General, Date, DateTime, Time, Pattern };
  Kind kind = Kind::General;
  std::string code;  ///< the format code (Pattern only)
};

/// The format of built-in id `id` (0-163) or of a custom `code` (when not empty).
NumberFormat number_format(int id, std::string_view code);

/// Appends `value` as a cell of format `format` shows it; `date1904` for the 1904 date system.
void write_number(double value, const NumberFormat& format, bool date1904, std::string& out);

/// Appends `value` as General shows it: up to 15 significant digits, no trailing zeros.
void write_general(double value, std::string& out);

/// When `text` is a plain decimal of at most 15 significant digits ("45", "-0.25", "12.50"),
/// appends it as General shows that number ("12.5") and returns true; else appends nothing.
bool write_plain_decimal(std::string_view text, std::string& out);

}  // namespace leadscore::detail
