#pragma once
// ZIP archives of stored (uncompressed) entries, for the workbook tests and fuzz target: no
// inflater is needed to read them back, so they work in the WebAssembly build too.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

inline void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
inline void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

/// A ZIP archive of stored entries, in order.
inline std::string zip(const std::vector<std::pair<std::string, std::string>>& files, std::uint16_t flags = 0) {
  std::string archive, directory;
  for (const auto& [name, data] : files) {
    const auto offset = static_cast<std::uint32_t>(archive.size());
    put32(archive, 0x04034b50);
    put16(archive, 20);
    put16(archive, flags);
    put16(archive, 0);  // stored
    put32(archive, 0);  // time, date
    put32(archive, 0);  // crc (not checked)
    put32(archive, static_cast<std::uint32_t>(data.size()));
    put32(archive, static_cast<std::uint32_t>(data.size()));
    put16(archive, static_cast<std::uint32_t>(name.size()));
    put16(archive, 0);
    archive += name + data;
    put32(directory, 0x02014b50);
    put16(directory, 20);
    put16(directory, 20);
    put16(directory, flags);
    put16(directory, 0);
    put32(directory, 0);
    put32(directory, 0);
    put32(directory, static_cast<std::uint32_t>(data.size()));
    put32(directory, static_cast<std::uint32_t>(data.size()));
    put16(directory, static_cast<std::uint32_t>(name.size()));
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0);
    put32(directory, 0);
    put32(directory, offset);
    directory += name;
  }
  const auto directory_offset = static_cast<std::uint32_t>(archive.size());
  archive += directory;
  put32(archive, 0x06054b50);
  put32(archive, 0);
  put16(archive, static_cast<std::uint32_t>(files.size()));
  put16(archive, static_cast<std::uint32_t>(files.size()));
  put32(archive, static_cast<std::uint32_t>(directory.size()));
  put32(archive, directory_offset);
  put16(archive, 0);
  return archive;
}

}  // namespace test_support
