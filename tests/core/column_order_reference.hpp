#pragma once
// The plain way to sort leads by a column, which ScoredList's faster order must match (tests and
// the scorer fuzz target check it against this).
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/values.hpp"

namespace reference {

/// `rows` (row indexes) in the order of column `column`, with `cell(row, column)` a row's cell
/// (empty when it has none) and `all` the list's row count. Numbers sort as numbers when at least
/// 80% of the list's filled cells read as numbers (other cells then count as empty), else texts
/// lowered; empty cells last; a stable sort (equal cells in row order).
template <class Cell>
std::vector<std::size_t> sorted_by_column(std::vector<std::size_t> rows, std::size_t all, std::size_t column,
                                          bool descending, Cell&& cell) {
  std::vector<double> numbers(all, std::nan(""));
  std::vector<std::string> texts(all);
  std::size_t filled = 0, numeric = 0;
  for (std::size_t i = 0; i < all; ++i) {
    const std::string_view text = leadscore::trim(cell(i, column));
    if (text.empty()) continue;
    ++filled;
    if (const auto quantity = leadscore::parse_quantity(text)) {
      numbers[i] = quantity->value();
      ++numeric;
    }
    texts[i] = leadscore::to_lower_ascii(text);
  }
  const bool as_numbers = filled > 0 && numeric * 10 >= filled * 8;
  std::stable_sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    const bool a_empty = as_numbers ? std::isnan(numbers[a]) : texts[a].empty();
    const bool b_empty = as_numbers ? std::isnan(numbers[b]) : texts[b].empty();
    if (a_empty != b_empty) return b_empty;
    if (a_empty) return false;
    if (as_numbers) return descending ? numbers[b] < numbers[a] : numbers[a] < numbers[b];
    return descending ? texts[b] < texts[a] : texts[a] < texts[b];
  });
  return rows;
}

}  // namespace reference
