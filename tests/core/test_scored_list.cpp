#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "column_order_reference.hpp"
#include "leadscore/list_reader.hpp"
#include "leadscore/sample_generator.hpp"
#include "leadscore/scored_list.hpp"
#include "leadscore/values.hpp"
#include "test_support.hpp"

using namespace leadscore;

namespace {

using test_support::kAsOf;
using test_support::options_as_of;

using test_support::StringSource;

/// The list read in chunks of `chunk` bytes; with `source`, rows are read back from it.
std::unique_ptr<ScoredList> read_list(const std::string& bytes, std::size_t chunk = 4096,
                                      const ScoringModel& model = default_model(),
                                      std::shared_ptr<ByteSource> source = nullptr) {
  ListReader reader(model, options_as_of(), std::move(source));
  for (std::size_t at = 0; at < bytes.size(); at += chunk)
    REQUIRE(reader.feed(std::string_view(bytes).substr(at, chunk)).ok());
  return test_support::finished(reader);
}

/// What the streaming session (the CLI's path) writes for the same input.
std::string streamed_csv(const std::string& bytes, const ScoringModel& model = default_model()) {
  ScoringSession session(model, options_as_of());
  std::string out;
  ScoredCsvWriter writer([&](std::string_view part) { out.append(part); }, {});
  REQUIRE(session.feed(bytes, writer).ok());
  REQUIRE(session.finish(writer).ok());
  writer.flush();
  return out;
}

std::string exported(ScoredList& list, CsvWriterOptions options = {}) {
  std::string out;
  REQUIRE(list.export_csv([&](std::string_view part) { out.append(part); }, options).ok());
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t at = 0, end; at < text.size(); at = end + 1) {
    end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
  }
  return lines;
}

/// Every 40th row of `list` (of `bytes`, one line a row) exports as it does read alone, where no
/// column has enough distinct cells for a key to be rewritten.
void check_rows_alone(ScoredList& list, const std::string& bytes, const ScoringModel& model) {
  const auto rows = lines_of(bytes);
  const auto scored = lines_of(exported(list));
  REQUIRE(scored.size() == rows.size());
  for (std::size_t i = 1; i < rows.size(); i += 40) {
    const auto alone = lines_of(exported(*read_list(rows[0] + "\n" + rows[i] + "\n", 4096, model)));
    REQUIRE(alone.size() == 2);
    CHECK(alone[1] == scored[i]);
  }
}

/// `bytes` read (rows read back from `source`) and re-scored with `model`: the keys are cached, so
/// the re-score reads no row, and the exports and figures equal the streamed path's, a fresh read's
/// and, for rows read alone, their own.
std::unique_ptr<ScoredList> rescored_from_keys(const std::string& bytes, const std::shared_ptr<StringSource>& source,
                                               const ScoringModel& model) {
  auto list = read_list(bytes, 1 << 16, default_model(), source);
  CHECK(list->keys_cached());
  CHECK(exported(*list) == streamed_csv(bytes));
  check_rows_alone(*list, bytes, default_model());
  const std::size_t reads = source->reads;
  REQUIRE(list->rescore(model).ok());
  CHECK(source->reads == reads);
  CHECK(exported(*list) == streamed_csv(bytes, model));
  check_rows_alone(*list, bytes, model);
  const auto fresh = read_list(bytes, 1 << 16, model);
  for (std::size_t i = 0; i < list->size(); ++i) CHECK(list->figures(i).score == fresh->figures(i).score);
  return list;
}

/// Sorted by `column`, whose cached keys are not all its cells, `list` reads the file and ranks
/// the rows as the reference sort of the cells does.
void check_sorted_by_cells(ScoredList& list, const std::string& bytes, const StringSource& source, std::size_t column) {
  ListQuery q;
  q.sort = ListQuery::Sort::Column;
  q.column = column;
  q.limit = list.size();
  const std::size_t before = source.bytes_read;
  const ListPage page = list.query(q).value();
  CHECK(source.bytes_read > before);
  std::vector<std::size_t> all(list.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto cells = test_support::read_csv(bytes).capture.rows;
  CHECK(page.rows == reference::sorted_by_column(all, all.size(), column, false, [&](std::size_t i, std::size_t c) {
          return std::string_view(cells[i + 1][c]);
        }));
}

const std::string& sample() {
  static const std::string bytes = test_support::read_file(test_support::sample_path("b2b-leads.csv"));
  return bytes;
}

}  // namespace

TEST_CASE("scored_list: the export is byte for byte the streamed output", "[list]") {
  for (const std::string& bytes : {sample(), test_support::read_file(test_support::fixture_path("tricky_leads.csv"))}) {
    const auto list = read_list(bytes, 7);
    CHECK(exported(*list) == streamed_csv(bytes));
  }
  const auto list = read_list(sample());
  CHECK(list->size() == 500);
  CsvWriterOptions small;
  small.part_bytes = 1000;
  CHECK(exported(*list, small) == streamed_csv(sample()));
}

