#include "leadscore/row_store.hpp"

#include <cstring>

namespace leadscore {

namespace {

// A row is stored as: line (8 bytes), cell count (4), each cell's end offset (4 each), cell bytes.
void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_i64(std::string& out, std::int64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }

template <class T>
T read_at(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

void RowStore::append(const CsvRecord& row) {
  std::size_t data = 0;
  for (std::size_t i = 0; i < row.size(); ++i) data += row[i].size();
  const std::size_t need = 8 + 4 + 4 * row.size() + data;
  if (blocks_.empty() || blocks_.back().size() + need > blocks_.back().capacity()) {
    blocks_.emplace_back();
    blocks_.back().reserve(need > kBlockBytes ? need : kBlockBytes);
  }
  std::string& block = blocks_.back();
  rows_.push_back(Where{static_cast<std::uint32_t>(blocks_.size() - 1), static_cast<std::uint32_t>(block.size())});
  put_i64(block, row.line());
  put_u32(block, static_cast<std::uint32_t>(row.size()));
  std::uint32_t end = 0;
  for (std::size_t i = 0; i < row.size(); ++i) {
    end += static_cast<std::uint32_t>(row[i].size());
    put_u32(block, end);
  }
  for (std::size_t i = 0; i < row.size(); ++i) block.append(row[i]);
}

void RowStore::get(std::size_t index, CsvRecord& out) const {
  const Where w = rows_[index];
  const char* p = blocks_[w.block].data() + w.offset;
  out.clear();
  out.set_line(read_at<std::int64_t>(p));
  const auto cells = read_at<std::uint32_t>(p + 8);
  const char* ends = p + 12;
  const char* data = ends + 4 * cells;
  std::uint32_t begin = 0;
  for (std::uint32_t i = 0; i < cells; ++i) {
    const auto end = read_at<std::uint32_t>(ends + 4 * i);
    out.push_back(std::string_view(data + begin, end - begin));
    begin = end;
  }
}

std::size_t RowStore::bytes() const noexcept {
  std::size_t total = rows_.capacity() * sizeof(Where);
  for (const auto& block : blocks_) total += block.capacity();
  return total;
}

}  // namespace leadscore
