// A list read in parts at once on any bytes, cut where the input's first bytes say: it never
// crashes, and it is the list read whole (rows, lines, summary with its issues, export), whether
// the cuts fall between records, inside quoted fields or mid-character. A small sample and
// sniffing prefix let short inputs be split.
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "leadscore/leadscore.hpp"
#include "test_support.hpp"

namespace {

std::string exported(const leadscore::ScoredList& list) {
  std::string out;
  fuzz::require(list.export_csv([&](std::string_view part) { out.append(part); }, {}).ok(), "the export fails");
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  leadscore::SessionOptions options;
  options.as_of = leadscore::days_from_civil(2026, 11, 20);
  options.sample_rows = 2;
  options.csv.sniff_bytes = 16;
  // Up to 8 cuts from the first byte's bits, spread over the rest of the input.
  const std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<std::uint64_t> cuts;
  std::uint32_t state = data[0] * 2654435761u + 7;
  for (std::uint64_t at = 0;;) {
    state = state * 1103515245u + 12345u;
    at += 1 + (state >> 16) % (bytes.size() / 4 + 1);
    if (at >= bytes.size() || cuts.size() == 8) break;
    cuts.push_back(at);
  }
  if (cuts.empty()) return 0;

  leadscore::ListReader reader(leadscore::default_model(), options,
                               std::make_shared<test_support::StringSource>(bytes));
  if (!test_support::feed_range(reader, bytes, 0, bytes.size(), 7).ok()) return 0;
  auto finished = reader.finish();
  if (!finished.ok()) return 0;
  const leadscore::ScoredList& whole = *finished.value();
  const auto parts = test_support::read_in_parts(bytes, cuts, leadscore::default_model(), options);
  if (!parts.failure.empty()) std::fprintf(stderr, "%s\n", parts.failure.c_str());
  fuzz::require(parts.failure.empty(), "a list read in parts fails where it reads whole");
  const leadscore::ScoredList& list = *parts.list;
  fuzz::require(list.size() == whole.size(), "parts change the rows");
  fuzz::require(list.summary_json().dump() == whole.summary_json().dump(), "parts change the summary");
  fuzz::require(exported(list) == exported(whole), "parts change the export");
  for (std::size_t row = 0; row < list.size(); ++row) {
    leadscore::CsvRecord a, b;
    fuzz::require(list.cells(row, a).ok() && whole.cells(row, b).ok(), "a row cannot be read back");
    fuzz::require(a.line() == b.line(), "parts change a row's line");
  }
  return 0;
}
