#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "leadscore/backtest.hpp"
#include "test_support.hpp"

using namespace leadscore;

namespace {

ScoreResult scored(double total, Temperature temperature, std::vector<const Rule*> fired = {},
                   const Rule* disqualifier = nullptr) {
  ScoreResult r;
  r.total = total;
  r.temperature = temperature;
  for (const Rule* rule : fired) {
    RuleHit hit;
    hit.rule = rule;
    r.hits.push_back(hit);
  }
  r.disqualifier = disqualifier;
  return r;
}

}  // namespace

TEST_CASE("backtest: figures checked by hand on ten leads", "[backtest]") {
  Rule demo;
  demo.id = "demo";
  demo.label = "Requested a demo";
  Rule student;
  student.id = "student";
  student.label = "Student";
  constexpr auto Hot = Temperature::Hot, Warm = Temperature::Warm, Cold = Temperature::Cold;
  Backtest b;
  b.add(scored(90, Hot, {&demo, &demo}), true);  // the same rule twice counts once
  b.add(scored(80, Hot, {&demo}), false);
  b.add(scored(70, Warm, {&demo}), true);
  b.add(scored(50, Warm), false);
  b.add(scored(40, Warm), true);
  b.add(scored(20, Cold), false);
  b.add(scored(10, Cold), false);
  b.add(scored(10, Cold), true);
  b.add(scored(5, Cold, {}, &student), false);
  b.add(scored(90, Hot), true);
  b.add_unknown();
  const auto r = b.report();
  CHECK(r["leads"] == 10);
  CHECK(r["unknown"] == 1);
  CHECK(r["converted"] == 5);
  CHECK(r["rate"] == 0.5);
  CHECK(r["by_temperature"]["hot"]["leads"] == 3);
  CHECK(r["by_temperature"]["hot"]["converted"] == 2);
  CHECK(r["by_temperature"]["warm"]["converted"] == 2);
  CHECK(r["by_temperature"]["cold"]["rate"] == 0.25);
  CHECK(r["lift_hot_over_cold"].get<double>() == Approx(8.0 / 3));  // (2/3) / (1/4)
  CHECK(r["hot"]["precision"].get<double>() == Approx(2.0 / 3));
  CHECK(r["hot"]["recall"] == 0.4);
  // Pairs (converter, non-converter) where the converter scores higher, ties half:
  // 90: 5, 90: 5, 70: 4, 40: 3, 10: 1 + 0.5 -> 18.5 of 25.
  CHECK(r["auc"].get<double>() == Approx(0.74));
  REQUIRE(r["deciles"].size() == 10);
  const std::vector<int> converted_by_decile{1, 1, 0, 1, 0, 1, 0, 0, 1, 0};  // 90 90 80 70 50 40 20 10 10 5
  for (std::size_t d = 0; d < 10; ++d) {
    INFO("decile " << d + 1);
    CHECK(r["deciles"][d]["decile"] == d + 1);
    CHECK(r["deciles"][d]["leads"] == 1);
    CHECK(r["deciles"][d]["converted"] == converted_by_decile[d]);
  }
  CHECK(r["deciles"][0]["max_score"] == 90.0);
  CHECK(r["deciles"][9]["min_score"] == 5.0);
  REQUIRE(r["rules"].size() == 2);
  CHECK(r["rules"][0]["id"] == "demo");
  CHECK(r["rules"][0]["fired"] == 3);
  CHECK(r["rules"][0]["converted"] == 2);
  CHECK(r["rules"][1]["id"] == "student");
  CHECK(r["rules"][1]["axis"] == "disqualifier");
  CHECK(r["rules"][1]["rate"] == 0.0);
}

TEST_CASE("backtest: figures without both outcomes are null, not a division by zero", "[backtest]") {
  Backtest b;
  CHECK(b.report()["rate"].is_null());
  b.add(scored(50, Temperature::Warm), true);
  b.add(scored(60, Temperature::Hot), true);
  const auto r = b.report();
  CHECK(r["auc"].is_null());
  CHECK(r["lift_hot_over_cold"].is_null());
  CHECK(r["by_temperature"]["cold"]["rate"].is_null());
  CHECK(r["deciles"].size() == 2);  // two leads: two deciles, not ten
}

