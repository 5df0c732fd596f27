#pragma once
/// Many phrases looked for in a text in one pass: a column's ContainsAny rules read each cell once.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore::detail {

/// Phrases (lowercase) looked for together: found_in(text) is contains_phrase(text, p) for any p,
/// in one pass that tries, at each word's start, only the phrases starting with its first letter.
/// Several sets of phrases (at most 64) share the pass: sets_found_in says which have one in a text.
class PhraseSet {
 public:
  static constexpr std::size_t kMostSets = 64;
  PhraseSet() = default;
  explicit PhraseSet(const std::vector<std::string>& phrases)
      : PhraseSet(std::vector<std::vector<std::string>>{phrases}) {}
  explicit PhraseSet(const std::vector<std::vector<std::string>>& sets);
  bool found_in(std::string_view text) const { return sets_found_in(text) != 0; }
  /// Bit i set when a phrase of set i is in `text`.
  std::uint64_t sets_found_in(std::string_view text) const;

 private:
  struct Phrase {
    Phrase(std::string phrase, std::uint64_t set_bit);
    std::string text;
    std::uint64_t set;        // its set's bit
    std::uint64_t head;       // its first 8 bytes (fewer: zero-padded) as a little-endian word...
    std::uint64_t head_mask;  // ...and which of those bytes it has: one compare rejects most places
  };
  std::vector<Phrase> by_first_;            // phrases starting with a word byte, sorted by that byte
  std::array<std::uint32_t, 257> first_{};  // phrases starting with byte b: by_first_[first_[b], first_[b + 1])
  std::vector<Phrase> others_;              // the rest, looked for one by one
  std::uint64_t sets_ = 0;                  // the bits of the sets that have a phrase: once all are found, done
};

}  // namespace leadscore::detail