TEST_CASE("scored_list: rows read back from the file give the same cells, lines and export", "[list]") {
  // A BOM, a bad byte (read as Windows-1252), quoted line breaks and blank lines: offsets in the
  // file differ from offsets in the decoded text, and rows span lines.
  std::string bytes = "\xEF\xBB\xBF" + sample();
  bytes.insert(bytes.find("Kite Health"), "\xE9");
  bytes += "\n\n100999,Ann,Lee,ann@acme.com,VP Sales,\"Acme\nGroup\",Software,250,$20M\n";
  // A quote never closed: read as a character, the row after it still a row.
  bytes += "100998,\"Bob,Ray,bob@ray.com,CTO,Ray Inc,Software,10,$1M\n100997,Cy,Oh,cy@oh.com,CEO,Oh Co,Retail,5,$1M\n";
  auto source = std::make_shared<StringSource>(bytes);
  const auto kept = read_list(bytes, 4096);
  const auto located = read_list(bytes, 1000, default_model(), source);
  REQUIRE(located->size() == kept->size());
  CHECK(kept->memory_bytes() >= located->memory_bytes() + bytes.size());
  CsvRecord a, b;
  for (std::size_t row :
       {std::size_t{0}, std::size_t{1}, kept->size() / 2, kept->size() - 3, kept->size() - 2, kept->size() - 1}) {
    REQUIRE(kept->cells(row, a).ok());
    REQUIRE(located->cells(row, b).ok());
    CHECK(a.line() == b.line());
    REQUIRE(a.size() == b.size());
    for (std::size_t c = 0; c < a.size(); ++c) CHECK(a[c] == b[c]);
  }
  REQUIRE(located->cells(kept->size() - 3, b).ok());
  CHECK(b[5] == "Acme\nGroup");
  REQUIRE(located->cells(kept->size() - 2, b).ok());
  CHECK(b[1] == "\"Bob");
  REQUIRE(located->cells(kept->size() - 1, b).ok());
  CHECK(b[3] == "cy@oh.com");
  CHECK(exported(*located) == streamed_csv(bytes));
  CHECK(exported(*located) == exported(*kept));
  CHECK(source->reads > 0);
  // Re-scoring and searching read the file again, in large pieces.
  ScoringModel stricter = default_model();
  stricter.segments.hot = 90;
  REQUIRE(located->rescore(stricter).ok());
  REQUIRE(kept->rescore(stricter).ok());
  for (std::size_t i = 0; i < kept->size(); ++i) CHECK(located->figures(i).score == kept->figures(i).score);
  ListQuery search;
  search.search = "acme\ngroup";
  CHECK(located->query(search).value().matches == 1);
}

TEST_CASE("scored_list: pages sorted, filtered and searched", "[list]") {
  const auto list = read_list(sample());
  ListQuery q;
  q.sort = ListQuery::Sort::Score;
  q.descending = true;
  q.limit = 10;
  const ListPage top = list->query(q).value();
  CHECK(top.matches == 500);
  REQUIRE(top.rows.size() == 10);
  for (std::size_t i = 1; i < top.rows.size(); ++i) {
    CHECK(list->figures(top.rows[i - 1]).score >= list->figures(top.rows[i]).score);
  }
  // The next page continues where the first stopped.
  q.offset = 10;
  const ListPage next = list->query(q).value();
  CHECK(list->figures(next.rows[0]).score <= list->figures(top.rows.back()).score);

  ListQuery hot;
  hot.temperatures = 1u << static_cast<unsigned>(Temperature::Hot);
  hot.limit = 1000;
  const ListPage hot_page = list->query(hot).value();
  const auto summary = list->summary_json();
  CHECK(hot_page.matches == summary["temperatures"]["hot"]["count"].get<std::size_t>());
  for (std::size_t row : hot_page.rows) CHECK(list->figures(row).temperature == Temperature::Hot);

  ListQuery search;
  search.search = "NORTHWIND";
  search.limit = 1000;
  const ListPage found = list->query(search).value();
  CHECK(found.matches > 0);
  CsvRecord cells;
  for (std::size_t row : found.rows) {
    REQUIRE(list->cells(row, cells).ok());
    CHECK(std::string(cells[5]) == "Northwind Analytics");
  }

  // Only within a cell: "Ann" then "Lee" is not "nnle".
  const auto last_two = read_list("First Name,Last Name,Email\nAnn,Lee,ann@lee.com\nBo,Nnle,bo@nnle.com\n");
  search.search = "NNLE";
  const ListPage within = last_two->query(search).value();
  REQUIRE(within.matches == 1);
  CHECK(within.rows[0] == 1);

  // A numeric column sorts as numbers ("10" after "9"), a text column as text.
  ListQuery by_sessions;
  by_sessions.sort = ListQuery::Sort::Column;
  by_sessions.column = 14;  // Number of Sessions
  by_sessions.descending = true;
  by_sessions.limit = 500;
  const ListPage sessions = list->query(by_sessions).value();
  double previous = 1e9;
  for (std::size_t row : sessions.rows) {
    REQUIRE(list->cells(row, cells).ok());
    const double v = *parse_number(cells[14]);
    CHECK(v <= previous);
    previous = v;
  }
  ListQuery by_name = by_sessions;
  by_name.column = 1;  // First Name
  by_name.descending = false;
  const ListPage names = list->query(by_name).value();
  std::string last;
  for (std::size_t row : names.rows) {
    REQUIRE(list->cells(row, cells).ok());
    const std::string name = to_lower_ascii(cells[1]);
    CHECK(last <= name);
    last = name;
  }
}

