// The scorer end to end on any bytes, as the page uses it: a list fed in random chunks, then paged,
// searched, explained, re-scored and exported. Every data row is kept, and a re-score with the same
// model changes nothing.
#include <string>

#include "fuzz_support.hpp"
#include "leadscore/leadscore.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  leadscore::SessionOptions options;
  options.as_of = leadscore::days_from_civil(2026, 11, 20);
  leadscore::ScoredList list(leadscore::default_model(), options);
  for (auto chunk : fuzz::chunks_of(data, size)) {
    if (!list.feed(chunk).ok()) return 0;
  }
  if (!list.finish().ok()) return 0;
  const auto summary = list.summary_json();
  fuzz::require(summary["rows"] == list.size(), "the summary and the list count different rows");
  (void)summary.dump();
  leadscore::ListQuery query;
  query.sort = leadscore::ListQuery::Sort::Score;
  query.search = "a";
  fuzz::require(list.query(query).ok(), "a query fails");
  if (list.size() > 0) {
    fuzz::require(list.explain(0).ok(), "explain fails");
    const double before = list.figures(list.size() - 1).score;
    fuzz::require(list.rescore(leadscore::default_model()).ok(), "a re-score fails");
    fuzz::require(list.figures(list.size() - 1).score == before, "a re-score with the same model changes a score");
  }
  std::string exported;
  fuzz::require(list.export_csv([&](std::string_view part) { exported.append(part); }, {}).ok(), "the export fails");
  return 0;
}
