// A list read in parts at once (as the page's workers read a large file) must be the list read
// whole: same rows, lines, scores, summary, export, explanations and re-scoring, wherever the file
// is cut, including cuts inside a quoted field (the list then reads on itself).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

#include "leadscore/list_reader.hpp"
#include "leadscore/sample_generator.hpp"
#include "leadscore/scored_list.hpp"
#include "test_support.hpp"

using namespace leadscore;

namespace {

using test_support::kAsOf;
using test_support::options_as_of;

using test_support::feed_range;

test_support::PartsRead read_in_parts(const std::string& bytes, std::vector<std::uint64_t> cuts) {
  auto read = test_support::read_in_parts(bytes, std::move(cuts), default_model(), options_as_of());
  INFO(read.failure);
  REQUIRE(read.failure.empty());
  return read;
}

std::unique_ptr<ScoredList> read_whole(const std::string& bytes, const ScoringModel& model = default_model()) {
  ListReader reader(model, options_as_of(), std::make_shared<test_support::StringSource>(bytes));
  REQUIRE(feed_range(reader, bytes, 0, bytes.size()).ok());
  return test_support::finished(reader);
}

std::string exported(const ScoredList& list) {
  std::string out;
  REQUIRE(list.export_csv([&](std::string_view part) { out.append(part); }, {}).ok());
  return out;
}

std::vector<std::size_t> page(ScoredList& list, ListQuery::Sort sort) {
  ListQuery q;
  q.sort = sort;
  q.descending = true;
  q.limit = 1000000;
  auto result = list.query(q);
  REQUIRE(result.ok());
  return result.value().rows;
}

/// Everything a user sees of the list is the same.
void check_same(ScoredList& parts, ScoredList& whole) {
  REQUIRE(parts.size() == whole.size());
  CHECK(parts.summary_json().dump() == whole.summary_json().dump());
  CHECK(exported(parts) == exported(whole));
  CHECK(page(parts, ListQuery::Sort::Score) == page(whole, ListQuery::Sort::Score));
  CHECK(parts.keys_cached() == whole.keys_cached());
  for (std::size_t row : {std::size_t{0}, parts.size() / 2, parts.size() - 1}) {
    CHECK(parts.explain(row).value().dump() == whole.explain(row).value().dump());
  }
  ScoringModel stricter = default_model();
  stricter.segments.hot = 60;
  stricter.segments.warm = 30;
  const auto changed_parts = parts.rescore(stricter);
  const auto changed_whole = whole.rescore(stricter);
  REQUIRE(changed_parts.ok());
  CHECK(changed_parts.value() == changed_whole.value());
  CHECK(parts.summary_json().dump() == whole.summary_json().dump());
}

/// Cuts where guess_record_start puts them, from `count` evenly spaced offsets.
std::vector<std::uint64_t> guessed_cuts(const std::string& bytes, std::size_t count, std::size_t fields) {
  std::vector<std::uint64_t> cuts;
  for (std::size_t k = 1; k < count; ++k) {
    const std::size_t nominal = bytes.size() * k / count;
    const std::size_t at = guess_record_start(std::string_view(bytes).substr(nominal, 64 * 1024), ',', fields);
    if (at != std::string_view::npos && (cuts.empty() || nominal + at > cuts.back())) cuts.push_back(nominal + at);
  }
  return cuts;
}

std::size_t header_fields(const std::string& bytes) {
  const std::string header = bytes.substr(0, bytes.find('\n'));
  return static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1;
}

}  // namespace

TEST_CASE("list parts: a record start is guessed from either side of a quote", "[list][parts]") {
  // The window starts inside a quoted note whose second line looks like a row.
  const std::string file = "a,b,c\n1,\"note line\nx,y,z\nend\",3\n4,5,6\n7,8,9\n";
  const std::size_t inside = file.find("x,y,z");
  CHECK(inside + guess_record_start(std::string_view(file).substr(inside), ',', 3) == file.find("4,5,6"));
  // Outside quotes: the next line.
  const std::size_t outside = file.find("5,6");
  CHECK(outside + guess_record_start(std::string_view(file).substr(outside), ',', 3) == file.find("7,8,9"));
  CHECK(guess_record_start("no line feed here", ',', 3) == std::string_view::npos);
}

TEST_CASE("list parts: read in parts, the list is the list read whole", "[list][parts]") {
  const std::string list = test_support::generated_list(3000, 7);
  const std::size_t fields = header_fields(list);
  for (std::size_t count : {2, 3, 5}) {
    INFO(count << " parts");
    const auto cuts = guessed_cuts(list, count, fields);
    REQUIRE(cuts.size() == count - 1);
    auto parts = read_in_parts(list, cuts);
    CHECK(parts.joined == count - 1);
    CHECK(parts.read_on == 0);
    check_same(*parts.list, *read_whole(list));
  }
}