TEST_CASE("scored_list: by priority, equal scores go by engagement, then the latest activity, then file order",
          "[list]") {
  SampleOptions options;
  options.as_of = kAsOf;
  const std::string bytes = generate_sample_csv(options);
  const auto list = read_list(bytes, 1 << 16);
  const std::int64_t activity = list->mapping().column_of("last_activity_date");
  REQUIRE(activity >= 0);
  ListQuery q;
  q.sort = ListQuery::Sort::Priority;
  q.descending = true;
  q.temperatures = 1u << static_cast<unsigned>(Temperature::Hot);
  q.limit = 100000;
  const ListPage page = list->query(q).value();
  REQUIRE(page.matches == page.rows.size());
  CsvRecord cells;
  const auto day = [&](std::size_t row) {
    REQUIRE(list->cells(row, cells).ok());
    return parse_date(std::string(cells[static_cast<std::size_t>(activity)])).value_or(INT32_MIN);
  };
  std::size_t score_ties = 0, activity_decided = 0;
  for (std::size_t k = 1; k < page.rows.size(); ++k) {
    const std::size_t a = page.rows[k - 1], b = page.rows[k];
    const LeadFigures x = list->figures(a), y = list->figures(b);
    INFO("rows " << a << " and " << b);
    REQUIRE(x.score >= y.score);
    if (x.score != y.score) continue;
    ++score_ties;
    REQUIRE(x.engagement >= y.engagement);
    if (x.engagement != y.engagement) continue;
    const std::int32_t da = day(a), db = day(b);
    REQUIRE(da >= db);
    if (da != db)
      ++activity_decided;
    else
      REQUIRE(a < b);
  }
  // The sample's hottest leads tie at 100 (the case this order is for), some on engagement too.
  CHECK(score_ties > 20);
  CHECK(activity_decided > 0);
  // While a list is read, it has no priority yet.
  ListReader reader(default_model(), options_as_of());
  REQUIRE(reader.feed(std::string_view(bytes).substr(0, 4096)).ok());
  CHECK(reader.query(q).error().code == ErrorCode::InvalidArgument);
}

TEST_CASE("scored_list: the histogram counts each bin's leads per temperature", "[list]") {
  SampleOptions options;
  options.as_of = kAsOf;
  const auto list = read_list(generate_sample_csv(options), 1 << 16);
  const auto summary = list->summary_json();
  std::map<std::string, std::int64_t> totals;
  std::int64_t warm_from_60 = 0;
  for (const auto& bin : summary["histogram"]) {
    std::int64_t sum = 0;
    for (const char* t : {"cold", "warm", "hot"}) {
      sum += bin[t].get<std::int64_t>();
      totals[t] += bin[t].get<std::int64_t>();
    }
    CHECK(sum == bin["count"].get<std::int64_t>());
    if (bin["from"].get<int>() >= 60) warm_from_60 += bin["warm"].get<std::int64_t>();
  }
  for (const char* t : {"cold", "warm", "hot"})
    CHECK(totals[t] == summary["temperatures"][t]["count"].get<std::int64_t>());
  // Leads held back from hot (fit or engagement under 40) score 60 and more yet are warm: a bar
  // coloured by score band alone would call them hot.
  CHECK(warm_from_60 > 0);
}

TEST_CASE("scored_list: re-scoring with a changed model re-buckets every lead", "[list]") {
  const auto list = read_list(sample());
  const auto before = list->summary_json()["temperatures"];
  ScoringModel stricter = default_model();
  stricter.segments.hot = 90;
  stricter.segments.warm = 70;
  std::vector<Temperature> was;
  for (std::size_t i = 0; i < list->size(); ++i) was.push_back(list->figures(i).temperature);
  const std::size_t changed = list->rescore(stricter).value();
  CHECK(changed > 0);
  // Which leads moved, from what to what: the figures, the moves and a query of the moved agree.
  ScoredList::Moves expected{};
  std::vector<std::size_t> moved_rows;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const LeadFigures f = list->figures(i);
    CHECK(f.moved == (f.temperature != was[i]));
    if (!f.moved) continue;
    CHECK(f.before == was[i]);
    ++expected[static_cast<std::size_t>(was[i])][static_cast<std::size_t>(f.temperature)];
    moved_rows.push_back(i);
  }
  CHECK(moved_rows.size() == changed);
  CHECK(list->moves() == expected);
  CHECK(expected[static_cast<std::size_t>(Temperature::Hot)][static_cast<std::size_t>(Temperature::Warm)] > 0);
  ListQuery moved;
  moved.moved = true;
  moved.limit = 100000;
  CHECK(list->query(moved).value().rows == moved_rows);
  const auto after = list->summary_json()["temperatures"];
  CHECK(after["hot"]["count"].get<int>() < before["hot"]["count"].get<int>());
  CHECK(after["cold"]["count"].get<int>() > before["cold"]["count"].get<int>());
  // Same figures as reading the list afresh with that model, and the same export.
  const auto fresh = read_list(sample(), 4096, stricter);
  for (std::size_t i = 0; i < list->size(); ++i) CHECK(list->figures(i).score == fresh->figures(i).score);
  CHECK(exported(*list) == streamed_csv(sample(), stricter));
  CHECK(list->rescore(stricter).value() == 0);
  CHECK(list->moves() == ScoredList::Moves{});
  CHECK(list->query(moved).value().matches == 0);
  CHECK(list->keys_cached());

  // A model reading a column the cached keys do not cover: the rows are read again.
  ScoringModel with_notes = default_model();
  Rule budget;
  budget.id = "budget";
  budget.label = "Budget mentioned";
  budget.field = "column:Notes";
  budget.matcher = Matcher::ContainsAny;
  budget.texts = {"budget"};
  budget.points = 40;
  with_notes.fit.rules.push_back(budget);
  REQUIRE(list->rescore(with_notes).ok());
  const auto fresh_notes = read_list(sample(), 4096, with_notes);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    CHECK(list->figures(i).score == fresh_notes->figures(i).score);
    differ += list->figures(i).score != fresh->figures(i).score;
  }
  CHECK(differ > 0);
  CHECK(list->summary_json()["temperatures"] == fresh_notes->summary_json()["temperatures"]);
}

