#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "leadscore/scorer.hpp"

using namespace leadscore;
using Json = nlohmann::ordered_json;  // the explanation keeps its key order

namespace {

const std::int32_t kAsOf = *days_from_civil(2025, 6, 30);

ScoringModel model_from(const Json& j) {
  auto result = parse_model(j.dump());
  if (!result.ok()) FAIL(result.error().to_string());
  return std::move(result).value();
}

/// Fit: title seniority (grouped), size bands, free mail. Engagement: visits per unit (cap), demo
/// flag with a 30-day half-life, "no activity for 90 days".
Json test_model() {
  return Json::parse(R"({
    "leadscore_model": 1,
    "name": "Test",
    "fit": {"max_points": 50, "rules": [
      {"id": "director", "label": "Director", "field": "job_title", "group": "seniority", "points": 20, "contains_any": ["director", "vp"]},
      {"id": "manager", "label": "Manager", "field": "job_title", "group": "seniority", "points": 10, "contains_any": ["manager", "director"]},
      {"id": "no_title", "label": "No title", "field": "job_title", "present": true, "points": 0, "missing_points": -5},
      {"id": "size", "label": "Size", "field": "employees", "bands": [
        {"at_least": 200, "points": 30, "label": "200+ staff"},
        {"at_least": 10, "below": 200, "points": 10, "label": "10-199 staff"}]},
      {"id": "free_mail", "label": "Free mail", "field": "email", "domain_in": ["@free_mail"], "points": -10}
    ]},
    "engagement": {"max_points": 40, "decay": {"half_life_days": 30, "date_field": "last_activity_date"}, "rules": [
      {"id": "visits", "label": "Visits", "field": "sessions", "per_unit": 3, "cap": 15},
      {"id": "demo", "label": "Demo", "field": "demo_requested", "is": true, "points": 20},
      {"id": "stale", "label": "Stale", "field": "last_activity_date", "older_than_days": 90, "points": -10, "decay": false}
    ]},
    "disqualifiers": [
      {"id": "student", "field": "job_title", "contains_any": ["student"], "reason": "Student"}
    ],
    "segments": {"warm": 30, "hot": 60, "hot_requires": {"fit": 50, "engagement": 30}},
    "temperatures": {"hot": {"next_action": "Call", "sla_hours": 4}}
  })");
}

const std::vector<std::string> kHeaders{"Email",  "Job Title",      "Employees",
                                        "Visits", "Demo Requested", "Last Activity Date"};

struct Scored {
  ScoreResult result;
  std::string reasons;
  std::string next_action;
};

Scored score(const ScoringModel& model, std::initializer_list<const char*> cells,
             const std::vector<std::string>& headers = kHeaders) {
  const ColumnMapping mapping = map_columns(headers, {}, model.columns, model.missing);
  Scorer scorer(model, mapping, kAsOf);
  CsvRecord row;
  for (const char* c : cells) row.push_back(c);
  Scored s;
  scorer.score(row, s.result);
  s.reasons = scorer.reasons(s.result);
  s.next_action = scorer.next_action(s.result);
  // What the scored CSV asks for: the same figures, and only the hits that count and move the
  // score, in the same order, so the same reasons.
  ScoreResult for_reasons;
  scorer.score(row, for_reasons, Scorer::Detail::Reasons);
  CHECK(for_reasons.total == s.result.total);
  CHECK(for_reasons.temperature == s.result.temperature);
  std::vector<const Rule*> moving;
  for (const auto& h : s.result.hits) {
    if (h.counted && h.points != 0) moving.push_back(h.rule);
  }
  std::vector<const Rule*> listed;
  for (const auto& h : for_reasons.hits) listed.push_back(h.rule);
  CHECK(listed == moving);
  CHECK(scorer.reasons(for_reasons) == s.reasons);
  CHECK(scorer.next_action(for_reasons) == s.next_action);
  return s;
}