TEST_CASE("list parts: cuts inside quoted fields and records are read on, never lost", "[list][parts]") {
  const std::string list = test_support::generated_list(1500, 3);
  // Every line feed after the first rows, inside quotes or not, and mid-line cuts.
  std::vector<std::uint64_t> feeds;
  for (std::size_t at = list.find('\n', list.size() / 4); at != std::string::npos; at = list.find('\n', at + 1))
    feeds.push_back(at + 1);
  for (std::size_t step : {97, 331}) {
    std::vector<std::uint64_t> cuts;
    for (std::size_t i = 0; i < feeds.size() - 1; i += step) cuts.push_back(feeds[i] + (i % 2 == 0 ? 0 : 5));
    INFO(cuts.size() << " cuts");
    auto parts = read_in_parts(list, cuts);
    CHECK(parts.joined > 0);
    CHECK(parts.read_on > 0);
    check_same(*parts.list, *read_whole(list));
  }
  // The fixtures, cut everywhere.
  for (const std::string& file : {test_support::read_file(test_support::sample_path("b2b-leads.csv")),
                                  test_support::read_file(test_support::fixture_path("tricky_leads.csv"))}) {
    for (std::size_t step : {1000, 4321}) {
      std::vector<std::uint64_t> cuts;
      for (std::uint64_t at = file.size() / 3; at < file.size(); at += step) cuts.push_back(at);
      auto parts = read_in_parts(file, cuts);
      check_same(*parts.list, *read_whole(file));
    }
  }
}

TEST_CASE("list parts: sources, issues and formula cells past the first part keep their order and lines",
          "[list][parts]") {
  std::string file = "Email,Lead Source,Job Title,Notes\n";
  for (int i = 0; i < 12000; ++i) {
    file += "p" + std::to_string(i) + "@acme.com,source " + std::to_string((i * 7) % 80) + ",VP Sales";
    if (i % 500 == 250) file += ",\"broken \"quote\",extra";  // text after a quote, a long row
    if (i % 700 == 350) file += ",=HYPERLINK(\"x\")";         // a formula cell
    if (i % 900 == 450) file += ",\"two\nlines\"";
    file += i % 3 == 0 ? "\r\n" : "\n";
  }
  const auto whole = read_whole(file);
  REQUIRE(whole->summary_json()["issues"]["count"].get<int>() > 0);
  REQUIRE(whole->summary_json()["formula_cells"]["count"].get<int>() > 0);
  auto parts = read_in_parts(file, guessed_cuts(file, 4, 4));
  CHECK(parts.joined == 3);
  check_same(*parts.list, *whole);
}

TEST_CASE("list parts: misuse is an error, not a wrong list", "[list][parts]") {
  const std::string list = test_support::generated_list(600, 5);
  ListReader reading(default_model(), options_as_of(), std::make_shared<test_support::StringSource>(list));
  CHECK_FALSE(reading.part_plan());  // nothing read yet
  const std::size_t middle = list.find('\n', list.size() / 2) + 1;
  const std::size_t later = list.find('\n', list.size() * 3 / 4) + 1;
  REQUIRE(feed_range(reading, list, 0, middle - 3).ok());
  const auto plan = reading.part_plan();
  REQUIRE(plan);
  CHECK(plan->fields == header_fields(list));
  CHECK(plan->delimiter == ',');
  CHECK_FALSE(reading.at_record_boundary());
  auto part = ListReader::part(default_model(), options_as_of(), *plan, list.substr(0, plan->prefix_bytes), middle);
  REQUIRE(part.ok());
  REQUIRE(feed_range(*part.value(), list, middle, later).ok());
  REQUIRE(part.value()->at_record_boundary());
  const std::string packed = part.value()->finish_part().value();
  // Not at a record boundary, then not where the part starts.
  CHECK(reading.join_part(packed).error().code == ErrorCode::InvalidArgument);
  REQUIRE(feed_range(reading, list, middle - 3, middle - 1).ok());
  CHECK(reading.join_part(packed).error().code == ErrorCode::InvalidArgument);
  REQUIRE(feed_range(reading, list, middle - 1, middle).ok());
  CHECK(reading.at_record_boundary());
  CHECK(reading.join_part(packed.substr(0, packed.size() / 2)).error().code == ErrorCode::InvalidArgument);
  CHECK(reading.join_part("not a part").error().code == ErrorCode::InvalidArgument);
  REQUIRE(reading.join_part(packed).ok());
  CHECK(reading.bytes_read() == static_cast<std::int64_t>(later));
  CHECK(reading.join_part(packed).error().code == ErrorCode::InvalidArgument);  // twice
  // The list reads the rest itself.
  REQUIRE(feed_range(reading, list, later, list.size()).ok());
  const auto read = test_support::finished(reading);
  const auto whole = read_whole(list);
  CHECK(exported(*read) == exported(*whole));
  CHECK(read->summary_json().dump() == whole->summary_json().dump());
  // A prefix that is not the plan's; a part joins nothing, and is packed once.
  CHECK_FALSE(ListReader::part(default_model(), options_as_of(), *plan, list.substr(0, 10), middle).ok());
  CHECK_FALSE(part.value()->join_part(packed).ok());
  CHECK_FALSE(part.value()->finish_part().ok());
  CHECK_FALSE(reading.finish_part().ok());  // not a part
}