TEST_CASE("scored_list: re-scoring with other listed domains reads the emails again", "[list]") {
  // Email keys keep a domain only when a rule lists it (or a domain above it): a model listing
  // other domains cannot be scored from them.
  auto source = std::make_shared<StringSource>(sample());
  const auto list = read_list(sample(), 4096, default_model(), source);
  REQUIRE(list->keys_cached());
  ScoringModel points_only = default_model();
  ScoringModel more_domains = default_model();
  std::size_t listing = 0;
  for (auto* model : {&points_only, &more_domains}) {
    for (auto& rule : model->fit.rules) {
      if (rule.matcher != Matcher::DomainIn) continue;
      if (model == &points_only) rule.points -= 5;
      // A company domain of the sample, and a parent domain that covers every .com address.
      if (model == &more_domains) rule.texts.insert(rule.texts.end(), {"solaceenergy.com", "com"});
      ++listing;
    }
  }
  REQUIRE(listing == 2);
  const std::size_t reads = source->reads;
  REQUIRE(list->rescore(points_only).ok());
  CHECK(source->reads == reads);  // the same domains: from the cached keys
  CHECK(exported(*list) == streamed_csv(sample(), points_only));

  REQUIRE(list->rescore(more_domains).ok());
  CHECK(source->reads > reads);
  const auto fresh = read_list(sample(), 4096, more_domains);
  const auto before = read_list(sample());
  std::size_t changed = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    CHECK(list->figures(i).score == fresh->figures(i).score);
    changed += fresh->figures(i).score != before->figures(i).score;
  }
  CHECK(changed > 100);  // the .com addresses
  CHECK(exported(*list) == streamed_csv(sample(), more_domains));
}

TEST_CASE("scored_list: a file that is not UTF-8 is kept as decoded text even with a source", "[list]") {
  // Windows-1252 (the whole file): offsets in the decoded text are not the file's, so the list
  // keeps the text rather than reading the file back wrong.
  std::string bytes = "Email;Job Title;Company;Number of Employees\n";
  for (int i = 0; i < 300; ++i)
    bytes += "b" + std::to_string(i) + "@caf\xE9-" + std::to_string(i) + ".fr;Directeur g\xE9n\xE9ral;Caf\xE9 SA;250\n";
  auto source = std::make_shared<StringSource>(bytes);
  const auto list = read_list(bytes, 777, default_model(), source);
  CHECK(list->memory_bytes() > bytes.size());
  CHECK(source->reads == 0);
  CsvRecord cells;
  REQUIRE(list->cells(299, cells).ok());
  CHECK(cells[1] == "Directeur g\xC3\xA9n\xC3\xA9ral");
  CHECK(exported(*list) == streamed_csv(bytes));
}

TEST_CASE("scored_list: pages of the rows scored so far while the list is read", "[list]") {
  for (bool from_file : {false, true}) {
    const std::string& bytes = sample();
    ListReader reader(default_model(), options_as_of(), from_file ? std::make_shared<StringSource>(bytes) : nullptr);
    REQUIRE(reader.feed(std::string_view(bytes).substr(0, bytes.size() * 3 / 4)).ok());
    const std::size_t so_far = reader.size();
    REQUIRE(so_far > 100);
    ListQuery q;
    q.sort = ListQuery::Sort::Score;
    q.descending = true;
    q.limit = 1000;
    const ListPage page = reader.query(q).value();
    CHECK(page.matches == so_far - 1);  // the last row read may not be complete yet
    CsvRecord cells;
    for (std::size_t i = 1; i < page.rows.size(); ++i)
      CHECK(reader.figures(page.rows[i - 1]).score >= reader.figures(page.rows[i]).score);
    REQUIRE(reader.cells(page.rows.front(), cells).ok());
    CHECK(cells.size() == 26);
    ListQuery search;
    search.search = "acme";
    CHECK(reader.query(search).error().code == ErrorCode::InvalidArgument);
    REQUIRE(reader.feed(std::string_view(bytes).substr(bytes.size() * 3 / 4)).ok());
    const auto list = test_support::finished(reader);
    CHECK(list->query(q).value().matches == 500);
    CHECK(exported(*list) == streamed_csv(bytes));
  }
}

