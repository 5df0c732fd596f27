#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "detail/phrase_set.hpp"
#include "leadscore/values.hpp"

using namespace leadscore;

TEST_CASE("values: numbers as users write them", "[values]") {
  struct Case {
    const char* text;
    double expected;
  };
  for (const Case& c : {Case{"1200", 1200},
                        Case{"1,200", 1200},
                        Case{"1.200,5", 1200.5},
                        Case{"1 200", 1200},
                        Case{"1\xC2\xA0"
                             "200",
                             1200},
                        Case{"1'200", 1200},
                        Case{"1,234,567.89", 1234567.89},
                        Case{"1.234.567", 1234567},
                        Case{"1.001", 1.001},
                        Case{"2.333", 2.333},
                        Case{"5.000", 5000},
                        Case{"12,75", 12.75},
                        Case{"0,123", 0.123},
                        Case{"2.5", 2.5},
                        Case{"-3", -3},
                        Case{"$1,500", 1500},
                        Case{"\xE2\x82\xAC"
                             "2.000,50",
                             2000.5},
                        Case{"EUR 300", 300},
                        Case{"12%", 12},
                        Case{"5k", 5000},
                        Case{"$1.5M", 1.5e6},
                        Case{"2 bn", 2e9},
                        Case{"10 million", 1e7},
                        Case{"1.2E+05", 120000},
                        Case{" 42 ", 42}}) {
    INFO(c.text);
    const auto n = parse_number(c.text);
    REQUIRE(n);
    CHECK(*n == Approx(c.expected));
  }
  // Exactly the double a compiler makes of the same decimal text.
  CHECK(*parse_number("0.3") == 0.3);
  CHECK(*parse_number("2.333") == 2.333);
  CHECK(*parse_number("1.234,56") == 1234.56);
  for (const char* bad : {"", "abc", "1,2,3", "12abc", "1.2.3,4,5", "51-200", "10000 200", "--"}) {
    INFO(bad);
    CHECK_FALSE(parse_number(bad));
  }
  // Found by fuzz_values: 0 times 10^319 gave NaN. Exponents stop at 22 (powers of ten stay exact).
  CHECK(*parse_number("0e22") == 0);
  CHECK(*parse_number("1.5e22") == 1.5e22);
  CHECK_FALSE(parse_number("0e319"));
  CHECK_FALSE(parse_number("1e23"));
  CHECK_FALSE(parse_number("1e309"));
  // More than 15 digits is an id or a phone number.
  CHECK(*parse_number("123456789012345") == 123456789012345.0);
  CHECK_FALSE(parse_number("1234567890123456"));
  CHECK_FALSE(parse_number("0.0000000000000001"));
  // With commas and dots both, the last of them is the decimal mark; a space never is.
  CHECK(*parse_number("1.234,5") == 1234.5);
  CHECK_FALSE(parse_number("1.000,000 5"));
  CHECK_FALSE(parse_number("-1e309"));
  CHECK_FALSE(parse_number("1" + std::string(400, '0')));
  CHECK_FALSE(parse_number("0." + std::string(400, '1')));
}

