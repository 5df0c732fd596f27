#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "leadscore/csv_writer.hpp"
#include "leadscore/session.hpp"
#include "test_support.hpp"

using namespace leadscore;
using test_support::read_csv;

namespace {

const std::int32_t kAsOf = *days_from_civil(2026, 11, 20);

/// Scores `bytes` fed in chunks of `chunk` (0 = whole) and returns the scored CSV.
std::string score_to_csv(const std::string& bytes, std::size_t chunk, CsvWriterOptions writer_options = {},
                         SessionOptions options = {}) {
  options.as_of = kAsOf;
  ScoringSession session(default_model(), options);
  std::string out;
  ScoredCsvWriter writer([&](std::string_view part) { out.append(part); }, writer_options);
  const std::size_t step = chunk == 0 ? bytes.size() : chunk;
  for (std::size_t at = 0; at < bytes.size(); at += step) {
    REQUIRE(session.feed(std::string_view(bytes).substr(at, step), writer).ok());
  }
  REQUIRE(session.finish(writer).ok());
  writer.flush();
  return out;
}

/// A session that has read all of `bytes` (the scored CSV thrown away): for its summary.
std::unique_ptr<ScoringSession> session_over(const std::string& bytes) {
  SessionOptions options;
  options.as_of = kAsOf;
  auto session = std::make_unique<ScoringSession>(default_model(), options);
  ScoredCsvWriter writer([](std::string_view) {}, {});
  REQUIRE(session->feed(bytes, writer).ok());
  REQUIRE(session->finish(writer).ok());
  return session;
}

}  // namespace

TEST_CASE("session: chunk size never changes the scored output", "[session][chunks]") {
  const std::string bytes = test_support::read_file(test_support::fixture_path("tricky_leads.csv"));
  const std::string whole = score_to_csv(bytes, 0);
  for (std::size_t chunk : {1, 2, 7, 64, 4096}) {
    INFO("chunk " << chunk);
    CHECK(score_to_csv(bytes, chunk) == whole);
  }
  // A small part size hands the output over in many parts with the same bytes.
  CsvWriterOptions small;
  small.part_bytes = 16;
  CHECK(score_to_csv(bytes, 3, small) == whole);
}

TEST_CASE("session: every row comes out once, in order, with its cells unchanged", "[session]") {
  const std::string bytes = test_support::read_file(test_support::fixture_path("tricky_leads.csv"));
  const auto input = read_csv(bytes);
  const auto output = read_csv(score_to_csv(bytes, 0));
  REQUIRE(output.capture.rows.size() == input.capture.rows.size());
  const std::size_t width = input.capture.rows[0].size();
  // The header keeps its names and gains ours; an existing lead_score gets ours renamed.
  CHECK(output.capture.rows[0][7] == "lead_score");
  CHECK(output.capture.rows[0][width] == "lead_score_2");
  CHECK(output.capture.rows[0][width + 3] == "lead_temperature");
  for (std::size_t r = 1; r < input.capture.rows.size(); ++r) {
    const auto& in = input.capture.rows[r];
    const auto& out = output.capture.rows[r];
    INFO("row " << r);
    for (std::size_t c = 0; c < in.size(); ++c) {
      // Cells past the header's width come after the appended columns.
      const std::size_t at = c < width ? c : c + 6;
      CHECK(out.at(at) == in[c]);
    }
    CHECK((out[width + 3] == "cold" || out[width + 3] == "warm" || out[width + 3] == "hot"));
  }
  // The short row is padded to the header's width, so the appended columns line up.
  CHECK(output.capture.rows[4].size() == width + 6);
  CHECK(output.capture.rows[4][1] == "Manager");
}

TEST_CASE("writer: a cell is quoted with every quote doubled, wherever the quotes are", "[session][writer]") {
  const std::pair<std::string, std::string> cases[] = {
      {"plain", "plain"},
      {"", ""},
      {"a,b", "\"a,b\""},
      {"\"", "\"\"\"\""},
      {"\"start", "\"\"\"start\""},
      {"end\"", "\"end\"\"\""},
      {"a \"quoted\" word, twice \"\"", "\"a \"\"quoted\"\" word, twice \"\"\"\"\""},
      {"line\nbreak", "\"line\nbreak\""},
      {" padded", "\" padded\""},
      {std::string(600, 'x') + "\"" + std::string(600, ','),
       "\"" + std::string(600, 'x') + "\"\"" + std::string(600, ',') + "\""},
  };
  for (const auto& [text, cell] : cases) {
    INFO(text);
    std::string out = "prefix:";
    append_csv_cell(out, text, ',');
    CHECK(out == "prefix:" + cell);
    // What the reader makes of the cell is the text again.
    if (!text.empty()) CHECK(read_csv(cell + "\n").capture.rows.at(0).at(0) == text);
  }
}

TEST_CASE("session: the scores follow the model on the tricky file", "[session]") {
  const std::string bytes = test_support::read_file(test_support::fixture_path("tricky_leads.csv"));
  const auto out = read_csv(score_to_csv(bytes, 0)).capture.rows;
  const std::size_t t = 9 + 3;  // lead_temperature
  CHECK(out[1][t] == "hot");    // VP, 1,001-5,000 staff, 12 visits, demo, recent activity
  CHECK(out[2][t] == "cold");   // student: disqualified
  CHECK(out[2][t + 1].rfind("Disqualified: Student", 0) == 0);
  CHECK(out[2][t + 2].rfind("Do not pursue", 0) == 0);
  CHECK(out[1][t + 2].find("within 24 h") != std::string::npos);
}

