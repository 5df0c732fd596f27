// The value parsers (numbers, ranges, booleans, dates, emails, domains) on any text: no crash, no
// undefined behaviour, and answers that hold together.
#include <cmath>
#include <string>

#include "fuzz_support.hpp"
#include "leadscore/values.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto n = leadscore::parse_number(text)) fuzz::require(!std::isnan(*n), "a number that is NaN");
  if (const auto q = leadscore::parse_quantity(text)) {
    fuzz::require(!std::isnan(q->low) && !std::isnan(q->high), "a range with NaN");
    fuzz::require(q->low <= q->high, "a range whose low end is above its high end");
  }
  (void)leadscore::parse_bool(text);
  if (const auto days = leadscore::parse_date(text)) {
    const std::string shown = leadscore::format_date(*days);
    fuzz::require(leadscore::parse_date(shown) == days, "a date that does not read back");
  }
  const std::string_view trimmed = leadscore::trim(text);
  fuzz::require(leadscore::trim(trimmed) == trimmed, "trim is not idempotent");
  if (leadscore::is_valid_email(text))
    fuzz::require(!leadscore::domain_of(text).empty(), "a valid email without a domain");
  const std::string_view email_domain = leadscore::valid_email_domain(text);
  fuzz::require(email_domain.empty() || email_domain == leadscore::domain_part(text),
                "the one-pass domain is not domain_part's");
  (void)leadscore::normalize_key(text);
  (void)leadscore::to_lower_ascii(text);
  return 0;
}
