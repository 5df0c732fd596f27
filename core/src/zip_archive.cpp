// The ZIP container of a workbook: its central directory and its entries' local headers
// (APPNOTE 6.3), with ZIP64 sizes. Only what reading a workbook's parts needs: no writing, no
// multi-disk archives; inflating is the caller's.
#include <algorithm>
#include <cstring>

#include "leadscore/workbook.hpp"
#include "messages.hpp"

namespace leadscore {

namespace {

constexpr std::uint32_t kEndSignature = 0x06054b50;
constexpr std::uint32_t kZip64EndSignature = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kEntrySignature = 0x02014b50;
constexpr std::uint32_t kLocalSignature = 0x04034b50;
constexpr std::size_t kMaxEntries = 100000;

std::uint64_t little(std::string_view bytes, std::size_t at, int width) {
  std::uint64_t value = 0;
  for (int i = width - 1; i >= 0; --i)
    value = value << 8 | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

Error damaged(const std::string& what) { return Error{ErrorCode::WorkbookCorrupt, messages::damaged_workbook(what)}; }

}  // namespace

bool looks_like_zip(std::string_view prefix) noexcept {
  return prefix.size() >= 4 && little(prefix, 0, 4) == kLocalSignature;
}

std::string other_workbook_kind(std::string_view prefix) {
  if (prefix.size() >= 8 && std::memcmp(prefix.data(), "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
    // An OLE2 compound file: an Excel 97-2003 workbook, or any workbook saved with a password
    // (Office then wraps the encrypted .xlsx in one).
    return std::string(messages::kOldOrLockedWorkbook);
  }
  return {};
}

Result<ZipDirectoryPlace> find_zip_directory(std::string_view tail, std::uint64_t archive_size) {
  if (tail.size() < 22) return damaged("it is too short to be a ZIP archive");
  const std::uint64_t tail_start = archive_size - tail.size();
  for (std::size_t at = tail.size() - 22 + 1; at-- > 0;) {
    if (little(tail, at, 4) != kEndSignature) continue;
    if (at + 22 + little(tail, at + 20, 2) != tail.size()) continue;  // its comment must end the file
    ZipDirectoryPlace place{little(tail, at + 16, 4), little(tail, at + 12, 4)};
    if (little(tail, at + 4, 2) != 0 || little(tail, at + 6, 2) != 0)
      return damaged("it is one part of an archive split over several files");
    if (place.offset == 0xFFFFFFFF || place.size == 0xFFFFFFFF) {
      if (at < 20 || little(tail, at - 20, 4) != kZip64LocatorSignature)
        return damaged("its ZIP64 directory is missing");
      const std::uint64_t record = little(tail, at - 20 + 8, 8);
      if (record < tail_start || record - tail_start + 56 > tail.size() ||
          little(tail, static_cast<std::size_t>(record - tail_start), 4) != kZip64EndSignature)
        return damaged("its ZIP64 directory is not where it says");
      const std::size_t r = static_cast<std::size_t>(record - tail_start);
      place = {little(tail, r + 48, 8), little(tail, r + 40, 8)};
    }
    if (place.offset > archive_size || place.size > archive_size - place.offset)
      return damaged("its directory points past the end of the file (it may have been cut short while copying)");
    return place;
  }
  return damaged("the end of its ZIP directory is missing (the file may have been cut short while copying)");
}

Result<std::vector<ZipEntry>> read_zip_directory(std::string_view directory) {
  std::vector<ZipEntry> entries;
  std::size_t at = 0;
  while (at + 46 <= directory.size() && little(directory, at, 4) == kEntrySignature) {
    if (entries.size() == kMaxEntries) return damaged("its directory lists more than 100,000 files");
    const std::size_t name_length = little(directory, at + 28, 2);
    const std::size_t extra_length = little(directory, at + 30, 2);
    const std::size_t comment_length = little(directory, at + 32, 2);
    const std::size_t next = at + 46 + name_length + extra_length + comment_length;
    if (next > directory.size()) return damaged("its directory is cut short");
    ZipEntry entry;
    entry.encrypted = (little(directory, at + 8, 2) & 1) != 0;
    entry.method = static_cast<std::uint16_t>(little(directory, at + 10, 2));
    entry.compressed_size = little(directory, at + 20, 4);
    entry.size = little(directory, at + 24, 4);
    entry.header_offset = little(directory, at + 42, 4);
    entry.name.assign(directory.substr(at + 46, name_length));
    // ZIP64: the sizes and offset that did not fit in 32 bits are in extra field 0x0001, in order.
    std::string_view extra = directory.substr(at + 46 + name_length, extra_length);
    while (extra.size() >= 4) {
      const std::size_t id = little(extra, 0, 2);
      const std::size_t length = std::min<std::size_t>(little(extra, 2, 2), extra.size() - 4);
      if (id == 1) {
        std::string_view values = extra.substr(4, length);
        for (std::uint64_t* field : {&entry.size, &entry.compressed_size, &entry.header_offset}) {
          if (*field != 0xFFFFFFFF) continue;
          if (values.size() < 8) return damaged("a ZIP64 size is missing");
          *field = little(values, 0, 8);
          values.remove_prefix(8);
        }
      }
      extra.remove_prefix(4 + length);
    }
    entries.push_back(std::move(entry));
    at = next;
  }
  if (entries.empty()) return damaged("its ZIP directory lists no file");
  return entries;
}

Result<std::uint64_t> zip_data_offset(std::string_view local_header) {
  if (local_header.size() < kZipLocalHeaderBytes || little(local_header, 0, 4) != kLocalSignature)
    return damaged("a file inside it is not where its directory says");
  return kZipLocalHeaderBytes + little(local_header, 26, 2) + little(local_header, 28, 2);
}

}  // namespace leadscore
