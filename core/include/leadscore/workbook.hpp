#pragma once
/// Excel workbooks (.xlsx, .xlsm) read as lead lists: one worksheet becomes CSV text (UTF-8,
/// comma, one line per sheet row) that the CSV reader then reads like any other list.
///
/// A workbook is a ZIP archive whose directory sits at its end, and its parts are deflated. The
/// core reads the directory and the XML; inflating is the caller's (zlib natively, the browser's
/// DecompressionStream in the page), so the core stays free of a compression library. The caller
/// asks `WorkbookReader::next_part` which archive entry to inflate next and feeds its bytes; the
/// reader checks every limit on what it is fed, so both callers share them.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "leadscore/csv_reader.hpp"
#include "leadscore/error.hpp"

namespace leadscore {

/// What a workbook may inflate to (docs/limits.md): past these it is refused as a ZIP bomb.
struct WorkbookLimits {
  /// One part (a worksheet's XML, the shared strings) inflated.
  std::uint64_t max_part_bytes = std::uint64_t{2} << 30;
  /// Inflated bytes per compressed byte, checked once a part is past `ratio_from_bytes`: a
  /// worksheet compresses 5-30 times, a bomb about 1,000.
  std::uint64_t max_ratio = 200;
  std::uint64_t ratio_from_bytes = std::uint64_t{16} << 20;
};

/// One file in the ZIP archive, from its central directory.
struct ZipEntry {
  std::string name;
  std::uint64_t header_offset = 0;    ///< where its local header starts in the archive
  std::uint64_t compressed_size = 0;  ///< its bytes in the archive
  std::uint64_t size = 0;             ///< inflated, as the directory says (checked while inflating)
  std::uint16_t method = 0;           ///< 0 stored, 8 deflated
  bool encrypted = false;
};

/// How many bytes at the end of an archive hold the record that locates its directory.
inline constexpr std::uint64_t kZipTailBytes = 65536 + 22 + 20;
/// How many bytes of a local header `zip_data_offset` needs.
inline constexpr std::uint64_t kZipLocalHeaderBytes = 30;

/// Whether `prefix` (the first bytes of a file) starts like a ZIP archive.
bool looks_like_zip(std::string_view prefix) noexcept;

/// What is not a workbook this reader takes but is one all the same (an old .xls, a
/// password-protected workbook), with how to save it as one; empty otherwise.
std::string other_workbook_kind(std::string_view prefix);

/// Where the central directory is, from the last min(kZipTailBytes, size) bytes of the archive.
struct ZipDirectoryPlace {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};
Result<ZipDirectoryPlace> find_zip_directory(std::string_view tail, std::uint64_t archive_size);
/// The entries of a central directory (the bytes at ZipDirectoryPlace).
Result<std::vector<ZipEntry>> read_zip_directory(std::string_view directory);
/// How far past its local header an entry's data starts, from the header's first 30 bytes.
Result<std::uint64_t> zip_data_offset(std::string_view local_header);

/// A sheet of the workbook, in tab order.
struct SheetInfo {
  std::string name;
  bool visible = true;
  bool worksheet = true;  ///< false for a chart sheet
  std::string part;       ///< its entry in the archive
};

struct WorkbookOptions {
  /// A sheet's name or its 1-based place among the tabs; empty: the first visible worksheet.
  std::string sheet;
  /// Only find the sheets (`sheets()`), read none.
  bool sheets_only = false;
  WorkbookLimits limits;
};

/// What reading the sheet found, for the summary.
struct WorkbookFacts {
  std::string sheet;                   ///< the sheet read
  std::int64_t sheet_count = 0;        ///< worksheets in the workbook
  std::int64_t header_row = 0;         ///< the sheet row taken as the header (1-based)
  std::int64_t rows_above_header = 0;  ///< non-empty rows above it: a report's title and filters
  std::int64_t total_rows = 0;         ///< rows of totals and a report's footer, left out
  std::int64_t shared_strings = 0;
  std::uint64_t shared_string_bytes = 0;  ///< what the shared-strings table holds in memory
  bool date1904 = false;
};

/// {"sheet", "worksheets", "header_row", "rows_above_header", "total_rows", "shared_strings",
///  "shared_string_bytes", "date_system": 1900 or 1904, "note": the facts in words}: as the
///  summary carries them.
nlohmann::ordered_json workbook_json(const WorkbookFacts& facts);

/// Reads one worksheet of a workbook into CSV text.
///
///     WorkbookReader reader(options);
///     reader.open(entries);                   // the central directory
///     while (const ZipEntry* part = reader.next_part()) {
///       for each inflated chunk of *part: reader.feed(chunk, csv)   // csv text is appended
///       reader.end_part(csv);
///     }
///
/// The CSV text is read with `csv_options()`. Rows above a report's header (its title and
/// filters) and its total rows become blank lines, so each CSV line is the sheet's row of that
/// number, unless a cell above holds a line break.
class WorkbookReader {
 public:
  explicit WorkbookReader(WorkbookOptions options = {});
  ~WorkbookReader();
  WorkbookReader(const WorkbookReader&) = delete;
  WorkbookReader& operator=(const WorkbookReader&) = delete;

  /// Takes the archive's directory; an error when the archive is no workbook this reader reads.
  Status open(std::vector<ZipEntry> entries);
  /// The entry to inflate and feed next; null when the sheet has been read (or an error ended it).
  const ZipEntry* next_part() const;
  /// `compressed_read`: the part's bytes inflated so far, when the caller knows (a bomb is then
  /// seen early); 0 compares with the part's whole size in the archive.
  Status feed(std::string_view inflated, std::string& csv, std::uint64_t compressed_read = 0);
  Status end_part(std::string& csv);

  /// The workbook's sheets, once its parts naming them were read.
  const std::vector<SheetInfo>& sheets() const noexcept;
  /// The archive's entry of that name (a sheet's `part`), or null.
  const ZipEntry* entry(std::string_view name) const;
  const WorkbookFacts& facts() const noexcept;
  /// How the CSV text it writes is to be read.
  static CsvOptions csv_options();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Receives bytes: a part's inflated bytes, or the CSV text of a sheet.
using ByteSink = std::function<Status(std::string_view)>;
/// Receives a part's inflated bytes and how many of its compressed bytes were read so far.
using InflatedSink = std::function<Status(std::string_view inflated, std::uint64_t compressed_read)>;
/// Inflates raw DEFLATE data (ZIP method 8) into `out`, in pieces.
using Inflate = std::function<Status(std::string_view deflated, const InflatedSink& out)>;

/// What a deflated part that cannot be inflated (damaged, or cut short) is reported as.
Error inflate_failure();

/// Reads the sheet `reader` was set up for from a whole archive in memory, handing its CSV text
/// to `csv` in pieces. `inflate` is needed only for deflated parts (every workbook Excel writes).
Status read_workbook(std::string_view archive, WorkbookReader& reader, const Inflate& inflate, const ByteSink& csv);

/// The rows a worksheet says it spans, from the first bytes of its XML (its `<dimension>`), or -1.
std::int64_t sheet_dimension_rows(std::string_view sheet_xml_start);

}  // namespace leadscore
