#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "leadscore/model.hpp"

using namespace leadscore;
using Json = nlohmann::json;

namespace {

/// A small valid model, changed by each test.
Json base_model() {
  return Json::parse(R"({
    "leadscore_model": 1,
    "name": "Test",
    "fit": {"rules": [{"id": "size", "field": "employees", "at_least": 50, "points": 10}]},
    "engagement": {"rules": [{"id": "visits", "field": "sessions", "per_unit": 2, "cap": 10}]}
  })");
}

Error first_error(const Json& model) {
  const auto result = parse_model(model.dump());
  REQUIRE_FALSE(result.ok());
  return result.error();
}

}  // namespace

TEST_CASE("model: the built-in model is valid and complete", "[model]") {
  CHECK(check_model(default_model_json()).empty());
  const ScoringModel& m = default_model();
  CHECK(m.fit.rules.size() >= 10);
  CHECK(m.engagement.rules.size() >= 15);
  CHECK(m.disqualifiers.size() >= 4);
  CHECK(m.segments.warm < m.segments.hot);
  CHECK(m.play(Temperature::Hot).sla_hours.value_or(0) > 0);
  CHECK(m.play(Temperature::Cold).stage == "awareness");
  CHECK(m.play(Temperature::Warm).stage == "consideration");
  CHECK(m.play(Temperature::Hot).stage == "decision");
  // Free-mail domains are expanded from the built-in list.
  const auto& free_mail = m.fit.rules.back();
  CHECK(free_mail.matcher == Matcher::DomainIn);
  CHECK(free_mail.texts.size() > 20);
}

TEST_CASE("model: a minimal model parses with defaults", "[model]") {
  const auto result = parse_model(base_model().dump());
  REQUIRE(result.ok());
  const ScoringModel& m = result.value();
  CHECK(m.name == "Test");
  CHECK(m.fit.rules[0].matcher == Matcher::Range);
  CHECK(m.fit.rules[0].label == "size");
  CHECK(m.engagement.rules[0].cap == Approx(10));
  CHECK(m.segments.method == Segmentation::Method::Thresholds);
  CHECK(m.segments.fit_grades.size() == 3);
  CHECK(m.play(Temperature::Hot).sla_hours == Approx(24));
}

TEST_CASE("model: mistakes are reported with the JSON path of the value", "[model]") {
  struct Case {
    const char* what;
    Json::json_pointer pointer;
    Json value;
    ErrorCode code;
    const char* path;
  };
  const std::vector<Case> cases{
      {"points not a number", Json::json_pointer("/fit/rules/0/points"), "ten", ErrorCode::ModelTypeMismatch,
       "/fit/rules/0/points"},
      {"unknown key", Json::json_pointer("/fit/rules/0/pionts"), 3, ErrorCode::ModelUnknownKey, "/fit/rules/0/pionts"},
      {"unknown top-level key", Json::json_pointer("/colour"), "red", ErrorCode::ModelUnknownKey, "/colour"},
      {"warm above hot", Json::json_pointer("/segments"), Json{{"warm", 80}, {"hot", 60}}, ErrorCode::ModelInvalidValue,
       "/segments/warm"},
      {"threshold above 100", Json::json_pointer("/segments"), Json{{"hot", 120}}, ErrorCode::ModelInvalidValue,
       "/segments/hot"},
      {"unknown field", Json::json_pointer("/fit/rules/0/field"), "Number of Employees", ErrorCode::ModelUnknownField,
       "/fit/rules/0/field"},
      {"negative cap", Json::json_pointer("/engagement/rules/0/cap"), -1, ErrorCode::ModelInvalidValue,
       "/engagement/rules/0/cap"},
      {"half-life of zero", Json::json_pointer("/engagement/decay"), Json{{"half_life_days", 0}},
       ErrorCode::ModelInvalidValue, "/engagement/decay/half_life_days"},
      {"decay on a non-date field", Json::json_pointer("/engagement/decay"),
       Json{{"half_life_days", 30}, {"date_field", "sessions"}}, ErrorCode::ModelInvalidValue,
       "/engagement/decay/date_field"},
      {"wrong version", Json::json_pointer("/leadscore_model"), 2, ErrorCode::ModelInvalidValue, "/leadscore_model"},
      {"unknown domain list", Json::json_pointer("/fit/rules/0"),
       Json{{"id", "x"}, {"field", "email"}, {"domain_in", {"@rivals"}}, {"points", 1}}, ErrorCode::ModelInvalidValue,
       "/fit/rules/0/domain_in/0"},
      {"two tests in one rule", Json::json_pointer("/fit/rules/0/equals"), "x", ErrorCode::ModelInvalidValue,
       "/fit/rules/0"},
      {"range upside down", Json::json_pointer("/fit/rules/0/below"), 10, ErrorCode::ModelInvalidValue,
       "/fit/rules/0/below"},
      {"bad id", Json::json_pointer("/fit/rules/0/id"), "Company Size", ErrorCode::ModelInvalidValue,
       "/fit/rules/0/id"},
      {"rules not an array", Json::json_pointer("/fit/rules"), Json::object(), ErrorCode::ModelTypeMismatch,
       "/fit/rules"},
      {"bad temperature sla", Json::json_pointer("/temperatures"), Json{{"hot", {{"sla_hours", -4}}}},
       ErrorCode::ModelInvalidValue, "/temperatures/hot/sla_hours"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    Json model = base_model();
    model[c.pointer] = c.value;
    const Error e = first_error(model);
    CHECK(e.code == c.code);
    CHECK(e.json_path == c.path);
    CHECK_FALSE(e.message.empty());
  }
}

TEST_CASE("model: numbers no double holds and points no model means are refused, never thrown", "[model]") {
  // Found by fuzz_model: "2e+308" made the JSON parser throw out_of_range, which nothing caught.
  auto j = Json::parse(default_model_json());
  const std::string text = j.dump();
  const std::string huge = text.substr(0, text.size() - 1) + ",\"x\":2e+308}";
  const auto errors = check_model(huge);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].code == ErrorCode::ModelInvalidJson);
  CHECK(errors[0].message.find("2e+308") != std::string::npos);
  CHECK_FALSE(parse_model(huge).ok());
  // Points beyond a million either way are a slip, not a model.
  j["fit"]["rules"][0]["points"] = 1e300;
  const auto slips = check_model(j.dump());
  REQUIRE(slips.size() == 1);
  CHECK(slips[0].json_path == "/fit/rules/0/points");
}