TEST_CASE("scored_list: a column with too many distinct values is scored row by row", "[list]") {
  // 70,000 distinct page view counts (read per unit, so keyed as they are): past 65,535 the keys
  // stop fitting 16 bits; the rows waiting are scored from their keys, the rest from their cells,
  // and nothing differs from the CLI's path.
  std::string bytes = "Email,Job Title,Number of Employees,Demo Requested,Lead Source,Number of Pageviews\n";
  for (int i = 0; i < 70000; ++i) {
    bytes += "ann" + std::to_string(i) + "@acme" + std::to_string(i % 7) + ".com,";
    bytes += (i % 3 == 0 ? "VP Sales " : "Analyst ") + std::to_string(i) + ",";
    bytes += std::to_string(5 + i % 900) + "," + (i % 4 == 0 ? "yes" : "no") + ",src" + std::to_string(i % 60) + ",";
    bytes += std::to_string(i / 7) + "." + std::to_string(i % 7) + "\n";
  }
  const auto list = read_list(bytes, 1 << 16);
  CHECK_FALSE(list->keys_cached());
  CHECK(list->size() == 70000);
  CHECK(exported(*list) == streamed_csv(bytes));
  ScoringSession session(default_model(), options_as_of());
  ScoredCsvWriter ignore([](std::string_view) {}, {});
  REQUIRE(session.feed(bytes, ignore).ok());
  REQUIRE(session.finish(ignore).ok());
  const auto expected = list_summary_json(session.summary(), session.format(), session.bytes_fed(), session.mapping(),
                                          default_model(), session.scorer());
  CHECK(list->summary_json() == expected);
  // Re-scoring reads the rows again (and cannot cache their keys either), every time.
  for (double hot : {80.0, 70.0}) {
    ScoringModel stricter = default_model();
    stricter.segments.hot = hot;
    REQUIRE(list->rescore(stricter).ok());
    CHECK_FALSE(list->keys_cached());
    CHECK(exported(*list) == streamed_csv(bytes, stricter));
  }
}

TEST_CASE("scored_list: a list told its file is too large for the key cache starts none", "[list]") {
  // More rows than the estimate waits for: the list learns from its first rows what the whole file
  // would need, and either caches from the start or never does; the results are the same.
  const std::string bytes = test_support::generated_list(40000, 11);
  const std::string expected = streamed_csv(bytes);
  for (const std::uint64_t told : {std::uint64_t{0}, std::uint64_t{bytes.size()}, std::uint64_t{8} << 30}) {
    INFO("told " << told << " bytes");
    const bool too_large = told > bytes.size();
    ListReader reader(default_model(), options_as_of(), std::make_shared<StringSource>(bytes));
    reader.expect_bytes(told);
    REQUIRE(test_support::feed_range(reader, bytes, 0, bytes.size() / 2).ok());
    CHECK(reader.keys_cached() == !too_large);
    REQUIRE(test_support::feed_range(reader, bytes, bytes.size() / 2, bytes.size()).ok());
    const auto list = test_support::finished(reader);
    CHECK(list->keys_cached() == !too_large);
    CHECK(exported(*list) == expected);
    ScoringModel stricter = default_model();
    stricter.segments.hot = 60;
    REQUIRE(list->rescore(stricter).ok());
    CHECK(exported(*list) == streamed_csv(bytes, stricter));
  }
}

TEST_CASE("scored_list: 72,000 email domains keep the keys cached", "[list]") {
  // A real list has a domain per company. Only listed domains (free mail, competitors...) tell
  // leads apart, so the keys stay few and a re-score reads no row.
  std::string bytes = "Email,Job Title,Number of Employees\n";
  for (int i = 0; i < 80000; ++i) {
    const char* free_mail[] = {"gmail.com", "Yahoo.com", "mail.outlook.com"};
    bytes +=
        "ann" + std::to_string(i) + "@" + (i % 10 == 0 ? free_mail[i / 10 % 3] : "acme" + std::to_string(i) + ".com");
    bytes += std::string(",") + (i % 3 == 0 ? "VP Sales" : "Analyst") + "," + std::to_string(5 + i % 900) + "\n";
  }
  ScoringModel stricter = default_model();
  stricter.segments.hot = 60;
  for (auto& rule : stricter.fit.rules) rule.points += rule.matcher == Matcher::DomainIn ? -20 : 0;
  const auto list = rescored_from_keys(bytes, std::make_shared<StringSource>(bytes), stricter);
  std::size_t free_mail_leads = 0;
  for (std::size_t i = 0; i + 3 < list->size(); i += 10) {
    // Three rows on: the same title, a company of about the same size, not free mail.
    free_mail_leads += list->figures(i).score < list->figures(i + 3).score;
  }
  CHECK(free_mail_leads > 7500);  // of 8,000: gmail.com, Yahoo.com and a domain under outlook.com
}

TEST_CASE("scored_list: activity dates with times keep the keys cached, and sort as their cells", "[list]") {
  // "2026-05-08 13:45:12" on every row (as CRM exports write them), some as Unix seconds: 80,000
  // distinct cells, a few hundred days. The rules only read the day.
  std::string bytes = "Email,Job Title,Number of Employees,Last Activity Date,Number of Pageviews\n";
  for (int i = 0; i < 80000; ++i) {
    const std::int32_t day = kAsOf - i % 400;
    std::string when = format_date(day) + " " + std::to_string(10 + i % 14) + ":" + std::to_string(10 + i / 14 % 50) +
                       ":" + std::to_string(10 + i / 700 % 50);
    if (i % 7 == 0) when = std::to_string(static_cast<std::int64_t>(day) * 86400 + i % 86400);
    if (i % 11 == 0) when = format_date(day);
    bytes += "ann" + std::to_string(i) + "@acme" + std::to_string(i % 50) + ".com," +
             (i % 3 == 0 ? "VP Sales" : "Analyst") + "," + std::to_string(50 + i % 900) + "," + when + "," +
             std::to_string(i % 40) + "\n";
  }
  auto source = std::make_shared<StringSource>(bytes);
  ScoringModel stricter = default_model();
  stricter.segments.hot = 60;
  const auto list = rescored_from_keys(bytes, source, stricter);
  // Sorted by that column: by its cells, not by the days the keys hold.
  check_sorted_by_cells(*list, bytes, *source, 3);
}