TEST_CASE("values: headcount and revenue ranges", "[values]") {
  struct Case {
    const char* text;
    double low, high;
  };
  const double inf = INFINITY;
  for (const Case& c : {Case{"51-200", 51, 200},
                        Case{"1,001-5,000", 1001, 5000},
                        Case{"1,001 - 5,000", 1001, 5000},
                        Case{"500-1,000", 500, 1000},
                        Case{"10000+", 10000, inf},
                        Case{"10,000+", 10000, inf},
                        Case{"More than 10,000", 10000, inf},
                        Case{"Less than 10", 0, 10},
                        Case{"> 500", 500, inf},
                        Case{"$1M-$5M", 1e6, 5e6},
                        Case{"1-10M", 1e6, 1e7},
                        Case{"11\xE2\x80\x93"
                             "50",
                             11, 50},
                        Case{"50 to 100", 50, 100},
                        Case{"1.001-5.000", 1001, 5000},
                        Case{"10.000+", 10000, inf},
                        Case{"2.5-3.5", 2.5, 3.5},
                        Case{"1000 or more", 1000, inf},
                        Case{"42", 42, 42},
                        Case{"2:35", 155, 155},
                        Case{"1:02:03", 3723, 3723},
                        Case{"Yes", 1, 1},
                        Case{"no", 0, 0}}) {
    INFO(c.text);
    const auto q = parse_quantity(c.text);
    REQUIRE(q);
    CHECK(q->low == Approx(c.low));
    if (std::isinf(c.high)) {
      CHECK(std::isinf(q->high));
    } else {
      CHECK(q->high == Approx(c.high));
    }
  }
  CHECK(parse_quantity("51-200")->value() == Approx(125.5));
  CHECK(parse_quantity("10000+")->value() == Approx(10000));
  CHECK(parse_quantity("-5")->value() == Approx(-5));
  CHECK_FALSE(parse_quantity("2024-03-05"));
  // Found by fuzz_values: "under -5" gave a range from 0 down to -5.
  CHECK_FALSE(parse_quantity("under -5"));
  CHECK_FALSE(parse_quantity("<\xC2\xA0\xC2\xA0-5$"));
  CHECK(parse_quantity("more than -5")->low == -5);
  CHECK_FALSE(parse_quantity("Within a month"));
}

TEST_CASE("values: booleans", "[values]") {
  for (const char* t : {"yes", "Yes", "Y", "TRUE", "1", "x", "X", "checked", "on", "3"}) {
    INFO(t);
    CHECK(parse_bool(t) == std::optional<bool>(true));
  }
  for (const char* f : {"no", "N", "false", "0", "unchecked", "off"}) {
    INFO(f);
    CHECK(parse_bool(f) == std::optional<bool>(false));
  }
  CHECK_FALSE(parse_bool("maybe"));
  CHECK_FALSE(parse_bool(""));
}

TEST_CASE("values: dates in ISO, US, European and spelled-out forms", "[values]") {
  const auto d = [](int y, int m, int day) { return *days_from_civil(y, m, day); };
  struct Case {
    const char* text;
    std::int32_t expected;
  };
  for (const Case& c :
       {Case{"2025-03-14", d(2025, 3, 14)}, Case{"2025-03-14T10:30:00Z", d(2025, 3, 14)},
        Case{"2017-06-01 12:34:56", d(2017, 6, 1)}, Case{"03/14/2025", d(2025, 3, 14)}, Case{"3/4/2025", d(2025, 3, 4)},
        Case{"14/03/2025", d(2025, 3, 14)}, Case{"14.03.2025", d(2025, 3, 14)},
        Case{"14.03.2025 10:30", d(2025, 3, 14)}, Case{"04.03.2025", d(2025, 3, 4)}, Case{"14-03-2025", d(2025, 3, 14)},
        Case{"2025/03/14", d(2025, 3, 14)}, Case{"Mar 14, 2025", d(2025, 3, 14)}, Case{"14 March 2025", d(2025, 3, 14)},
        Case{"14-Mar-2025", d(2025, 3, 14)}, Case{"Friday, March 14th, 2025", d(2025, 3, 14)},
        Case{"10/18/10", d(2010, 10, 18)}, Case{"1741910400", d(2025, 3, 14)}, Case{"1741910400000", d(2025, 3, 14)},
        Case{"1970-01-01", 0}}) {
    INFO(c.text);
    CHECK(parse_date(c.text) == std::optional<std::int32_t>(c.expected));
  }
  for (const char* bad : {"", "2025", "13/13/2025", "2025-02-30", "Email Opened", "mayor 5 2020", "12 months"}) {
    INFO(bad);
    CHECK_FALSE(parse_date(bad));
  }
  // At most eight numbers and words: "Fri, 14th of March 2025 10:00 GMT" has six.
  CHECK(parse_date("Fri, 14th of March 2025 10:00 GMT") == std::optional<std::int32_t>(d(2025, 3, 14)));
  CHECK(parse_date("mon tue wed thu fri 14 mar 2025") == std::optional<std::int32_t>(d(2025, 3, 14)));
  CHECK_FALSE(parse_date("mon tue wed thu fri sat 14 mar 2025"));
  CHECK(format_date(d(2024, 2, 29)) == "2024-02-29");
  CHECK(format_date(0) == "1970-01-01");
}