TEST_CASE("session: formulas are neutralised in appended cells, and in all cells on request", "[session][security]") {
  const std::string bytes = test_support::read_file(test_support::fixture_path("tricky_leads.csv"));
  const auto plain = read_csv(score_to_csv(bytes, 0)).capture.rows;
  CHECK(plain[2][8] == "=HYPERLINK(\"http://x\")");  // kept as it was
  CsvWriterOptions safe;
  safe.neutralize_formulas = true;
  const auto neutral = read_csv(score_to_csv(bytes, 0, safe)).capture.rows;
  CHECK(neutral[2][8] == "'=HYPERLINK(\"http://x\")");
  CHECK(neutral[3][8] == "'-5 seats");
  for (const auto& row : plain) {
    for (std::size_t c = 9; c < 15 && c < row.size(); ++c) {
      INFO(row[c]);
      CHECK((row[c].empty() || std::string("=+-@\t\r").find(row[c][0]) == std::string::npos));
    }
  }

  // The summary counts the original cells a spreadsheet may run (the page warns before an export).
  const auto rows = read_csv(bytes);
  std::int64_t expected = 0, first_line = 0, first_column = -1;
  for (std::size_t r = 1; r < rows.capture.rows.size(); ++r) {
    const auto& row = rows.capture.rows[r];
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (row[c].empty() || std::string("=+-@\t\r").find(row[c][0]) == std::string::npos) continue;
      if (expected++ == 0) {
        first_line = rows.capture.lines[r];
        first_column = static_cast<std::int64_t>(c);
      }
    }
  }
  REQUIRE(expected >= 2);
  const auto formulas = session_over(bytes)->summary_json()["formula_cells"];
  CHECK(formulas["count"] == expected);
  CHECK(formulas["line"] == first_line);
  CHECK(formulas["column"] == first_column);
}

TEST_CASE("session: summary counts, mapping and issues", "[session]") {
  const auto session = session_over(test_support::read_file(test_support::fixture_path("tricky_leads.csv")));
  const Summary& s = session->summary();
  CHECK(s.rows() == 5);
  CHECK(s.count(Temperature::Cold) + s.count(Temperature::Warm) + s.count(Temperature::Hot) == 5);
  CHECK(s.issue_count() == 3);  // a stray quote, one short row, one long row
  const auto j = session->summary_json();
  CHECK(j["file"]["delimiter"] == ";");
  CHECK(j["file"]["byte_order_mark"] == true);
  CHECK(j["mapping"]["fields"]["employees"] == "Number of Employees");
  CHECK(j["issues"]["by_code"]["csv.too_few_fields"] == 1);
  CHECK(j["issues"]["first"][0]["code"] == "csv.stray_quote");
  CHECK(j["issues"]["first"][0]["line"] == 4);  // the first lead spans lines 2-3
  CHECK(j["issues"]["first"][1]["line"] == 6);
  CHECK(j["by_source"][0]["source"] == "Webinar");
  CHECK(j["by_source"][0]["total"] == 2);
  CHECK(j["histogram"].size() == 10);
}

TEST_CASE("session: a header-only file and fatal inputs", "[session]") {
  CHECK(score_to_csv("Email,Title\r\n", 0).rfind("Email,Title,lead_score", 0) == 0);
  ScoringSession session(default_model());
  ScoredCsvWriter writer([](std::string_view) {}, {});
  const Status status = session.feed(std::string("PK\x03\x04zipzipzip", 12), writer);
  const Status finished = status.ok() ? session.finish(writer) : status;
  REQUIRE_FALSE(finished.ok());
  CHECK(finished.error().code == ErrorCode::CsvNotText);
  CHECK(finished.error().message.find("Excel") != std::string::npos);
}

TEST_CASE("session: the user's mapping corrections apply", "[session]") {
  SessionOptions options;
  options.mapping_overrides = {{"job_title", "Notes"}, {"employees", ""}};
  options.as_of = kAsOf;
  ScoringSession session(default_model(), options);
  ScoredCsvWriter writer([](std::string_view) {}, {});
  REQUIRE(session.feed(test_support::read_file(test_support::fixture_path("tricky_leads.csv")), writer).ok());
  REQUIRE(session.finish(writer).ok());
  CHECK(session.mapping().headers()[session.mapping().column_of("job_title")] == "Notes");
  CHECK(session.mapping().column_of("employees") == -1);
}

TEST_CASE("session: the real lists are scored with every row kept", "[session][real]") {
  struct Case {
    const char* path;
    std::int64_t rows;
    bool has_signals;  // Olist's MQL list has no fit or engagement column: all cold is right
  };
  for (const Case& c :
       {Case{"real/xeducation/Leads.csv", 9240, true}, Case{"real/bank-marketing/bank-additional.csv", 4119, true},
        Case{"real/olist-marketing-funnel/olist_marketing_qualified_leads_dataset.csv", 8000, false}}) {
    const std::string path = test_support::shared_path(c.path);
    if (!test_support::file_exists(path)) {
      WARN("skipped: " << path << " is absent");
      continue;
    }
    INFO(c.path);
    const std::string bytes = test_support::read_file(path);
    const std::string scored = score_to_csv(bytes, 65536);
    const auto in = read_csv(bytes).capture.rows;
    const auto out = read_csv(scored).capture.rows;
    REQUIRE(out.size() == static_cast<std::size_t>(c.rows) + 1);
    std::int64_t warm_or_hot = 0;
    for (std::size_t r = 1; r < out.size(); ++r) {
      for (std::size_t k = 0; k < in[r].size(); ++k) REQUIRE(out[r][k] == in[r][k]);
      warm_or_hot += out[r][in[0].size() + 3] != "cold";
    }
    CHECK((warm_or_hot > 0) == c.has_signals);
  }
}