TEST_CASE("scored_list: free-text titles and exact figures keep the keys cached", "[list]") {
  // A real list's job titles, revenues in dollars and head counts are mostly distinct: past
  // Scorer::kCellKeys of them a column's new cells are keyed by what its rules make of them.
  std::string bytes = "Email,Job Title,Annual Revenue,Number of Employees,Industry\n";
  const char* titles[] = {"VP Sales ",     "\"Senior Analyst, Finance ", "Head of Growth ", "Student ", "Retired ",
                          "Founder & CEO "};
  for (int i = 0; i < 90000; ++i) {
    std::string title = titles[i % 6] + std::to_string(i) + (i % 6 == 1 ? "\"" : "");
    if (i % 97 == 0) title = "n/a";
    if (i % 89 == 0) title.clear();
    if (i % 101 == 0)
      title =
          "\x01"
          "Director " +
          std::to_string(i);  // looks like a rewritten key
    bytes += "ann" + std::to_string(i) + "@acme" + std::to_string(i % 40) + ".com," + title + "," +
             std::to_string(50000 + (i * 7919LL) % 900000000) + "," + std::to_string(1 + i * 37 % 20000) + "," +
             (i % 2 ? "Computer Software" : "Retail " + std::to_string(i % 9000)) + "\n";
  }
  auto source = std::make_shared<StringSource>(bytes);
  ScoringModel other_points = default_model();
  other_points.segments.hot = 60;
  for (auto& rule : other_points.fit.rules) {
    rule.points += 3;
    for (auto& band : rule.bands) band.points -= 2;
  }
  const auto list = rescored_from_keys(bytes, source, other_points);
  // Other words in a title rule: the keys made of what the old rules saw cannot serve it.
  ScoringModel other_words = default_model();
  for (auto& rule : other_words.fit.rules) {
    if (rule.id == "decision_maker_title") rule.texts.push_back("analyst");
  }
  const std::size_t reads = source->reads;
  REQUIRE(list->rescore(other_words).ok());
  CHECK(source->reads > reads);
  CHECK(exported(*list) == streamed_csv(bytes, other_words));
  const auto fresh = read_list(bytes, 1 << 16, other_words);
  for (std::size_t i = 0; i < list->size(); ++i) CHECK(list->figures(i).score == fresh->figures(i).score);
  check_rows_alone(*list, bytes, other_words);
  // A title that starts with the byte rewritten keys start with scores as the title without it.
  const auto rows = lines_of(bytes);
  for (std::size_t i = 0; i < list->size(); i += 101) {
    std::string row = rows[i + 1];
    row.erase(row.find('\x01'), 1);
    const auto plain = read_list(rows[0] + "\n" + row + "\n", 4096, other_words);
    CHECK(plain->figures(0).score == list->figures(i).score);
  }
  // Sorted by title: by the cells, not the keys.
  check_sorted_by_cells(*list, bytes, *source, 1);
}

TEST_CASE("scored_list: the user's mapping corrections", "[list]") {
  const auto list = read_list(sample());
  const auto wrong = list->remap({{"employees", "No Such Column"}});
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == ErrorCode::InvalidArgument);
  CHECK_FALSE(list->remap({{"not_a_field", "Notes"}}).ok());
  const auto removed = list->remap({{"employees", ""}});
  REQUIRE(removed.ok());
  CHECK(removed.value() > 0);
  CHECK(list->mapping().column_of("employees") == -1);
  CHECK(list->summary_json()["model"]["absent_fields"].dump().find("employees") != std::string::npos);
}

TEST_CASE("scored_list: explain one lead and reject use before the end", "[list]") {
  const auto list = read_list(sample());
  const auto j = list->explain(2).value();
  CHECK(j["row"] == 2);
  CHECK(j["cells"]["Record ID"] == "100002");
  CHECK(j["temperature"] == temperature_name(list->figures(2).temperature));
  CHECK(j["score"].get<double>() == Approx(list->figures(2).score));

  ListReader open(default_model(), options_as_of());
  REQUIRE(open.feed("Email,Title\nann@acme.com,VP\n").ok());
  CHECK(open.size() == 0);  // rows wait for the mapping until the end or 100 rows
  const auto read = test_support::finished(open);
  CHECK(read->size() == 1);
  CHECK_FALSE(open.feed("more").ok());
  CHECK_FALSE(open.finish().ok());
  CHECK(read->memory_bytes() > 0);
}

TEST_CASE("scored_list: one lead from a form, by field or header names", "[list]") {
  const auto j = explain_single_lead(default_model(),
                                     {{"job_title", "VP of Sales"},
                                      {"Number of Employees", "1,001-5,000"},
                                      {"email", "ann@northwind.io"},
                                      {"demo_requested", "yes"},
                                      {"last_activity_date", "2026-11-18"},
                                      {"Number of Sessions", "9"}},
                                     kAsOf);
  CHECK(j["temperature"] == "hot");
  CHECK(j["reasons"].get<std::string>().find("Requested a demo") != std::string::npos);
  CHECK(j["cells"]["job_title"] == "VP of Sales");
  const auto cold = explain_single_lead(default_model(), {{"job_title", "Student"}}, kAsOf);
  CHECK(cold["temperature"] == "cold");
  CHECK(cold["disqualified"]["rule"] == "student");
}

