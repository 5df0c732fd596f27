#pragma once
/// A page of a list: its leads filtered by temperature and search, sorted by a figure or a column,
/// with what makes the next query cheap kept (the last order, the last search's rows, the last
/// column's ranks).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "detail/lead_store.hpp"
#include "leadscore/error.hpp"
#include "leadscore/list_query.hpp"

namespace leadscore::detail {

class ListQueries {
 public:
  ListQueries();
  ~ListQueries();

  /// A page of the first `known` leads of `store` (a list being read: those scored so far, by
  /// their figures only). Sorting by a column a list's model does not read, and searching, read
  /// the rows again from the file, holding at most `column_sort_budget` bytes of distinct cells.
  /// Sorting by priority reads the kept rows' `activity_column` (none when negative).
  Result<ListPage> page(const ListQuery& query, const LeadStore& store, std::size_t known,
                        std::size_t column_sort_budget, std::int64_t activity_column);
  /// The scores changed: the orders kept are stale (the search's rows and a column's ranks are not).
  void scores_changed() noexcept;

 private:
  struct Order;
  struct Search;
  struct ColumnRanks;
  /// The rows with a cell that contains `needle` (lowercase), whatever their scores: kept for the
  /// last search, so sorting or filtering its results, or typing on, reads less of the file.
  Result<const std::vector<std::uint32_t>*> rows_containing(const std::string& needle, const RowIndex& rows);
  /// Every row's place in the order of input column `column` (numbers as numbers when most of the
  /// column reads as numbers, other cells as text; equal cells share a place). Kept for the last
  /// column sorted, so turning its order round or filtering reads nothing.
  Result<const ColumnRanks*> column_ranks(std::size_t column, const LeadStore& store, std::size_t budget);

  std::unique_ptr<Order> order_;
  std::unique_ptr<Search> search_;
  std::unique_ptr<ColumnRanks> ranks_;
};

}  // namespace leadscore::detail
