#pragma once
/// Every text a scored lead carries, in one place: the reasons, the next action and why a hot
/// score was held back. The scorer writes them and the SQL compiler spells the same pieces in SQL,
/// so a change here changes both alike.

#include <string>
#include <string_view>

#include "leadscore/numbers.hpp"

namespace leadscore::messages {

// A lead's reasons: "Disqualified: <reason>; Held back from hot: <why>; <label> (<points>[, no
// value][, capped][, decayed x0.50]); ..." in order of impact.
inline constexpr std::string_view kDisqualified = "Disqualified: ";
inline constexpr std::string_view kHeldBack = "Held back from hot: ";
inline constexpr std::string_view kSeparator = "; ";
inline constexpr std::string_view kPointsOpen = " (";
inline constexpr std::string_view kNoValue = ", no value";
inline constexpr std::string_view kCapped = ", capped";
inline constexpr std::string_view kDecayed = ", decayed x";
inline constexpr std::string_view kPointsClose = ")";

// The next action: the play of the lead's temperature, with its follow-up deadline, or
// "Do not pursue: <reason>" for a disqualified lead.
inline constexpr std::string_view kDoNotPursue = "Do not pursue: ";
inline constexpr std::string_view kWithinOpen = " (within ";
inline constexpr std::string_view kWithinClose = " h)";

/// Why a hot score stays warm when an axis cannot be measured at all.
inline std::string held_back_unmeasured(std::string_view axis) {
  std::string out = "hot score, but ";
  out.append(axis).append(" cannot be measured: the list has no ").append(axis).append(" columns");
  return out;
}

/// Why a hot score stays warm when an axis's score is below its minimum: `before` + the score +
/// `after` ("hot score, but fit " + "40.5" + " is below 50").
struct HeldBackBelow {
  std::string before;
  std::string after;
};
inline HeldBackBelow held_back_below(std::string_view axis, double minimum) {
  std::string before = "hot score, but ";
  before.append(axis).push_back(' ');
  return HeldBackBelow{std::move(before), " is below " + format_number(minimum)};
}

// Paths to hot, in an explanation.
inline constexpr std::string_view kActivityToday = "Any activity today (no decay)";
inline constexpr std::string_view kNoSingleAction =
    "no single engagement action is enough; the lead needs more fit or several actions";

}  // namespace leadscore::messages
