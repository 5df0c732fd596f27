#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "leadscore/sample_generator.hpp"
#include "leadscore/session.hpp"
#include "test_support.hpp"

using namespace leadscore;

namespace {

SampleOptions options(std::size_t rows, std::uint64_t seed) {
  SampleOptions o;
  o.rows = rows;
  o.seed = seed;
  o.as_of = *days_from_civil(2026, 11, 20);
  o.truth_column = true;
  return o;
}

}  // namespace

TEST_CASE("sample: the same seed gives the same bytes, another seed another list", "[sample]") {
  const std::string a = generate_sample_csv(options(500, 42));
  CHECK(a == generate_sample_csv(options(500, 42)));
  CHECK(a != generate_sample_csv(options(500, 43)));
  std::string parts;
  std::size_t count = 0;
  generate_sample(options(5000, 42), [&](std::string_view part) {
    parts.append(part);
    ++count;
  });
  CHECK(parts.rfind(a.substr(0, a.size() - 200), 0) == 0);  // a longer list starts the same way
  CHECK(count >= 1);
}

TEST_CASE("sample: a clean CSV of the requested size, names from several cultures", "[sample]") {
  const auto r = test_support::read_csv(generate_sample_csv(options(2000, 1)));
  REQUIRE(r.fatal.empty());
  CHECK(r.capture.rows.size() == 2001);
  CHECK(r.capture.issues.empty());
  std::map<std::string, int> countries;
  bool non_ascii = false;
  for (std::size_t i = 1; i < r.capture.rows.size(); ++i) {
    REQUIRE(r.capture.rows[i].size() == 33);
    ++countries[r.capture.rows[i][11]];
    for (unsigned char c : r.capture.rows[i][2]) non_ascii = non_ascii || c >= 0x80;
  }
  CHECK(countries.size() >= 15);
  CHECK(non_ascii);
  CHECK(test_support::read_csv(generate_sample_csv(options(0, 1))).capture.rows.size() == 1);
}

TEST_CASE("sample: the default model finds a believable funnel", "[sample]") {
  SessionOptions session_options;
  session_options.as_of = *days_from_civil(2026, 11, 20);
  ScoringSession session(default_model(), session_options);
  struct Agreement final : ScoredRowSink {
    std::size_t truth_column = 0, rows = 0, agree = 0, hot_found = 0, hot_truth = 0;
    void on_header(const CsvRecord& header, const Scorer&) override { truth_column = header.size() - 1; }
    void on_row(const CsvRecord& row, const ScoreResult& result, Scorer&) override {
      ++rows;
      const std::string truth(row[truth_column]);
      agree += truth == temperature_name(result.temperature);
      hot_truth += truth == "hot";
      hot_found += truth == "hot" && result.temperature == Temperature::Hot;
    }
  } sink;
  REQUIRE(session.feed(generate_sample_csv(options(10000, 7)), sink).ok());
  REQUIRE(session.finish(sink).ok());
  const Summary& s = session.summary();
  const auto share = [&](Temperature t) { return double(s.count(t)) / double(s.rows()); };
  CHECK(share(Temperature::Hot) > 0.10);
  CHECK(share(Temperature::Hot) < 0.30);
  CHECK(share(Temperature::Warm) > 0.20);
  CHECK(share(Temperature::Cold) > 0.35);
  CHECK(double(sink.agree) / double(sink.rows) > 0.65);
  CHECK(double(sink.hot_found) / double(sink.hot_truth) > 0.8);
}

TEST_CASE("sample: free text makes titles and figures distinct, scored as without it", "[sample]") {
  // The same seed with and without free text: the same leads, the default model scores each alike.
  const auto scored = [](bool free_text) {
    SampleOptions o = options(20000, 9);
    o.free_text = free_text;
    SessionOptions session_options;
    session_options.as_of = o.as_of;
    ScoringSession session(default_model(), session_options);
    std::string out;
    ScoredCsvWriter writer([&](std::string_view part) { out.append(part); }, {});
    REQUIRE(session.feed(generate_sample_csv(o), writer).ok());
    REQUIRE(session.finish(writer).ok());
    writer.flush();
    return test_support::read_csv(out).capture.rows;
  };
  const auto plain = scored(false), free = scored(true);
  REQUIRE(plain.size() == 20001);
  REQUIRE(free.size() == plain.size());
  std::set<std::string> titles, plain_titles, employees, revenues;
  for (std::size_t i = 1; i < plain.size(); ++i) {
    REQUIRE(free[i].size() == plain[i].size());
    for (std::size_t c = 0; c < plain[i].size(); ++c) {
      if (c == 5 || c == 9 || c == 10) continue;  // title, employees, revenue
      CHECK(free[i][c] == plain[i][c]);           // the other cells and every lead_* column
    }
    CHECK(free[i][5].rfind(plain[i][5], 0) == 0);  // the title, with more after it
    titles.insert(free[i][5]);
    plain_titles.insert(plain[i][5]);
    employees.insert(free[i][9]);
    revenues.insert(free[i][10]);
  }
  CHECK(plain_titles.size() <= 30);
  CHECK(titles.size() > 8000);
  CHECK(employees.size() > 2000);
  CHECK(revenues.size() > 5000);
}