TEST_CASE("backtest: the outcome column is found by its name and read as CRMs write it", "[backtest]") {
  const auto converted = find_outcome_column({"Prospect ID", "Lead Status", "Converted"});
  REQUIRE(converted);
  CHECK(converted->column == 2);
  CHECK(converted->kind == OutcomeColumn::Kind::Flag);  // a flag wins over a status
  CHECK(find_outcome_column({"Email", "Lifecycle Stage"})->kind == OutcomeColumn::Kind::LifecycleStage);
  CHECK(find_outcome_column({"Email", "Deal Stage"})->kind == OutcomeColumn::Kind::DealStage);
  CHECK(find_outcome_column({"age", "y"}, "y")->column == 1);
  CHECK(find_outcome_column({"Email", "Is Converted"}, "isconverted")->column == 1);
  CHECK_FALSE(find_outcome_column({"Email", "Name"}));
  CHECK_FALSE(find_outcome_column({"Email", "Converted"}, "Won"));

  const OutcomeColumn flag{0, "Converted", OutcomeColumn::Kind::Flag};
  CHECK(read_outcome(flag, "1") == true);
  CHECK(read_outcome(flag, "0") == false);
  CHECK(read_outcome(flag, " Yes ") == true);
  CHECK(read_outcome(flag, "no") == false);
  CHECK(read_outcome(flag, "Closed Won") == true);
  CHECK_FALSE(read_outcome(flag, ""));
  CHECK_FALSE(read_outcome(flag, "maybe"));
  const OutcomeColumn stage{0, "Lifecycle Stage", OutcomeColumn::Kind::LifecycleStage};
  CHECK(read_outcome(stage, "Customer") == true);
  CHECK(read_outcome(stage, "Marketing Qualified Lead") == false);
  CHECK_FALSE(read_outcome(stage, " "));
  const OutcomeColumn status{0, "Lead Status", OutcomeColumn::Kind::LeadStatus};
  CHECK(read_outcome(status, "Closed - Converted") == true);
  CHECK(read_outcome(status, "Closed - Not Converted") == false);
  CHECK(read_outcome(status, "Unqualified") == false);
  CHECK_FALSE(read_outcome(status, "Open - Not Contacted"));
  const OutcomeColumn deal{0, "Deal Stage", OutcomeColumn::Kind::DealStage};
  CHECK(read_outcome(deal, "Closed Won") == true);
  CHECK(read_outcome(deal, "closed lost") == false);
  CHECK_FALSE(read_outcome(deal, "Negotiation"));
}

TEST_CASE("backtest: the X Education list, scored as it is read", "[backtest][real]") {
  const std::string path = test_support::shared_path("real/xeducation/Leads.csv");
  if (!test_support::file_exists(path)) {
    WARN("skipped: " << path << " is absent (../shared/data is not beside the checkout)");
    return;
  }
  const std::string bytes = test_support::read_file(path);
  // The converters counted apart, from the cells.
  const auto rows = test_support::read_csv(bytes).capture.rows;
  const auto column =
      static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), "Converted") - rows[0].begin());
  std::int64_t converters = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) converters += rows[r][column] == "1";

  SessionOptions options;
  options.as_of = days_from_civil(2026, 11, 20);
  ScoringSession session(default_model(), options);
  BacktestSink sink;
  REQUIRE(session.feed(bytes, sink).ok());
  REQUIRE(session.finish(sink).ok());
  REQUIRE(sink.outcome());
  CHECK(sink.outcome()->header == "Converted");
  const auto r = sink.backtest().report();
  CHECK(r["leads"] == static_cast<std::int64_t>(rows.size() - 1));
  CHECK(r["unknown"] == 0);
  CHECK(r["converted"] == converters);
  // The built-in model was not made for this list, but it must sort converters better than chance.
  CHECK(r["auc"].get<double>() > 0.6);
  std::int64_t by_deciles = 0;
  for (const auto& d : r["deciles"]) by_deciles += d["converted"].get<std::int64_t>();
  CHECK(by_deciles == converters);
}
