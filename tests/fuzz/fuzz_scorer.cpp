// The scorer end to end on any bytes, as the page uses it: a list fed in random chunks, then paged,
// searched, sorted by a column, explained, re-scored and exported. Every data row is kept; a search
// (and typing on) finds exactly the rows with a cell that contains the text; a column sorts as a
// plain stable sort of its cells; the export reads back as every row's cells plus the six appended;
// a re-score with the same model changes nothing.
#include <algorithm>
#include <string>
#include <vector>

#include "../core/column_order_reference.hpp"
#include "fuzz_support.hpp"
#include "leadscore/leadscore.hpp"

namespace {

using Rows = std::vector<std::vector<std::string>>;

std::vector<std::string> cells_of(const leadscore::CsvRecord& record) {
  std::vector<std::string> cells;
  for (std::size_t c = 0; c < record.size(); ++c) cells.emplace_back(record[c]);
  return cells;
}

class Capture final : public leadscore::CsvSink {
 public:
  void on_record(const leadscore::CsvRecord& record) override { rows.push_back(cells_of(record)); }
  void on_issue(const leadscore::Error&) override {}
  Rows rows;
};

/// The rows whose cells, ASCII letters lowered, contain `needle` (lowercase) within one cell.
std::vector<std::size_t> rows_with(const Rows& rows, const std::string& needle) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (const auto& cell : rows[i]) {
      if (leadscore::to_lower_ascii(cell).find(needle) != std::string::npos) {
        found.push_back(i);
        break;
      }
    }
  }
  return found;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  leadscore::SessionOptions options;
  options.as_of = leadscore::days_from_civil(2026, 11, 20);
  leadscore::ListReader list_reader(leadscore::default_model(), options);
  for (auto chunk : fuzz::chunks_of(data, size)) {
    if (!list_reader.feed(chunk).ok()) return 0;
  }
  auto finished = list_reader.finish();
  if (!finished.ok()) return 0;
  leadscore::ScoredList& list = *finished.value();
  const auto summary = list.summary_json();
  fuzz::require(summary["rows"] == list.size(), "the summary and the list count different rows");
  (void)summary.dump();
  Rows rows;
  leadscore::CsvRecord record;
  for (std::size_t i = 0; i < list.size(); ++i) {
    fuzz::require(list.cells(i, record).ok(), "a row cannot be read again");
    rows.push_back(cells_of(record));
  }

  // A text taken from the rows (the first byte picks where), then typed on by one byte.
  const std::size_t pick = size > 0 ? data[0] : 0;
  leadscore::ListQuery query;
  query.limit = rows.size() + 1;
  for (const auto& row : rows) {
    const std::string joined = leadscore::to_lower_ascii(row.empty() ? std::string() : row[pick % row.size()]);
    const std::string needle(leadscore::trim(joined.substr(std::min(joined.size(), pick % 7), 1 + pick % 3)));
    if (needle.empty()) continue;
    const std::size_t at = joined.find(needle);
    for (const std::string& typed : {needle, joined.substr(at, needle.size() + 1)}) {
      if (leadscore::trim(typed) != typed) continue;
      query.search = typed;
      const auto page = list.query(query);
      fuzz::require(page.ok(), "a search fails");
      fuzz::require(page.value().rows == rows_with(rows, typed), "a search finds other rows than every cell holds");
    }
    break;
  }

  query.search.clear();
  query.sort = leadscore::ListQuery::Sort::Column;
  query.column = rows.empty() || rows[0].empty() ? 0 : pick % (rows[0].size() + 1);
  // Now and then a budget too small for the column's distinct cells: ranked a range at a time.
  if (pick % 3 == 0) list.set_column_sort_budget(pick % 4096);
  for (const bool descending : {false, true}) {
    query.descending = descending;
    const auto page = list.query(query);
    fuzz::require(page.ok(), "a column sort fails");
    std::vector<std::size_t> all(rows.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    const auto expected =
        reference::sorted_by_column(all, rows.size(), query.column, descending, [&](std::size_t i, std::size_t c) {
          return c < rows[i].size() ? std::string_view(rows[i][c]) : std::string_view();
        });
    fuzz::require(page.value().rows == expected, "a column sorts otherwise than its cells");
  }

  if (list.size() > 0) {
    fuzz::require(list.explain(0).ok(), "explain fails");
    const double before = list.figures(list.size() - 1).score;
    fuzz::require(list.rescore(leadscore::default_model()).ok(), "a re-score fails");
    fuzz::require(list.figures(list.size() - 1).score == before, "a re-score with the same model changes a score");
  }

  // The export, read back: the header's cells and each row's (short rows padded), the six appended
  // cells, then any cells past the header's width.
  std::string exported;
  fuzz::require(list.export_csv([&](std::string_view part) { exported.append(part); }, {}).ok(), "the export fails");
  leadscore::CsvOptions csv;
  csv.delimiter = ',';
  csv.encoding = leadscore::TextEncoding::Utf8;
  leadscore::CsvReader reader(csv);
  Capture back;
  fuzz::require(reader.feed(exported, back).ok() && reader.finish(back).ok(), "the export cannot be read");
  fuzz::require(back.rows.size() == rows.size() + 1, "the export has other rows than the list");
  const std::size_t width = back.rows[0].size() - 6;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> cells = back.rows[i + 1];
    fuzz::require(cells.size() == std::max(width, rows[i].size()) + 6, "an exported row has other cells");
    cells.erase(cells.begin() + static_cast<std::ptrdiff_t>(width),
                cells.begin() + static_cast<std::ptrdiff_t>(width + 6));
    std::vector<std::string> expected = rows[i];
    if (expected.size() < width) expected.resize(width);
    fuzz::require(cells == expected, "an exported row's cells differ from the row's");
  }
  return 0;
}
