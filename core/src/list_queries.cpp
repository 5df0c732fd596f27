#include "detail/list_queries.hpp"

#include <algorithm>
#include <climits>
#include <cstring>

#include "detail/cell_search.hpp"
#include "detail/interner.hpp"

namespace leadscore::detail {

struct ListQueries::Order {
  ListQuery key;
  std::uint64_t known = 0;
  std::vector<std::uint32_t> rows;  // row indexes (4 bytes a lead)
};

struct ListQueries::Search {
  std::string needle;
  std::vector<std::uint32_t> rows;
};

namespace {
/// The place of an empty cell (or of a text in a column of numbers) in a column's order: last.
constexpr std::uint32_t kNoPlace = UINT32_MAX;
}  // namespace

struct ListQueries::ColumnRanks {
  std::size_t column = 0;
  std::vector<std::uint32_t> place;  // per row, from 0, or kNoPlace
  std::uint32_t places = 0;
};

ListQueries::ListQueries() = default;
ListQueries::~ListQueries() = default;

void ListQueries::scores_changed() noexcept { order_.reset(); }

namespace {

/// Stable counting sort of `order` by integer keys in [0, max_key]: linear, so a million leads sort
/// in milliseconds.
template <class Key>
void counting_sort(std::vector<std::uint32_t>& order, Key key, std::size_t max_key, bool descending) {
  std::vector<std::size_t> starts(max_key + 2, 0);
  auto slot = [&](std::size_t i) { return descending ? max_key - key(i) : key(i); };
  for (std::size_t i : order) ++starts[slot(i) + 1];
  for (std::size_t k = 1; k < starts.size(); ++k) starts[k] += starts[k - 1];
  std::vector<std::uint32_t> sorted(order.size());
  for (std::size_t i : order) sorted[starts[slot(i)]++] = i;
  order.swap(sorted);
}

/// The first 8 bytes of `text`, ASCII letters lowered, as a big-endian number (zero-padded): in
/// the order of the lowered texts, ties aside.
std::uint64_t lowered_prefix(std::string_view text) noexcept {
  std::uint64_t prefix = 0;
  for (std::size_t b = 0; b < 8; ++b) {
    const auto c = static_cast<unsigned char>(b < text.size() ? text[b] : 0);
    prefix = prefix << 8 | static_cast<unsigned char>(lower_ascii(static_cast<char>(c)));
  }
  return prefix;
}

/// Whether `a` comes before `b` with ASCII letters lowered (bytes compared unsigned).
bool lowered_before(std::string_view a, std::string_view b) noexcept {
  const auto lower = [](char c) { return static_cast<unsigned char>(lower_ascii(c)); };
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return lower(a[i]) < lower(b[i]);
  }
  return a.size() < b.size();
}

/// Whether a column sorts as numbers: when at least 80% of its filled rows read as numbers.
struct NumberTally {
  std::size_t filled = 0, numeric = 0;
  /// `rows` rows with the (trimmed) cell `text`.
  void add(std::string_view text, std::size_t rows) {
    if (text.empty()) return;
    filled += rows;
    if (parse_quantity(text)) numeric += rows;
  }
  bool as_numbers() const noexcept { return filled > 0 && numeric * 10 >= filled * 8; }
};

/// NumberTally over a column's `values` distinct cells (`text(v)`, trimmed; `rows(v)` rows each).
template <class Text, class Rows>
bool reads_as_numbers(std::size_t values, Text&& text, Rows&& rows) {
  NumberTally tally;
  for (std::size_t v = 0; v < values; ++v) tally.add(text(v), rows(v));
  return tally.as_numbers();
}

/// The places of `values` distinct cells in sorted order (equal values share one), counted from
/// `places` on, which ends past the last. As numbers, other texts count as empty (kNoPlace); as
/// texts, ASCII letters are lowered. Only the sort's entries are held besides the places.
template <class Text>
std::vector<std::uint32_t> places_of(std::size_t values, Text&& text, bool as_numbers, std::uint32_t& places) {
  std::vector<std::uint32_t> place(values, kNoPlace);
  const auto assign_places = [&](auto&& entries, auto&& before) {
    std::sort(entries.begin(), entries.end(), before);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      places += k > 0 && before(entries[k - 1], entries[k]);
      place[entries[k].value] = places;
    }
    places += !entries.empty();
  };
  struct Entry {
    std::uint64_t key;  // the number's bits (as_numbers) or the lowered text's first 8 bytes
    std::uint32_t value;
  };
  std::vector<Entry> entries;
  for (std::size_t v = 0; v < values; ++v) {
    const std::string_view t = text(v);
    if (t.empty()) continue;
    if (!as_numbers) {
      entries.push_back(Entry{lowered_prefix(t), static_cast<std::uint32_t>(v)});
    } else if (const auto quantity = parse_quantity(t)) {
      std::uint64_t bits;
      const double number = quantity->value();
      std::memcpy(&bits, &number, sizeof bits);
      entries.push_back(Entry{bits, static_cast<std::uint32_t>(v)});
    }
  }
  if (as_numbers) {
    assign_places(entries, [](const Entry& a, const Entry& b) {
      double x, y;
      std::memcpy(&x, &a.key, sizeof x);
      std::memcpy(&y, &b.key, sizeof y);
      return x < y;
    });
  } else {
    assign_places(entries, [&](const Entry& a, const Entry& b) {
      if (a.key != b.key) return a.key < b.key;
      // The same first 8 bytes: a text of at most 8 is the other's start.
      const std::string_view x = text(a.value), y = text(b.value);
      return x.size() <= 8 || y.size() <= 8 ? x.size() < y.size() : lowered_before(x, y);
    });
  }
  return place;
}