const RuleHit* hit(const ScoreResult& r, const std::string& id) {
  for (const auto& h : r.hits) {
    if (h.rule->id == id) return &h;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("scorer: points, bands, caps and groups add up by hand", "[scorer]") {
  const ScoringModel model = model_from(test_model());
  // Director (20, manager superseded) + 200+ staff (30) = 50 of 50 -> fit 100.
  // Visits 7 x 3 = 21 capped at 15, demo 20, both decayed 15 days on a 30-day half-life (x 0.7071).
  const auto s = score(model, {"ann@acme.com", "Sales Director", "1,001-5,000", "7", "yes", "2025-06-15"});
  CHECK(s.result.fit.points == Approx(50));
  CHECK(s.result.fit.score == Approx(100));
  REQUIRE(hit(s.result, "manager"));
  CHECK_FALSE(hit(s.result, "manager")->counted);
  const RuleHit* visits = hit(s.result, "visits");
  REQUIRE(visits);
  CHECK(visits->base == Approx(21));
  CHECK(visits->capped);
  CHECK(visits->decay_factor == Approx(0.70710678));
  CHECK(visits->points == Approx(10.6));  // 15 x 0.7071 = 10.61
  CHECK(hit(s.result, "demo")->points == Approx(14.1));
  CHECK(s.result.engagement.points == Approx(24.7));
  // max_points is 40, but visits (15) and demo (20) can give only 35: 35 makes 100.
  CHECK(s.result.engagement.max_points == Approx(35));
  CHECK(s.result.engagement.score == Approx(70.6));  // 24.7 / 35
  CHECK(s.result.total == Approx(85.3));             // (100 + 70.6) / 2
  CHECK(s.result.temperature == Temperature::Hot);
  CHECK(s.result.grade == "A1");
  CHECK(s.next_action == "Call (within 4 h)");
  // Counted hits come by impact.
  CHECK(s.result.hits[0].rule->id == "size");
  CHECK(s.result.hits[1].rule->id == "director");
  CHECK(s.reasons.rfind(
            "200+ staff (+30); Director (+20); Demo (+14.1, decayed x0.71); Visits (+10.6, capped, decayed x0.71)",
            0) == 0);
}

TEST_CASE("scorer: negative points, missing values and the axis floor", "[scorer]") {
  const ScoringModel model = model_from(test_model());
  const auto s = score(model, {"bob@gmail.com", "", "5", "0", "no", "2025-01-01"});
  CHECK(hit(s.result, "no_title")->missing);
  CHECK(hit(s.result, "no_title")->points == Approx(-5));
  CHECK(hit(s.result, "free_mail")->points == Approx(-10));
  CHECK_FALSE(hit(s.result, "size"));  // 5 staff: no band
  CHECK(s.result.fit.points == Approx(-15));
  CHECK(s.result.fit.score == 0);                        // floored at 0
  CHECK(hit(s.result, "stale")->points == Approx(-10));  // 180 days, not decayed
  CHECK(s.result.engagement.score == 0);
  CHECK(s.result.temperature == Temperature::Cold);
  CHECK(s.reasons.find("No title (-5, no value)") != std::string::npos);
}

TEST_CASE("scorer: hot needs fit as well as engagement", "[scorer]") {
  const ScoringModel model = model_from(test_model());
  // Engagement full, fit only 10-199 staff + manager = 20/50 = 40 < 50: held back to warm.
  const auto s = score(model, {"c@acme.com", "Manager", "50", "9", "yes", "2025-06-30"});
  CHECK(s.result.total >= 60);
  CHECK(s.result.temperature == Temperature::Warm);
  CHECK(s.result.held_back.find("fit 40 is below 50") != std::string::npos);
  CHECK(s.reasons.rfind("Held back from hot", 0) == 0);
}

TEST_CASE("scorer: a disqualifier forces cold with its reason", "[scorer]") {
  const ScoringModel model = model_from(test_model());
  const auto s = score(model, {"d@acme.com", "Student (VP of the club)", "500", "9", "yes", "2025-06-30"});
  CHECK(s.result.total >= 60);
  CHECK(s.result.temperature == Temperature::Cold);
  REQUIRE(s.result.disqualifier);
  CHECK(s.result.disqualifier->id == "student");
  CHECK(s.reasons.rfind("Disqualified: Student", 0) == 0);
  CHECK(s.next_action == "Do not pursue: Student");
}

TEST_CASE("scorer: rules whose column is absent do not fire and do not count", "[scorer]") {
  Json j = test_model();
  j["fit"].erase("max_points");
  j["engagement"].erase("max_points");
  const ScoringModel model = model_from(j);
  // Only a title column: fit max = best of the seniority group (20) + no_title (0) = 20.
  const auto s = score(model, {"VP Marketing"}, {"Title"});
  CHECK(s.result.fit.max_points == Approx(20));
  CHECK(s.result.fit.score == Approx(100));
  CHECK_FALSE(s.result.engagement.measured);
  CHECK(s.result.total == Approx(100));  // only fit is measured
  CHECK(s.result.temperature == Temperature::Warm);
  CHECK(s.result.held_back.find("engagement cannot be measured") != std::string::npos);
}

TEST_CASE("scorer: the fit x engagement matrix", "[scorer]") {
  Json j = test_model();
  j["segments"] = Json::parse(R"({"method": "matrix",
    "fit_grades": [{"grade": "A", "at_least": 80}, {"grade": "B", "at_least": 0}],
    "engagement_grades": [{"grade": "1", "at_least": 50}, {"grade": "2", "at_least": 0}],
    "matrix": {"A1": "hot", "A2": "warm", "B1": "warm", "B2": "cold"}})");
  const ScoringModel model = model_from(j);
  CHECK(score(model, {"a@acme.com", "Director", "300", "9", "yes", "2025-06-30"}).result.temperature ==
        Temperature::Hot);
  CHECK(score(model, {"a@acme.com", "Director", "300", "0", "no", "2025-06-30"}).result.temperature ==
        Temperature::Warm);
  CHECK(score(model, {"a@acme.com", "", "3", "0", "no", "2025-06-30"}).result.grade == "B2");
}

TEST_CASE("scorer: decay is the same on every platform", "[scorer]") {
  CHECK(half_life_factor(0) == 1);
  CHECK(half_life_factor(1) == 0.5);
  CHECK(half_life_factor(2) == 0.25);
  CHECK(half_life_factor(0.5) == Approx(0.7071067811865476).epsilon(1e-15));
  CHECK(half_life_factor(3.3) == Approx(std::pow(2.0, -3.3)).epsilon(1e-14));
  CHECK(half_life_factor(5000) == 0);
  CHECK(format_points(12) == "+12");
  CHECK(format_points(-7.45) == "-7.5");
  CHECK(format_points(0.04) == "0");
  CHECK(format_score(80.94) == "80.9");
  CHECK(format_score(0) == "0.0");
  CHECK(format_score(100) == "100.0");
}

TEST_CASE("scorer: the explanation as JSON", "[scorer]") {
  const ScoringModel model = model_from(test_model());
  const ColumnMapping mapping = map_columns(kHeaders, {}, model.columns, model.missing);
  Scorer scorer(model, mapping, kAsOf);
  CsvRecord row;
  for (const char* c : {"ann@acme.com", "Sales Director", "300", "2", "no", "2025-06-30"}) row.push_back(c);
  ScoreResult result;
  scorer.score(row, result);
  const Json j = scorer.explain(result);
  CHECK(j["temperature"] == temperature_name(result.temperature));
  CHECK(j["fit"]["score"] == result.fit.score);
  CHECK(j["hits"].size() == result.hits.size());
  CHECK(j["hits"][0]["rule"] == "size");
  CHECK(j["hits"][0]["axis"] == "fit");
  CHECK(j["stage"].is_string());
}

TEST_CASE("scorer: domain lists match subdomains, not look-alikes", "[scorer]") {
  Json j = test_model();
  j["domain_lists"] = {{"competitors", {"rival.com"}}};
  j["disqualifiers"] = Json::array(
      {{{"id", "competitor"}, {"field", "email"}, {"domain_in", {"@competitors"}}, {"reason", "Competitor"}}});
  const ScoringModel model = model_from(j);
  const auto is_competitor = [&](const char* email) {
    return score(model, {email, "VP", "500", "1", "no", "2025-06-30"}).result.disqualifier != nullptr;
  };
  CHECK(is_competitor("a@rival.com"));
  CHECK(is_competitor("a@EU.Rival.com"));
  CHECK_FALSE(is_competitor("a@notrival.com"));
  CHECK_FALSE(is_competitor("a@rival.com.evil.io"));
  CHECK(score(model, {"bob@mail.gmail.com", "VP", "500", "1", "no", "2025-06-30"}).reasons.find("Free mail (-10)") !=
        std::string::npos);
}

TEST_CASE("scorer: what would make a lead hot", "[scorer]") {
  const ScoringModel model = model_from(test_model());
  const ColumnMapping mapping = map_columns(kHeaders, {}, model.columns, model.missing);
  Scorer scorer(model, mapping, kAsOf);
  const auto paths_for = [&](std::initializer_list<const char*> cells, ScoreResult& result) {
    CsvRecord row;
    for (const char* c : cells) row.push_back(c);
    scorer.score(row, result);
    return scorer.paths_to_hot(row, result);
  };
  ScoreResult r;
  // A director at a 300-person company with 3 visits: a demo request, or 2 more visits, make it hot.
  auto paths = paths_for({"ann@acme.com", "Director", "300", "3", "no", "2025-06-30"}, r);
  REQUIRE(r.temperature == Temperature::Warm);
  REQUIRE_FALSE(paths.empty());
  bool demo = false, visits = false;
  for (const auto& p : paths) {
    CHECK(p.score >= 60);
    demo = demo || (p.field == "demo_requested" && p.value == "yes");
    visits = visits || p.change.rfind("+", 0) == 0;
  }
  CHECK(demo);
  CHECK(visits);
  // Already hot, or disqualified: nothing to suggest.
  CHECK(paths_for({"ann@acme.com", "Director", "300", "9", "yes", "2025-06-30"}, r).empty());
  CHECK(paths_for({"ann@acme.com", "Student", "300", "3", "no", "2025-06-30"}, r).empty());
  // Low fit blocks it: no engagement action is enough, and the explanation says so.
  CHECK(paths_for({"bob@gmail.com", "", "3", "9", "yes", "2025-06-30"}, r).empty());
  CsvRecord header, row;
  for (const auto& name : kHeaders) header.push_back(name);
  for (const char* c : {"bob@gmail.com", "", "3", "9", "yes", "2025-06-30"}) row.push_back(c);
  scorer.score(row, r);
  const auto j = explain_lead(scorer, r, header, row);
  CHECK(j["to_hot"]["actions"].empty());
  CHECK(j["to_hot"]["blocked"].get<std::string>().find("fit") != std::string::npos);
}
