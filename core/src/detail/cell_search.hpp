#pragma once
/// Whether a cell of a row contains a text, ASCII letters in any case: a list's search. The row's
/// text is lowered once and searched whole (Horspool: a mismatch skips by the last byte's distance
/// from the text's end; the standard searcher is not in every standard library this builds with);
/// a match across two cells does not count.

#include <array>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "leadscore/csv_reader.hpp"
#include "leadscore/values.hpp"

namespace leadscore::detail {

class CellSearch {
 public:
  /// `needle`: lowercase, not empty.
  explicit CellSearch(std::string_view needle) : needle_(needle) {
    skip_.fill(needle_.size());
    for (std::size_t i = 0; i + 1 < needle_.size(); ++i) {
      skip_[static_cast<unsigned char>(needle_[i])] = needle_.size() - 1 - i;
    }
  }

  bool matches(const CsvRecord& row) {
    const std::string_view text = row.text();
    lowered_.resize(text.size());
    // Through plain pointers: a store through the string's operator[] may alias its own pointer,
    // which keeps the loop from being vectorised.
    const char* in = text.data();
    char* out = lowered_.data();
    for (std::size_t i = 0; i < text.size(); ++i) out[i] = lower_ascii(in[i]);
    const std::size_t n = needle_.size();
    std::size_t cell = 0;
    for (std::size_t at = 0; at + n <= lowered_.size();) {
      const char last = lowered_[at + n - 1];
      if (last == needle_.back() && std::memcmp(lowered_.data() + at, needle_.data(), n - 1) == 0) {
        while (row.cell_end(cell) <= at) ++cell;
        if (at + n <= row.cell_end(cell)) return true;
        ++at;
      } else {
        at += skip_[static_cast<unsigned char>(last)];
      }
    }
    return false;
  }

 private:
  std::string needle_;
  std::array<std::size_t, 256> skip_{};
  std::string lowered_;
};

}  // namespace leadscore::detail