namespace {

/// Random tables of awkward cells (delimiters, quotes, line breaks, spaces, UTF-8, formulas).
struct RandomTable {
  std::vector<std::vector<std::string>> rows;  // the header first
};

RandomTable random_table(std::uint32_t seed) {
  std::uint32_t state = seed * 2654435761u + 17;
  auto next = [&](std::uint32_t n) {
    state = state * 1103515245u + 12345u;
    return (state >> 8) % n;
  };
  static const char* const kPieces[] = {"a",
                                        "Acme",
                                        ",",
                                        "\"",
                                        "\"\"",
                                        "\n",
                                        "\r\n",
                                        " ",
                                        ";",
                                        "\t",
                                        "\xC3\xA9",
                                        "\xE6\xBC\xA2",
                                        "\xF0\x9F\x98\x80",
                                        "=SUM(A1)",
                                        "-5",
                                        "x@y.com",
                                        "1,000-5,000",
                                        "'"};
  RandomTable t;
  const std::size_t columns = 1 + next(8);
  std::vector<std::string> header;
  for (std::size_t c = 0; c < columns; ++c)
    header.push_back("Column " + std::to_string(c) + (next(3) == 0 ? ", \"q\"" : ""));
  t.rows.push_back(header);
  const std::size_t rows = next(40);
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<std::string> row;
    for (std::size_t c = 0; c < columns; ++c) {
      std::string cell;
      for (std::size_t k = next(5); k > 0; --k) cell += kPieces[next(sizeof kPieces / sizeof *kPieces)];
      row.push_back(cell);
    }
    t.rows.push_back(row);
  }
  return t;
}

/// An RFC 4180 writer of its own (not the core's): every cell quoted, quotes doubled, CRLF or LF.
std::string written(const RandomTable& t, bool crlf) {
  std::string out;
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      out += '"';
      for (char ch : row[c]) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      out += '"';
    }
    out += crlf ? "\r\n" : "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("scored_list: random tables from another writer keep every row and cell, in any chunks",
          "[list][properties]") {
  for (std::uint32_t seed = 1; seed <= 150; ++seed) {
    const RandomTable table = random_table(seed);
    const std::string bytes = written(table, seed % 2 == 0);
    INFO("seed " << seed);
    SessionOptions options = options_as_of();
    options.csv.delimiter = ',';
    auto source = std::make_shared<StringSource>(bytes);
    ListReader reader(default_model(), options, source);
    for (std::size_t at = 0, step = 1 + seed % 13; at < bytes.size(); at += step) {
      REQUIRE(reader.feed(std::string_view(bytes).substr(at, step)).ok());
    }
    const auto read = test_support::finished(reader);
    ScoredList& list = *read;
    REQUIRE(list.size() == table.rows.size() - 1);
    CsvRecord cells;
    for (std::size_t r = 0; r < list.size(); ++r) {
      REQUIRE(list.cells(r, cells).ok());
      REQUIRE(cells.size() == table.rows[r + 1].size());
      for (std::size_t c = 0; c < cells.size(); ++c) CHECK(cells[c] == table.rows[r + 1][c]);
    }
    // The export has the original columns first, unchanged, whole or read in pieces.
    const auto out = test_support::read_csv(exported(list), 0, CsvOptions{',', 64 * 1024}).capture.rows;
    REQUIRE(out.size() == table.rows.size());
    for (std::size_t r = 0; r < out.size(); ++r) {
      REQUIRE(out[r].size() >= table.rows[r].size());
      for (std::size_t c = 0; c < table.rows[r].size(); ++c) CHECK(out[r][c] == table.rows[r][c]);
    }
    CHECK(test_support::read_csv(bytes, 0, CsvOptions{',', 64 * 1024}).capture.rows ==
          test_support::read_csv(bytes, 1 + seed % 7, CsvOptions{',', 64 * 1024}).capture.rows);
  }
}

TEST_CASE("scored_list: a search matches what reading every cell finds, and typing on reads only the rows that matched",
          "[list]") {
  SampleOptions options;
  options.rows = 20000;
  options.seed = 11;
  options.as_of = kAsOf;
  const std::string bytes = generate_sample_csv(options);
  auto source = std::make_shared<StringSource>(bytes);
  const auto list = read_list(bytes, 1 << 16, default_model(), source);
  const auto rows_with = [&](const std::string& needle) {  // every cell of every row, lowered
    std::vector<std::size_t> rows;
    CsvRecord cells;
    for (std::size_t i = 0; i < list->size(); ++i) {
      REQUIRE(list->cells(i, cells).ok());
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (to_lower_ascii(cells[c]).find(needle) != std::string::npos) {
          rows.push_back(i);
          break;
        }
      }
    }
    return rows;
  };
  ListQuery search;
  search.limit = list->size();
  std::size_t narrowed_bytes = 0;
  for (const char* typed : {"n", "no", "north", "northwind", "northwind a", "northwind x", "10142", "101427"}) {
    INFO(typed);
    const std::size_t before = source->bytes_read;
    search.search = typed;
    const ListPage found = list->query(search).value();
    const std::size_t read = source->bytes_read - before;
    CHECK(found.rows == rows_with(typed));
    if (std::string(typed) == "n" || std::string(typed) == "10142") CHECK(read >= bytes.size() * 9 / 10);
    if (std::string(typed) == "101427") narrowed_bytes = read;
  }
  // A dozen rows matched "10142" (a run of record IDs): typing on reads round them only.
  CHECK(narrowed_bytes > 0);
  CHECK(narrowed_bytes < bytes.size() / 4);
  // Sorting or filtering the same search reads nothing again; a new search reads the file.
  search.search = "101427";
  search.sort = ListQuery::Sort::Score;
  search.temperatures = 1u << static_cast<unsigned>(Temperature::Hot);
  const std::size_t before = source->bytes_read;
  CHECK(list->query(search).ok());
  CHECK(source->bytes_read == before);
  search.search = "acme";
  search.temperatures = 0b111;
  search.sort = ListQuery::Sort::Row;
  const ListPage acme = list->query(search).value();
  CHECK(source->bytes_read - before >= bytes.size() * 9 / 10);
  CHECK(acme.rows == rows_with("acme"));

  // The export says now and then how many rows it wrote.
  std::vector<std::size_t> progress;
  std::string csv;
  REQUIRE(list->export_csv([&](std::string_view part) { csv.append(part); }, {},
                           [&](std::size_t rows) { progress.push_back(rows); })
              .ok());
  CHECK(progress == std::vector<std::size_t>{16384});
  CHECK(csv == exported(*list));
}