TEST_CASE("values: placeholders read as missing", "[values]") {
  const MissingValues missing;
  for (const char* m : {"", "  ", "Select", "N/A", "n/a", "-", "unknown", "NULL", "#N/A", "none"}) {
    INFO(m);
    CHECK(missing.is_missing(m));
  }
  for (const char* v : {"0", "No", "Selective", "Unknown Corp"}) {
    INFO(v);
    CHECK_FALSE(missing.is_missing(v));
  }
  const MissingValues custom({"TBD"});
  CHECK(custom.is_missing("tbd"));
  CHECK_FALSE(custom.is_missing("Select"));
}

TEST_CASE("values: email and website domains", "[values]") {
  CHECK(domain_of("Jane.Doe@ACME.com") == "acme.com");
  CHECK(domain_of("Jane <jane@sub.acme.co.uk>") == "sub.acme.co.uk");
  CHECK(domain_of("https://www.Acme.com/about?x=1") == "acme.com");
  CHECK(domain_of("acme.io") == "acme.io");
  CHECK(domain_of("not an email") == "");
  CHECK(is_valid_email("jane.doe@acme.com"));
  CHECK(is_valid_email("j+tag@mail.acme.io"));
  for (const char* bad : {"jane", "jane@", "@acme.com", "jane@acme", "jane doe@acme.com", "a@b@c.com", "jane@acme.c"}) {
    INFO(bad);
    CHECK_FALSE(is_valid_email(bad));
  }
  REQUIRE(builtin_domain_list("@free_mail"));
  CHECK(std::find(builtin_domain_list("@free_mail")->begin(), builtin_domain_list("@free_mail")->end(), "gmail.com") !=
        builtin_domain_list("@free_mail")->end());
  CHECK_FALSE(builtin_domain_list("@nope"));
}

TEST_CASE("values: a valid email's domain comes from the one pass that checks it", "[values]") {
  CHECK(valid_email_domain(" Jane.Doe@Mail.Acme.io ") == "Mail.Acme.io");
  for (const char* bad : {"jane", "jane@", "@acme.com", ".jane@acme.com", "jane.@acme.com", "jane@-acme.com",
                          "jane@.acme.com", "jane@acme..com", "jane@acme.c0m", "jane<x>@acme.com", "jane@ac me.com"}) {
    INFO(bad);
    CHECK(valid_email_domain(bad).empty());
  }
  CHECK(valid_email_domain(std::string(64, 'a') + "@" + std::string(185, 'b') + ".com").size() == 189);  // 254 bytes
  CHECK(valid_email_domain(std::string(64, 'a') + "@" + std::string(186, 'b') + ".com").empty());
  // The rules written out one by one (as is_valid_email had them) against random texts over the
  // bytes that matter: the one pass says the same, and its domain is domain_part's.
  const auto reference = [](std::string_view text) {
    const std::string_view s = trim(text);
    const std::size_t at = s.find('@');
    if (at == 0 || at == std::string_view::npos || s.size() > 254) return false;
    const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
    for (char c : local) {
      if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == ',' || c == '<' || c == '>') return false;
    }
    if (local.front() == '.' || local.back() == '.') return false;
    const std::size_t dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    const std::string_view tld = domain.substr(dot + 1);
    const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), alpha)) return false;
    char previous = '.';
    for (char c : domain) {
      const bool ok =
          alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
      if (!ok || (c == '.' && previous == '.')) return false;
      previous = c;
    }
    return domain.front() != '-';
  };
  const std::string alphabet[] = {"a", "Z", "7", "@",  ".", "-",        " ",  "\t",
                                  ",", "<", ">", "\"", "+", "\xC3\xA9", "co", "m"};
  std::uint32_t seed = 777;
  const auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  int valid = 0;
  for (int trial = 0; trial < 50000; ++trial) {
    std::string text = "j";
    for (std::uint32_t n = next() >> 29; n > 0; --n) text += alphabet[(next() >> 16) % 16];
    text += alphabet[(next() >> 16) % 16] + std::string("@x");
    for (std::uint32_t n = next() >> 29; n > 0; --n) text += alphabet[(next() >> 16) % 16];
    if (next() >> 31) text += ".com";
    INFO('"' << text << '"');
    const std::string_view domain = valid_email_domain(text);
    REQUIRE(!domain.empty() == reference(text));
    CHECK(is_valid_email(text) == reference(text));
    if (!domain.empty()) {
      ++valid;
      CHECK(domain == domain_part(text));
    }
  }
  CHECK(valid > 500);  // the texts reach the valid side often enough to compare domains
}

