// Workbooks from any bytes: as a whole archive (read with zlib, as the CLI reads one), and as the
// XML of a sheet, its shared strings and its styles inside a valid archive, fed in chunks of every
// size. No crash, no hang, no undefined behaviour; an answer or a workbook's error, the same
// whatever the chunks; and the CSV text it gives reads back as CSV.
#include <string>

#include "fuzz_support.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/workbook.hpp"
#include "leadscore/zlib_inflate.hpp"
#include "test_support.hpp"
#include "zip_writer.hpp"

namespace {

using namespace leadscore;

bool workbook_error(const Error& e) {
  switch (e.code) {
    case ErrorCode::WorkbookCorrupt:
    case ErrorCode::WorkbookTooLarge:
    case ErrorCode::WorkbookUnsupported:
    case ErrorCode::WorkbookNoSheet:
    case ErrorCode::CsvNotText:
    case ErrorCode::CsvEmpty:  // a sheet with no row
      return true;
    default: return false;
  }
}

// Limits small enough for a fuzzer's inputs to reach them.
WorkbookOptions small_limits() {
  WorkbookOptions options;
  options.limits.max_part_bytes = 1 << 20;
  options.limits.ratio_from_bytes = 64 << 10;
  return options;
}

void check_text(const std::string& csv) {
  test_support::CsvCapture capture;
  CsvReader reader(WorkbookReader::csv_options());
  Status status = reader.feed(csv, capture);
  if (status.ok()) status = reader.finish(capture);
  fuzz::require(status.ok() || status.error().code == ErrorCode::CsvEmpty, "a workbook's CSV text does not read back");
}

// The parts of the stored archive, each fed in chunks that `seed` cuts.
Result<std::string> read_in_chunks(const std::string& archive, std::uint8_t seed) {
  WorkbookReader reader(small_limits());
  const std::size_t tail = std::min<std::size_t>(archive.size(), kZipTailBytes);
  Result<ZipDirectoryPlace> place =
      find_zip_directory(std::string_view(archive).substr(archive.size() - tail), archive.size());
  fuzz::require(place.ok(), "the test archive has no directory");
  Result<std::vector<ZipEntry>> entries =
      read_zip_directory(std::string_view(archive).substr(place.value().offset, place.value().size));
  fuzz::require(entries.ok(), "the test archive's directory is not read");
  Status status = reader.open(std::move(entries).value());
  std::string csv;
  while (status.ok()) {
    const ZipEntry* part = reader.next_part();
    if (!part) break;
    const std::uint64_t start =
        part->header_offset + zip_data_offset(std::string_view(archive).substr(part->header_offset)).value();
    const std::string data = archive.substr(start, part->compressed_size);
    for (std::string_view chunk : fuzz::cut(data, seed)) {
      status = reader.feed(chunk, csv);
      if (!status.ok()) break;
    }
    if (status.ok()) status = reader.end_part(csv);
  }
  if (!status.ok()) return status.error();
  return csv;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    // A whole archive, deflated parts and all.
    WorkbookReader reader(small_limits());
    std::string csv;
    const Status status = read_workbook(input, reader, zlib_inflate, [&](std::string_view text) -> Status {
      csv.append(text);
      return Ok{};
    });
    fuzz::require(status.ok() || workbook_error(status.error()), "an archive failed with another kind of error");
    if (status.ok()) check_text(csv);
    return 0;
  }
  // The sheet, the shared strings and the styles, split at NUL bytes, in a valid archive.
  std::string parts[3];
  std::size_t which = 0;
  for (char c : input) {
    if (c == '\0' && which < 2)
      ++which;
    else
      parts[which] += c;
  }
  const std::string archive = test_support::zip({
      {"[Content_Types].xml",
       "<Types><Override PartName=\"/xl/workbook.xml\" "
       "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>"},
      {"xl/workbook.xml", "<workbook><sheets><sheet name=\"Leads\" r:id=\"r1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"r1\" Type=\"x/worksheet\" Target=\"sheet.xml\"/>"
       "<Relationship Id=\"r2\" Type=\"x/sharedStrings\" Target=\"strings.xml\"/>"
       "<Relationship Id=\"r3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>"},
      {"xl/styles.xml", parts[2]},
      {"xl/strings.xml", parts[1]},
      {"xl/sheet.xml", parts[0]},
  });
  // Whole, then in chunks: the same answer.
  WorkbookReader reader(small_limits());
  std::string whole;
  const Status status = read_workbook(archive, reader, zlib_inflate, [&](std::string_view text) -> Status {
    whole.append(text);
    return Ok{};
  });
  fuzz::require(status.ok() || workbook_error(status.error()), "a sheet failed with another kind of error");
  const Result<std::string> chunked = read_in_chunks(archive, data[0]);
  fuzz::require(chunked.ok() == status.ok(), "chunks change whether a workbook reads");
  if (status.ok()) {
    fuzz::require(chunked.value() == whole, "chunks change a workbook's CSV text");
    check_text(whole);
  } else {
    fuzz::require(chunked.error().code == status.error().code, "chunks change a workbook's error");
  }
  return 0;
}