/// A column's distinct cells, each with how many rows have it.
class DistinctCells {
 public:
  std::uint32_t add(std::string_view cell) {
    bool added = false;
    const std::uint32_t v = cells_.intern(cell, added);
    if (added) rows_.push_back(0);
    ++rows_[v];
    return v;
  }
  std::size_t size() const noexcept { return cells_.size(); }
  std::string_view text(std::size_t v) const noexcept { return cells_.text(static_cast<std::uint32_t>(v)); }
  std::uint32_t rows(std::size_t v) const noexcept { return rows_[v]; }
  /// Bytes held (what the budget counts).
  std::size_t bytes() const noexcept { return cells_.memory_bytes() + rows_.capacity() * sizeof(std::uint32_t); }
  std::vector<std::uint32_t> places(bool as_numbers, std::uint32_t& places) const {
    return places_of(
        size(), [&](std::size_t v) { return text(v); }, as_numbers, places);
  }

 private:
  CompactInterner cells_{CompactInterner::kUnlimited, CompactInterner::kUnlimited};
  std::vector<std::uint32_t> rows_;
};

std::string_view cell_of(const CsvRecord& row, std::size_t column) noexcept {
  return column < row.size() ? trim(row[column]) : std::string_view();
}

/// Ranks a column with too many distinct numbers to hold as text: every row's number, sorted.
template <class Ranks>
Status rank_numbers(std::size_t column, const RowIndex& index, std::size_t rows, Ranks& ranked) {
  std::vector<double> number(rows);
  std::vector<std::uint32_t> order;
  Status status = index.scan(0, [&](std::size_t i, const CsvRecord& row) {
    const auto quantity = parse_quantity(cell_of(row, column));
    if (quantity) {
      number[i] = quantity->value();
      order.push_back(static_cast<std::uint32_t>(i));
    }
    return true;
  });
  if (!status.ok()) return status;
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return number[a] < number[b]; });
  for (std::size_t k = 0; k < order.size(); ++k) {
    ranked.places += k > 0 && number[order[k - 1]] < number[order[k]];
    ranked.place[order[k]] = ranked.places;
  }
  ranked.places += !order.empty();
  return Ok{};
}

/// Ranks a column with too many distinct texts a range of first two bytes at a time (the ranges
/// in order, so each range's places follow the last's), each range's distinct cells within
/// `budget` (`bytes_from`: how many bytes of cells start with each two lowered bytes).
template <class Ranks>
Status rank_text_ranges(std::size_t column, const RowIndex& index, const std::vector<std::uint64_t>& bytes_from,
                        std::size_t budget, Ranks& ranked) {
  for (std::size_t from = 0; from < bytes_from.size();) {
    std::size_t to = from;
    std::uint64_t bytes = 0;
    do {
      bytes += bytes_from[to++];
    } while (to < bytes_from.size() && bytes + bytes_from[to] <= budget);
    if (bytes > 0) {
      DistinctCells range;
      std::vector<std::uint32_t> members, values;
      Status status = index.scan(0, [&](std::size_t i, const CsvRecord& row) {
        const std::string_view cell = cell_of(row, column);
        const std::size_t first_two = lowered_prefix(cell) >> 48;
        if (cell.empty() || first_two < from || first_two >= to) return true;
        members.push_back(static_cast<std::uint32_t>(i));
        values.push_back(range.add(cell));
        return true;
      });
      if (!status.ok()) return status;
      const auto place = range.places(false, ranked.places);
      for (std::size_t k = 0; k < members.size(); ++k) ranked.place[members[k]] = place[values[k]];
    }
    from = to;
  }
  return Ok{};
}