TEST_CASE("scored_list: sorting by any column gives a stable sort of its cells, and turning it round reads nothing",
          "[list]") {
  SampleOptions options;
  options.rows = 3000;
  options.seed = 5;
  options.as_of = kAsOf;
  std::string bytes = generate_sample_csv(options);
  // Cells that differ only in case, padding, emptiness, and a number column with a few words.
  bytes += "200001,ann,Zed,ann@zed.com,,CEO,  acme corp ,,Software,250,$20M,,,,,,7,3\r\n";
  bytes += "200002,ANN,zed,,,ceo,ACME Corp,,software,n/a,,,,,,,seven,3\r\n";
  bytes += "200003,,,,,,,,,,,,,,,,,\r\n";
  bytes += "200002,Cy,Lee,cy@lee.com,,CTO,Lee Inc,,,,,,,,,,2,1\r\n";  // a number column's cell twice
  auto source = std::make_shared<StringSource>(bytes);
  const auto list = read_list(bytes, 1 << 14, default_model(), source);
  REQUIRE(list->keys_cached());
  CsvRecord cells;
  REQUIRE(list->cells(0, cells).ok());
  const std::size_t columns = cells.size();
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < list->size(); ++i) {
    REQUIRE(list->cells(i, cells).ok());
    rows.emplace_back();
    for (std::size_t c = 0; c < cells.size(); ++c) rows.back().emplace_back(cells[c]);
  }
  const auto expected = [&](std::size_t column, bool descending, unsigned temperatures) {
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < list->size(); ++i) {
      if ((temperatures >> static_cast<unsigned>(list->figures(i).temperature)) & 1u) kept.push_back(i);
    }
    return reference::sorted_by_column(kept, rows.size(), column, descending, [&](std::size_t i, std::size_t c) {
      return c < rows[i].size() ? std::string_view(rows[i][c]) : std::string_view();
    });
  };
  ListQuery q;
  q.sort = ListQuery::Sort::Column;
  q.limit = list->size();
  std::size_t columns_from_keys = 0, columns_read = 0;
  for (std::size_t column = 0; column < columns; ++column) {
    for (const unsigned temperatures : {0b111u, 1u << static_cast<unsigned>(Temperature::Hot)}) {
      INFO("column " << column << ", temperatures " << temperatures);
      q.column = column;
      q.temperatures = temperatures;
      q.descending = false;
      const std::size_t before = source->bytes_read;
      const ListPage up = list->query(q).value();
      const std::size_t read = source->bytes_read - before;
      q.descending = true;
      const ListPage down = list->query(q).value();
      CHECK(source->bytes_read - before == read);  // the column's order is kept
      if (temperatures == 0b111u) (read == 0 ? columns_from_keys : columns_read) += 1;
      if (temperatures != 0b111u) CHECK(read == 0);
      CHECK(up.rows == expected(column, false, temperatures));
      CHECK(down.rows == expected(column, true, temperatures));
    }
  }
  // The columns the model reads as text (titles, sizes, counts, dates) are sorted from the cached
  // keys; the others (names, emails, notes) by reading the file again.
  CHECK(columns_from_keys >= 8);
  CHECK(columns_read >= 8);

  // Within a memory budget too small for a column's distinct cells, it is ranked a range of values
  // at a time (numbers: every row's number), one more read of the file each: the same order.
  std::size_t columns_in_ranges = 0;
  for (const std::size_t budget : {std::size_t{2048}, std::size_t{64} << 10}) {
    list->set_column_sort_budget(budget);
    for (std::size_t column = 0; column < columns; ++column) {
      INFO("budget " << budget << ", column " << column);
      q.column = column;
      q.temperatures = 0b111u;
      q.descending = false;
      const std::size_t before = source->bytes_read;
      CHECK(list->query(q).value().rows == expected(column, false, 0b111u));
      columns_in_ranges += source->bytes_read - before >= 3 * bytes.size();
      q.descending = true;
      CHECK(list->query(q).value().rows == expected(column, true, 0b111u));
    }
  }
  CHECK(columns_in_ranges >= 8);
}
