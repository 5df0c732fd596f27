#include <catch2/catch.hpp>

#include "leadscore/column_map.hpp"
#include "test_support.hpp"

using namespace leadscore;

namespace {

CsvRecord record(std::initializer_list<const char*> cells, std::int64_t line = 1) {
  CsvRecord r;
  for (const char* cell : cells) r.push_back(cell);
  r.set_line(line);
  return r;
}

ColumnMapping map(std::vector<std::string> headers, std::vector<CsvRecord> sample = {},
                  const ColumnOverrides& overrides = {}) {
  return map_columns(std::move(headers), sample, overrides, MissingValues());
}

}  // namespace

TEST_CASE("column_map: export headers from each CRM map to canonical fields", "[columns]") {
  struct Case {
    const char* header;
    const char* field;
  };
  for (const Case& c : {Case{"Email", "email"},
                        Case{"E-mail", "email"},
                        Case{"Email Address", "email"},
                        Case{"Job Title", "job_title"},
                        Case{"jobtitle", "job_title"},
                        Case{"Designation", "job_title"},
                        Case{"Number of Employees", "employees"},
                        Case{"No. of Employees", "employees"},
                        Case{"NumberOfEmployees", "employees"},
                        Case{"no_of_employees", "employees"},
                        Case{"EMPCT", "employees"},
                        Case{"Annual Revenue", "annual_revenue"},
                        Case{"Country/Region", "country"},
                        Case{"Number of Pageviews", "page_views"},
                        Case{"hs_analytics_num_visits", "sessions"},
                        Case{"TotalVisits", "sessions"},
                        Case{"num_conversion_events", "form_submissions"},
                        Case{"LeadSource", "lead_source"},
                        Case{"Original Traffic Source", "lead_source"},
                        Case{"Lifecycle Stage", "lifecycle_stage"},
                        Case{"hs_lead_status", "lead_status"},
                        Case{"role_in_purchase_process", "seniority"},
                        Case{"Buying Role", "seniority"},
                        Case{"IsConverted", "outcome"},
                        Case{"Contact Email", "email"},
                        Case{"Marketing emails opened", "email_opens"},
                        Case{"LastActivityDate", "last_activity_date"},
                        Case{"Company / Account", "company"},
                        Case{"HubSpot Score", "existing_score"}}) {
    INFO(c.header);
    const auto m = map({"Other", c.header});
    CHECK(m.field_of(1) == c.field);
    CHECK(m.column_of(c.field) == 1);
  }
  CHECK(map({"Favourite colour"}).matches().empty());
}

TEST_CASE("column_map: the best synonym wins when two columns compete", "[columns]") {
  const auto m = map({"Email Address", "Email", "Title", "Job Title"});
  CHECK(m.column_of("email") == 1);
  CHECK(m.column_of("job_title") == 3);
}

TEST_CASE("column_map: sample values confirm numeric, date and yes/no fields", "[columns]") {
  // X Education's "Last Activity" holds activity names, not dates: it maps as text.
  const std::vector<CsvRecord> sample{record({"Email Opened", "5"}, 2), record({"Page Visited on Website", "1"}, 3)};
  const auto m = map({"Last Activity", "TotalVisits"}, sample);
  CHECK(m.field_of(0) == "last_activity");
  CHECK(m.field_of(1) == "sessions");
  CHECK(m.notes().size() == 1);

  const std::vector<CsvRecord> dates{record({"2025-01-02"}, 2), record({"03/04/2025"}, 3), record({""}, 4)};
  CHECK(map({"Last Activity"}, dates).field_of(0) == "last_activity_date");

  // Headcount ranges are numbers.
  const std::vector<CsvRecord> ranges{record({"51-200"}, 2), record({"1,001-5,000"}, 3), record({"10000+"}, 4)};
  CHECK(map({"Company size"}, ranges).field_of(0) == "employees");
}

TEST_CASE("column_map: the model adds synonyms and custom fields", "[columns]") {
  const ColumnOverrides overrides{{"employees", {"Team strength"}}, {"plan", {"Subscription Plan"}}};
  const auto m = map({"Team strength", "Subscription plan", "Employees"}, {}, overrides);
  CHECK(m.column_of("employees") == 0);
  CHECK(m.column_of("plan") == 1);
  CHECK(m.column_of("column:employees") == 2);
  CHECK(m.column_of("column:Nope") == -1);
}

TEST_CASE("column_map: a user can change the mapping", "[columns]") {
  auto m = map({"Title", "Position"});
  CHECK(m.column_of("job_title") == 0);
  m.set("job_title", 1);
  CHECK(m.column_of("job_title") == 1);
  m.set("job_title", -1);
  CHECK(m.column_of("job_title") == -1);
}

TEST_CASE("column_map: empty and duplicate header names are made unique and reported", "[columns]") {
  std::vector<Error> issues;
  const auto names = unique_header_names(record({"Email", "", "email", "Email_2", " Name "}), issues);
  CHECK(names == std::vector<std::string>{"Email", "column_2", "email_3", "Email_2", "Name"});
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].code == ErrorCode::CsvEmptyHeader);
  CHECK(issues[0].column == 2);
  CHECK(issues[1].code == ErrorCode::CsvDuplicateHeader);
  CHECK(issues[1].column == 3);
}

TEST_CASE("column_map: the real lists map their key columns", "[columns][real]") {
  using test_support::read_csv;
  const std::string path = test_support::shared_path("real/xeducation/Leads.csv");
  if (!test_support::file_exists(path)) {
    WARN("skipped: " << path << " is absent");
    return;
  }
  const auto r = read_csv(test_support::read_file(path));
  std::vector<CsvRecord> sample;
  for (std::size_t i = 1; i < 200; ++i) {
    CsvRecord row;
    for (const auto& cell : r.capture.rows[i]) row.push_back(cell);
    sample.push_back(row);
  }
  std::vector<Error> issues;
  CsvRecord header;
  for (const auto& cell : r.capture.rows[0]) header.push_back(cell);
  const auto m = map_columns(unique_header_names(header, issues), sample, {}, MissingValues());
  CHECK(m.headers()[m.column_of("sessions")] == "TotalVisits");
  CHECK(m.headers()[m.column_of("time_on_site")] == "Total Time Spent on Website");
  CHECK(m.headers()[m.column_of("lead_source")] == "Lead Source");
  CHECK(m.headers()[m.column_of("outcome")] == "Converted");
  CHECK(m.headers()[m.column_of("last_activity")] == "Last Activity");
  CHECK(m.headers()[m.column_of("email_opt_out")] == "Do Not Email");
  CHECK(m.headers()[m.column_of("industry")] == "Specialization");
  CHECK(m.headers()[m.column_of("job_title")] == "What is your current occupation");
  CHECK(m.column_of("last_activity_date") == -1);
  CHECK(issues.size() == 1);  // the unnamed 38th column
}
