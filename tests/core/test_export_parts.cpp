// A list's scored CSV written in parts at once (as the page's workers export a large list): the
// list's own first rows, then each part written elsewhere from the file's bytes, one after the
// other, must be the list's export byte for byte, whatever the cuts, chunks, model and mapping.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "leadscore/export_parts.hpp"
#include "leadscore/list_reader.hpp"
#include "leadscore/sample_generator.hpp"
#include "test_support.hpp"

using namespace leadscore;

namespace {

using test_support::feed_range;
using test_support::kAsOf;
using test_support::options_as_of;

std::unique_ptr<ScoredList> read_whole(const std::string& bytes) {
  ListReader reader(default_model(), options_as_of(), std::make_shared<test_support::StringSource>(bytes));
  REQUIRE(feed_range(reader, bytes, 0, bytes.size()).ok());
  return test_support::finished(reader);
}

std::string exported(ScoredList& list, const CsvWriterOptions& options, std::size_t first = 0,
                     std::size_t end = static_cast<std::size_t>(-1)) {
  std::string out;
  REQUIRE(list.export_csv([&](std::string_view part) { out.append(part); }, options, {}, first, end).ok());
  return out;
}

/// The list's own part, then each part of the plan written by a ScoredCsvPart fed the file's bytes
/// in chunks of `chunk`.
std::string exported_in_parts(ScoredList& list, const std::string& bytes, const std::vector<std::uint64_t>& cuts,
                              const CsvWriterOptions& options, std::size_t chunk) {
  const auto made = list.export_plan(cuts);
  REQUIRE(made);
  // The plan crosses to the other workers as JSON.
  const auto crossed = export_plan_from_json(export_plan_json(*made).dump());
  REQUIRE(crossed.ok());
  CHECK(export_plan_json(crossed.value()) == export_plan_json(*made));
  const ExportPlan* plan = &crossed.value();
  REQUIRE(plan->parts.size() == cuts.size());
  std::string out = exported(list, options, 0, plan->parts.front().row);
  std::size_t rows = plan->parts.front().row;
  for (std::size_t i = 0; i < plan->parts.size(); ++i) {
    const ExportPlan::Part& part = plan->parts[i];
    CHECK(part.row == rows);
    std::string written;
    ScoredCsvPart writer(
        list.model(), *plan, [&](std::string_view piece) { written.append(piece); }, options);
    for (std::uint64_t at = part.start; at < part.end; at += chunk) {
      writer.feed(std::string_view(bytes).substr(at, std::min<std::uint64_t>(chunk, part.end - at)));
    }
    writer.finish();
    const std::size_t next = i + 1 < plan->parts.size() ? plan->parts[i + 1].row : list.size();
    CHECK(writer.rows() == next - part.row);
    // What the list writes itself when a part cannot be written elsewhere.
    CHECK(written == exported(list, options, part.row, next));
    out += written;
    rows = next;
  }
  return out;
}

}  // namespace

TEST_CASE("export parts: written at once, the parts are the list's export", "[list][export]") {
  std::string formulas = "Email,Lead Source,Job Title,Notes\n";
  for (int i = 0; i < 3000; ++i) {
    formulas += "p" + std::to_string(i) + "@acme.com,source " + std::to_string(i % 40) + ",VP Sales";
    if (i % 500 == 250) formulas += ",\"broken \"quote\",extra";  // text after a quote, a long row
    if (i % 70 == 35) formulas += ",=HYPERLINK(\"x\")";           // a formula cell
    if (i % 90 == 45) formulas += ",\"two\nlines\"";
    formulas += i % 3 == 0 ? "\r\n" : "\n";
  }
  CsvWriterOptions safe;
  safe.neutralize_formulas = true;
  safe.byte_order_mark = true;
  safe.part_bytes = 5000;
  for (const std::string& bytes :
       {test_support::generated_list(3000, 7), formulas, "\xEF\xBB\xBF" + test_support::generated_list(500, 2),
        test_support::read_file(test_support::fixture_path("tricky_leads.csv"))}) {
    const auto list = read_whole(bytes);
    for (const std::size_t count : {2, 3, 7}) {
      if (list->size() < 2 * count) continue;  // the tricky fixture: a handful of rows
      std::vector<std::uint64_t> cuts;
      for (std::size_t k = 1; k < count; ++k) cuts.push_back(bytes.size() * k / count);  // mid-row: the next row
      for (const std::size_t chunk : {std::size_t{333}, std::size_t{1} << 20}) {
        INFO(count << " parts, chunks of " << chunk);
        CHECK(exported_in_parts(*list, bytes, cuts, {}, chunk) == exported(*list, {}));
        CHECK(exported_in_parts(*list, bytes, cuts, safe, chunk) == exported(*list, safe));
      }
    }
  }
}

TEST_CASE("export parts: the list's model and mapping as they are now", "[list][export]") {
  const std::string bytes = test_support::generated_list(2000, 11);
  const auto list = read_whole(bytes);
  const std::vector<std::uint64_t> cuts = {bytes.size() / 3, bytes.size() * 2 / 3};
  const std::string before = exported(*list, {});
  REQUIRE(list->remap({{"employees", ""}, {"lead_source", "Lifecycle Stage"}}).ok());
  ScoringModel stricter = list->model();
  stricter.segments.hot = 55;
  stricter.fit.rules.pop_back();
  REQUIRE(list->rescore(stricter).ok());
  const std::string after = exported(*list, {});
  CHECK(after != before);
  CHECK(exported_in_parts(*list, bytes, cuts, {}, 4096) == after);
}

TEST_CASE("export parts: a plan only for a UTF-8 list read back from its file, each part with rows", "[list][export]") {
  const std::string bytes = test_support::generated_list(300, 5);
  const auto list = read_whole(bytes);
  CHECK_FALSE(list->export_plan({}));
  CHECK_FALSE(list->export_plan({bytes.size()}));  // no row starts there
  // Cuts before the second row, or twice in one row: each part still gets a row, the list the first.
  const auto early = list->export_plan({10, 20});
  REQUIRE(early);
  CHECK(early->parts[0].row == 1);
  CHECK(early->parts[1].row == 2);
  CHECK(early->parts[0].end == early->parts[1].start);
  const auto plan = list->export_plan({bytes.size() / 2});
  REQUIRE(plan);
  CHECK(plan->parts.front().start >= bytes.size() / 2);
  CHECK(plan->parts.front().end == bytes.size());
  CHECK(plan->headers.size() == list->mapping().headers().size());
  // Text kept (no file to read back), or not yet read to the end: written here only.
  ListReader keeping(default_model(), options_as_of());
  REQUIRE(keeping.feed(bytes).ok());
  const auto kept = test_support::finished(keeping);
  CHECK_FALSE(kept->export_plan({bytes.size() / 2}));
  std::string latin = bytes;
  latin.insert(latin.find('\n') + 1, "\xE9");  // a byte that is not UTF-8
  CHECK_FALSE(read_whole(latin)->export_plan({latin.size() / 2}));
}
