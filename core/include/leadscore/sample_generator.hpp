#pragma once
/// Synthetic B2B lead lists for demos and tests: realistic names from several cultures, companies,
/// titles, industries, headcounts, sources and behaviour, with fit and engagement drawn from a hidden
/// temperature so that a scoring model finds a believable funnel. Deterministic: the same options
/// give the same bytes on every platform (own random generator, arithmetic only, no libm).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace leadscore {

struct SampleOptions {
  std::size_t rows = 10000;
  std::uint64_t seed = 1;
  /// Activity dates are drawn before this day (days since 1970-01-01), so the list looks fresh.
  std::int32_t as_of = 0;
  /// Adds a last column "Demo Temperature" with the hidden temperature (for tests and demos).
  bool truth_column = false;
  /// Values as people and enrichment tools write them: most job titles with a team, a region or a
  /// company ("Sales Manager, Payments EMEA"), head counts and revenues as exact figures. The
  /// default model scores every lead as in the list without it (same seed), but nearly every
  /// title and figure is distinct, as in a real export.
  bool free_text = false;
};

/// Writes the list as CSV (HubSpot-style headers, CRLF) through `output`, in parts.
void generate_sample(const SampleOptions& options, const std::function<void(std::string_view)>& output);

/// The same as one string.
std::string generate_sample_csv(const SampleOptions& options);

}  // namespace leadscore