/// Ranks input column `column` of the `rows` rows of `index` from the file, holding at most
/// `budget` bytes of its distinct cells at once (past it, a range of first two letters at a time,
/// one read of the file each).
template <class Ranks>
Status rank_from_file(std::size_t column, const RowIndex& index, std::size_t rows, std::size_t budget, Ranks& ranked) {
  const Error changed{ErrorCode::IoError, "the file changed or could not be read again"};
  // One read: every distinct cell once while they fit the budget. Once they do not, what decides
  // between numbers and texts and how many bytes of cells start with each two (lowered) bytes are
  // counted instead, row by row (from the distinct cells for the rows before).
  std::size_t seen = 0;
  NumberTally tally;
  std::vector<std::uint64_t> bytes_from;  // by a cell's first two bytes
  const auto count = [&](std::string_view cell, std::size_t times) {
    tally.add(cell, times);
    if (!cell.empty())
      bytes_from[lowered_prefix(cell) >> 48] +=
          times * (cell.size() + 5 * sizeof(std::uint32_t));  // as DistinctCells holds it, about
  };
  auto distinct = std::make_unique<DistinctCells>();
  std::vector<std::uint32_t> value_of;
  value_of.reserve(rows);
  Status status = index.scan(0, [&](std::size_t, const CsvRecord& row) {
    const std::string_view cell = cell_of(row, column);
    ++seen;
    if (!distinct) {
      count(cell, 1);
    } else {
      value_of.push_back(distinct->add(cell));
      if (distinct->bytes() > budget) {
        bytes_from.assign(std::size_t{1} << 16, 0);
        for (std::size_t v = 0; v < distinct->size(); ++v) count(distinct->text(v), distinct->rows(v));
        distinct.reset();
        value_of = {};
      }
    }
    return true;
  });
  if (!status.ok()) return status;
  if (seen != rows) return changed;
  if (distinct) {
    const bool as_numbers = reads_as_numbers(
        distinct->size(), [&](std::size_t v) { return distinct->text(v); },
        [&](std::size_t v) { return distinct->rows(v); });
    const auto place = distinct->places(as_numbers, ranked.places);
    for (std::uint32_t& value : value_of) value = place[value];
    ranked.place = std::move(value_of);
    return Ok{};
  }
  ranked.place.assign(rows, kNoPlace);
  ranked.places = 0;
  return tally.as_numbers() ? rank_numbers(column, index, rows, ranked)
                            : rank_text_ranges(column, index, bytes_from, budget, ranked);
}

}  // namespace

Result<const std::vector<std::uint32_t>*> ListQueries::rows_containing(const std::string& needle,
                                                                       const RowIndex& rows) {
  if (search_ && search_->needle == needle) return &search_->rows;
  auto found = std::make_unique<Search>();
  found->needle = needle;
  CellSearch search(needle);
  const auto visit = [&](std::size_t i, const CsvRecord& row) {
    if (search.matches(row)) found->rows.push_back(static_cast<std::uint32_t>(i));
  };
  // Text that contains the last search's can only be in the rows that matched it.
  const bool narrowing = search_ && needle.find(search_->needle) != std::string::npos;
  Status status =
      narrowing ? rows.scan_rows(search_->rows, visit) : rows.scan(0, [&](std::size_t i, const CsvRecord& row) {
        visit(i, row);
        return true;
      });
  if (!status.ok()) return status.error();
  search_ = std::move(found);
  return &search_->rows;
}

Result<const ListQueries::ColumnRanks*> ListQueries::column_ranks(std::size_t column, const LeadStore& store,
                                                                  std::size_t budget) {
  if (ranks_ && ranks_->column == column) return ranks_.get();
  ranks_.reset();  // not held beside the new one (4 bytes a lead)
  auto ranked = std::make_unique<ColumnRanks>();
  ranked->column = column;
  const std::size_t rows = store.figures.size();
  const KeyCache* keys = store.keys.get();
  const std::int64_t cached = keys && keys->rows() == rows ? keys->cells_of(column) : -1;
  if (cached >= 0) {
    // The model reads this column: its distinct cells and every row's are cached, nothing is read.
    const auto& texts = keys->texts(static_cast<std::size_t>(cached));
    const KeyIds& ids = keys->ids(static_cast<std::size_t>(cached));
    std::vector<std::uint32_t> count(texts.size(), 0), value_of(rows);
    for (std::size_t i = 0; i < rows; ++i) ++count[value_of[i] = ids[i]];
    const auto text = [&](std::size_t v) { return std::string_view(texts[v]); };
    const bool as_numbers = reads_as_numbers(texts.size(), text, [&](std::size_t v) { return count[v]; });
    const auto place = places_of(texts.size(), text, as_numbers, ranked->places);
    for (std::uint32_t& value : value_of) value = place[value];
    ranked->place = std::move(value_of);
  } else {
    Status status = rank_from_file(column, store.rows, rows, budget, *ranked);
    if (!status.ok()) return status.error();
  }
  ranks_ = std::move(ranked);
  return ranks_.get();
}