TEST_CASE("list parts: a list told its file is too large for the key cache starts none, nor do its parts",
          "[list][parts]") {
  const std::string list =
      test_support::generated_list(40000, 11);  // more than the 16,384 rows the estimate waits for, in each half
  const std::uint64_t cut = guessed_cuts(list, 2, header_fields(list)).at(0);
  const auto whole = read_whole(list);
  REQUIRE(whole->keys_cached());
  for (const std::uint64_t told : {std::uint64_t{0}, std::uint64_t{list.size()}, std::uint64_t{8} << 30}) {
    INFO("told " << told << " bytes");
    const bool too_large = told > list.size();
    ListReader reading(default_model(), options_as_of(), std::make_shared<test_support::StringSource>(list));
    reading.expect_bytes(told);
    REQUIRE(feed_range(reading, list, 0, cut).ok());
    const auto plan = reading.part_plan();
    REQUIRE(plan);
    CHECK(plan->list_bytes == told);
    CHECK(reading.keys_cached() == !too_large);
    auto part = ListReader::part(default_model(), options_as_of(), *plan, list.substr(0, plan->prefix_bytes), cut);
    REQUIRE(part.ok());
    REQUIRE(feed_range(*part.value(), list, cut, list.size()).ok());
    const std::string packed = part.value()->finish_part().value();
    CHECK(part.value()->keys_cached() == !too_large);
    REQUIRE(reading.join_part(packed).ok());
    const auto read = test_support::finished(reading);
    CHECK(read->keys_cached() == !too_large);
    CHECK(exported(*read) == exported(*whole));
    CHECK(read->summary_json().dump() == whole->summary_json().dump());
    CHECK(page(*read, ListQuery::Sort::Score) == page(*whole, ListQuery::Sort::Score));
    ScoringModel stricter = default_model();
    stricter.segments.hot = 60;
    REQUIRE(read->rescore(stricter).ok());
    const auto whole_stricter = read_whole(list, stricter);
    CHECK(exported(*read) == exported(*whole_stricter));
  }
}

TEST_CASE("list parts: a part whose keys do not fit beside the list's is joined without them", "[list][parts]") {
  // 40,000 distinct page view counts in each half (read per unit, so keyed as they are): each
  // half's keys fit 16-bit ids, both together do not.
  std::string list = "Email,Job Title,Number of Employees,Demo Requested,Number of Pageviews\n";
  std::size_t cut = 0;
  for (int i = 0; i < 80000; ++i) {
    if (i == 40000) cut = list.size();
    list += "ann" + std::to_string(i) + "@acme.com,Analyst " + std::to_string(i) + "," + std::to_string(5 + i % 900) +
            (i % 4 == 0 ? ",yes," : ",no,") + std::to_string(i) + "\n";
  }
  ListReader reading(default_model(), options_as_of(), std::make_shared<test_support::StringSource>(list));
  REQUIRE(feed_range(reading, list, 0, cut).ok());
  const auto plan = reading.part_plan();
  REQUIRE(plan);
  auto part = ListReader::part(default_model(), options_as_of(), *plan, list.substr(0, plan->prefix_bytes), cut);
  REQUIRE(part.ok());
  REQUIRE(feed_range(*part.value(), list, cut, list.size()).ok());
  const std::string packed = part.value()->finish_part().value();
  REQUIRE(part.value()->keys_cached());
  REQUIRE(reading.keys_cached());
  REQUIRE(reading.join_part(packed).ok());
  const auto read = test_support::finished(reading);
  CHECK_FALSE(read->keys_cached());
  const auto whole = read_whole(list);
  CHECK(exported(*read) == exported(*whole));
  CHECK(read->summary_json().dump() == whole->summary_json().dump());
}
