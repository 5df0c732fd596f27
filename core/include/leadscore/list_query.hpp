#pragma once
/// Paging through a scored list: which leads, in what order (by a figure or a column, filtered by
/// temperature, searched), a page at a time.

#include <cstddef>
#include <string>
#include <vector>

#include "leadscore/model.hpp"

namespace leadscore {

/// What the list view needs of each lead without scoring it again.
struct LeadFigures {
  float score = 0;
  float fit = 0;
  float engagement = 0;
  Temperature temperature = Temperature::Cold;
  bool disqualified = false;
  /// Whether the last re-score (a changed model or mapping) moved the lead, and from where.
  bool moved = false;
  Temperature before = Temperature::Cold;
};

/// Which leads, in what order: a page of a sorted, filtered list.
struct ListQuery {
  /// Priority: by score, then engagement, then the latest activity (the last_activity_date field's
  /// cell), then file order; the order to call leads in. A list still being read has no priority.
  enum class Sort { Row, Score, Fit, Engagement, Temperature, Column, Priority };
  Sort sort = Sort::Row;
  std::size_t column = 0;  ///< for Sort::Column: numbers sort as numbers, other cells as text
  bool descending = false;
  unsigned temperatures = 0b111;  ///< bit (1 << Temperature): which temperatures to keep
  std::string search;             ///< case-insensitive text that some cell must contain
  bool moved = false;             ///< only the leads the last re-score moved to another temperature
  std::size_t offset = 0;
  std::size_t limit = 100;
};

struct ListPage {
  std::size_t matches = 0;        ///< leads that pass the filter
  std::vector<std::size_t> rows;  ///< row indexes (0 = first data row) of this page
};

}  // namespace leadscore