TEST_CASE("model: a missing key and an unbounded per-unit rule", "[model]") {
  Json model = base_model();
  model["fit"]["rules"][0].erase("id");
  Error e = first_error(model);
  CHECK(e.code == ErrorCode::ModelMissingKey);
  CHECK(e.json_path == "/fit/rules/0/id");

  model = base_model();
  model["engagement"]["rules"][0].erase("cap");
  e = first_error(model);
  CHECK(e.json_path == "/engagement/rules/0/cap");
  model["engagement"]["max_points"] = 50;  // with a fixed scale, no cap is needed
  CHECK(parse_model(model.dump()).ok());
}

TEST_CASE("model: unknown field names suggest the lead field meant", "[model]") {
  Json model = base_model();
  model["fit"]["rules"][0]["field"] = "Number of Employees";
  CHECK(first_error(model).message.find("did you mean \"employees\"") != std::string::npos);
  model["fit"]["rules"][0]["field"] = "column:Number of Employees";
  CHECK(parse_model(model.dump()).ok());
  model["columns"] = {{"team_size", {"Team size"}}};
  model["fit"]["rules"][0]["field"] = "team_size";
  CHECK(parse_model(model.dump()).ok());
}

TEST_CASE("model: invalid JSON names its line and column", "[model]") {
  const auto result = parse_model("{\n  \"leadscore_model\": 1,\n  \"name\": oops\n}");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code == ErrorCode::ModelInvalidJson);
  CHECK(result.error().line == 3);
  CHECK(result.error().column >= 11);
  CHECK(parse_model("").error().code == ErrorCode::ModelInvalidJson);
  CHECK(parse_model("[1, 2]").error().code == ErrorCode::ModelTypeMismatch);
}

TEST_CASE("model: check_model lists every problem", "[model]") {
  Json model = base_model();
  model["fit"]["rules"][0]["points"] = "x";
  model["engagement"]["rules"][0]["cap"] = -2;
  model["extra"] = true;
  const auto errors = check_model(model.dump());
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].to_string().find("/extra") != std::string::npos);
}

TEST_CASE("model: duplicate ids and the matrix are checked", "[model]") {
  Json model = base_model();
  model["engagement"]["rules"][0]["id"] = "size";
  CHECK(first_error(model).json_path == "/engagement/rules/0/id");

  model = base_model();
  model["segments"] = {{"method", "matrix"},
                       {"matrix",
                        {{"A1", "hot"},
                         {"A2", "hot"},
                         {"A3", "warm"},
                         {"B1", "hot"},
                         {"B2", "warm"},
                         {"B3", "cold"},
                         {"C1", "warm"},
                         {"C2", "cold"},
                         {"C3", "cold"}}}};
  const auto ok = parse_model(model.dump());
  REQUIRE(ok.ok());
  CHECK(ok.value().segments.matrix.at("B2") == Temperature::Warm);
  model["segments"]["matrix"].erase("C3");
  CHECK(first_error(model).json_path == "/segments/matrix/C3");
  model["segments"]["matrix"]["C3"] = "boiling";
  CHECK(first_error(model).json_path == "/segments/matrix/C3");
  model["segments"]["matrix"]["C3"] = "cold";
  model["segments"]["fit_grades"] = {{{"grade", "A"}, {"at_least", 50}}, {{"grade", "C"}, {"at_least", 10}}};
  CHECK(first_error(model).json_path == "/segments/fit_grades/1/at_least");
}
