#pragma once
/// The words and marks the value parsers know (values.cpp), shared with the SQL compiler so a
/// warehouse reads cells with exactly the same vocabulary. All lowercase.

#include <string_view>

namespace leadscore::value_words {

/// What trim() removes and numbers may group thousands with: ASCII whitespace, the no-break
/// space (U+00A0), the narrow no-break space (U+202F) and the thin space (U+2009).
inline constexpr std::string_view kSpaceLike[] = {" ",  "\t",       "\r",           "\n",          "\f",
                                                  "\v", "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89"};

/// Currency marks and codes stripped from either end of a number.
inline constexpr std::string_view kCurrencies[] = {"$",   "\xE2\x82\xAC", "\xC2\xA3",    "\xC2\xA5", "usd",
                                                   "eur", "gbp",          "chf",         "cad",      "aud",
                                                   "jpy", "inr",          "\xE2\x82\xB9"};

struct Scale {
  std::string_view word;
  double factor;
};
/// Scale words after a number: "5k", "$1.5M", "2 billion".
inline constexpr Scale kScales[] = {{"k", 1e3},  {"thousand", 1e3}, {"m", 1e6},       {"mm", 1e6},
                                    {"mn", 1e6}, {"mio", 1e6},      {"million", 1e6}, {"millions", 1e6},
                                    {"b", 1e9},  {"bn", 1e9},       {"billion", 1e9}, {"billions", 1e9}};

struct RangePhrase {
  std::string_view words;
  bool at_least;  ///< true: [n, inf), false: [0, n]
};
/// Open ranges written before the number: "More than 10,000", "> 500", "under 10".
inline constexpr RangePhrase kRangePrefixes[] = {
    {"more than", true}, {"over", true},     {"greater than", true}, {"above", true},      {">=", true},
    {">", true},         {"at least", true}, {"less than", false},   {"under", false},     {"below", false},
    {"up to", false},    {"<=", false},      {"<", false},           {"fewer than", false}};
/// Open ranges written after the number: "10 or more".
inline constexpr std::string_view kRangeSuffixes[] = {"or more", "and more", "and above", "and up", "plus"};
/// What stands between the ends of a closed range, tried in this order: en dash, em dash, "to", "-", "...".
inline constexpr std::string_view kRangeDashes[] = {"\xE2\x80\x93", "\xE2\x80\x94", " to ", "-", "..."};

inline constexpr std::string_view kTrueWords[] = {
    "yes", "y", "true", "t", "x", "checked", "on", "ja", "oui", "si", "s\xC3\xAD", "\xE2\x9C\x93", "\xE2\x9C\x94"};
inline constexpr std::string_view kFalseWords[] = {"no", "n", "false", "f", "unchecked", "off", "nein", "non"};

/// Month names by their first three letters; a longer word must be part of kMonthNames ("sept" too).
inline constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                               "jul", "aug", "sep", "oct", "nov", "dec"};
inline constexpr std::string_view kMonthNames =
    "january february march april may june july august september october november december";
/// Words a date may carry that say nothing of the day (compared by their first three letters).
inline constexpr std::string_view kDateNoise[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun",
                                                  "utc", "gmt", "z",   "am",  "pm",  "of"};

}  // namespace leadscore::value_words
