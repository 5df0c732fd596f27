#pragma once
/// The rows of a list, kept compactly so a scored list can be paged, sorted, searched, re-scored
/// and exported without reading the file again: per row its cells' bytes and end offsets, packed
/// into fixed-size blocks (no single allocation grows with the file).

#include <cstdint>
#include <string>
#include <vector>

#include "leadscore/csv_reader.hpp"

namespace leadscore {

class RowStore {
 public:
  /// Bytes per block; a row larger than this gets a block of its own.
  static constexpr std::size_t kBlockBytes = 8u << 20;

  void append(const CsvRecord& row);
  /// Copies row `index` into `out` (cells and line).
  void get(std::size_t index, CsvRecord& out) const;
  std::size_t size() const noexcept { return rows_.size(); }
  /// Bytes held, for reporting memory use.
  std::size_t bytes() const noexcept;

 private:
  struct Where {
    std::uint32_t block;
    std::uint32_t offset;
  };
  std::vector<std::string> blocks_;
  std::vector<Where> rows_;
};

}  // namespace leadscore
