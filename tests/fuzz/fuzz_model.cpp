// The model loader on any text: it refuses with errors or gives a model, never crashes; a model it
// accepts scores a small list and compiles to SQL in every dialect (so nothing it lets through can
// break the scorer or the SQL compiler).
#include <string>

#include "fuzz_support.hpp"
#include "leadscore/leadscore.hpp"

namespace {

struct Discard final : leadscore::ScoredRowSink {
  void on_header(const leadscore::CsvRecord&, const leadscore::Scorer&) override {}
  void on_row(const leadscore::CsvRecord&, const leadscore::ScoreResult& result, leadscore::Scorer& scorer) override {
    fuzz::require(result.total >= 0 && result.total <= 100, "a score outside 0-100");
    (void)scorer.reasons(result);
    (void)scorer.explain(result).dump();
  }
};

constexpr std::string_view kList =
    "Email,Job Title,Number of Employees,Industry,Demo Requested,Number of Sessions,Last Activity Date,Lead Source\n"
    "ann@acme.com,VP Sales,250,Software,Yes,12,2026-11-01,Webinar\n"
    "bob@gmail.com,Student,,Retail,No,0,,Organic\n"
    "cy@competitor.io,CEO,\"1,000-5,000\",Finance,yes,300,2020-01-01,\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto errors = leadscore::check_model(text);
  auto model = leadscore::parse_model(text);
  fuzz::require(model.ok() == errors.empty(), "check_model and parse_model disagree");
  for (const auto& e : errors) (void)leadscore::error_json(e).dump();
  if (!model.ok()) return 0;
  // Every dialect compiles an accepted model, or refuses it with sql.unsupported.
  leadscore::SqlOptions sql;
  sql.keys = {"Email"};
  for (leadscore::SqlDialect d : leadscore::sql_dialects()) {
    sql.dialect = d;
    const auto text_of = leadscore::compile_sql(model.value(), sql);
    fuzz::require(text_of.ok() ? text_of.value().find(" AS lead_reasons") != std::string::npos
                               : text_of.error().code == leadscore::ErrorCode::SqlUnsupported,
                  "an accepted model does not compile to SQL");
  }
  leadscore::SessionOptions options;
  options.as_of = leadscore::days_from_civil(2026, 11, 20);
  leadscore::ScoringSession session(std::move(model).value(), options);
  Discard sink;
  fuzz::require(session.feed(kList, sink).ok() && session.finish(sink).ok(), "a valid model fails on a valid list");
  (void)session.summary_json().dump();
  return 0;
}