Result<ListPage> ListQueries::page(const ListQuery& q, const LeadStore& store, std::size_t known,
                                   std::size_t column_sort_budget, std::int64_t activity_column) {
  const auto& figures = store.figures;
  const auto same_key = [&](const ListQuery& a) {
    return a.sort == q.sort && a.column == q.column && a.descending == q.descending &&
           a.temperatures == q.temperatures && a.search == q.search && a.moved == q.moved;
  };
  if (!order_ || !same_key(order_->key) || order_->known != known) {
    order_.reset();  // not held beside the new one (up to 4 bytes a lead)
    auto cache = std::make_unique<Order>();
    cache->key = q;
    cache->known = known;
    auto& order = cache->rows;
    const auto kept = [&](std::size_t i) {
      return ((q.temperatures >> figures[i].temperature) & 1u) && (!q.moved || store.moved(i));
    };
    const std::string needle = to_lower_ascii(trim(q.search));
    if (needle.empty()) {
      order.reserve(known);
      for (std::size_t i = 0; i < known; ++i) {
        if (kept(i)) order.push_back(static_cast<std::uint32_t>(i));
      }
    } else {
      const auto found = rows_containing(needle, store.rows);
      if (!found.ok()) return found.error();
      for (const std::uint32_t i : *found.value()) {
        if (kept(i)) order.push_back(i);
      }
    }
    constexpr std::size_t kMaxTenths = 1000;
    const auto by_figure = [&](std::uint16_t PackedFigures::*figure) {
      counting_sort(
          order, [&](std::size_t i) { return figures[i].*figure; }, kMaxTenths, q.descending);
    };
    switch (q.sort) {
      case ListQuery::Sort::Row:
        if (q.descending) std::reverse(order.begin(), order.end());
        break;
      case ListQuery::Sort::Score: by_figure(&PackedFigures::score); break;
      case ListQuery::Sort::Priority: {
        // Least significant key first, each sort stable: activity, engagement, score; file order stays.
        if (activity_column >= 0) {
          constexpr std::int32_t kNoDate = INT32_MIN;
          std::vector<std::int32_t> day(known, kNoDate);
          Status status = store.rows.scan_rows(order, [&](std::size_t i, const CsvRecord& row) {
            day[i] = parse_date(cell_of(row, static_cast<std::size_t>(activity_column))).value_or(kNoDate);
          });
          if (!status.ok()) return status.error();
          std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return q.descending ? day[a] > day[b] : day[a] < day[b];
          });
        }
        by_figure(&PackedFigures::engagement);
        by_figure(&PackedFigures::score);
        break;
      }
      case ListQuery::Sort::Fit: by_figure(&PackedFigures::fit); break;
      case ListQuery::Sort::Engagement: by_figure(&PackedFigures::engagement); break;
      case ListQuery::Sort::Temperature:
        counting_sort(
            order, [&](std::size_t i) { return figures[i].temperature * (kMaxTenths + 1) + figures[i].score; },
            3 * (kMaxTenths + 1) - 1, q.descending);
        break;
      case ListQuery::Sort::Column: {
        const auto ranked = column_ranks(q.column, store, column_sort_budget);
        if (!ranked.ok()) return ranked.error();
        const ColumnRanks& column = *ranked.value();
        // Empty cells last both ways; equal cells in row order.
        counting_sort(
            order,
            [&](std::size_t i) {
              const std::uint32_t place = column.place[i];
              return place == kNoPlace ? column.places : q.descending ? column.places - 1 - place : place;
            },
            column.places, false);
        break;
      }
    }
    order_ = std::move(cache);
  }
  ListPage page;
  page.matches = order_->rows.size();
  const std::size_t begin = std::min(q.offset, page.matches);
  const std::size_t end = std::min(page.matches, begin + q.limit);
  page.rows.assign(order_->rows.begin() + static_cast<std::ptrdiff_t>(begin),
                   order_->rows.begin() + static_cast<std::ptrdiff_t>(end));
  return page;
}

}  // namespace leadscore::detail