TEST_CASE("values: phrases on word boundaries, one at a time and as a set", "[values]") {
  CHECK(contains_phrase("vp sales", "vp"));
  CHECK_FALSE(contains_phrase("mvp", "vp"));
  CHECK(contains_phrase("head of growth", "head of"));
  CHECK_FALSE(contains_phrase("head office", "head of"));
  CHECK(contains_phrase("sr. c-level (cto)", "(cto)"));
  // A set finds what any of its phrases finds, whatever the text: random texts over the letters
  // and separators phrases are made of, with phrases that start or end with a separator.
  const std::vector<std::vector<std::string>> sets = {
      {"vp", "vice president", "head of", "chief", "c-level", "(cto)", "ceo", "cfo", "ab", "ba", "a"},
      {"-ab", "b-", "\xC3\xA9t\xC3\xA9", "director", "dir", "b"},
      {"manager"}};
  const std::string alphabet[] = {"a", "b", "c", "e", "o", "t", "v", "p", " ", "-", "(", ")", "of", "head", "\xC3\xA9"};
  // All of them in one set of sets (as a column's rules share one pass), with an empty set between:
  // each set's bit is what that set alone finds.
  std::vector<std::vector<std::string>> together = sets;
  together.insert(together.begin() + 1, std::vector<std::string>());
  const leadscore::detail::PhraseSet shared(together);
  std::uint32_t seed = 12345;
  const auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    for (std::uint32_t n = next() >> 28; n > 0; --n) text += alphabet[(next() >> 16) % 15];
    INFO('"' << text << '"');
    std::uint64_t expected = 0;
    for (std::size_t i = 0; i < together.size(); ++i) {
      const auto& phrases = together[i];
      const bool one_by_one =
          std::any_of(phrases.begin(), phrases.end(), [&](const std::string& p) { return contains_phrase(text, p); });
      CHECK(leadscore::detail::PhraseSet(phrases).found_in(text) == one_by_one);
      if (one_by_one) expected |= std::uint64_t{1} << i;
    }
    CHECK(shared.sets_found_in(text) == expected);
  }
  CHECK_FALSE(leadscore::detail::PhraseSet(std::vector<std::string>()).found_in("anything"));
  // Past a phrase's first 8 bytes, and where the text ends first.
  const leadscore::detail::PhraseSet long_phrases(std::vector<std::string>{"vice president", "head of growth"});
  CHECK(long_phrases.found_in("svp, vice president"));
  CHECK_FALSE(long_phrases.found_in("vice presidency"));
  CHECK_FALSE(long_phrases.found_in("vice presidenz"));
  CHECK_FALSE(long_phrases.found_in("vice presidenz of sales"));
  CHECK_FALSE(long_phrases.found_in("vice presiden"));
  CHECK_FALSE(long_phrases.found_in("head of grow"));
  CHECK(long_phrases.found_in("head of growth"));
  // The 64th set has the top bit.
  std::vector<std::vector<std::string>> many(leadscore::detail::PhraseSet::kMostSets);
  many.back() = {"z"};
  CHECK(leadscore::detail::PhraseSet(many).sets_found_in("a z") == std::uint64_t{1} << 63);
}

TEST_CASE("values: header keys ignore case, spaces and punctuation", "[values]") {
  CHECK(normalize_key("No. of Employees") == "noofemployees");
  CHECK(normalize_key("Country/Region") == "countryregion");
  CHECK(normalize_key("hs_analytics_num_page_views") == "hsanalyticsnumpageviews");
  CHECK(trim("\xC2\xA0 x \t") == "x");
}
