#include "detail/phrase_set.hpp"

#include <algorithm>
#include <cstring>

#include "leadscore/values.hpp"

namespace leadscore::detail {

PhraseSet::Phrase::Phrase(std::string phrase, std::uint64_t set_bit)
    : text(std::move(phrase)), set(set_bit), head(0), head_mask(~std::uint64_t{0}) {
  const std::size_t n = std::min<std::size_t>(text.size(), 8);
  std::memcpy(&head, text.data(), n);
  if (n < 8) head_mask = (std::uint64_t{1} << (8 * n)) - 1;
}

PhraseSet::PhraseSet(const std::vector<std::vector<std::string>>& sets) {
  for (std::size_t i = 0; i < sets.size() && i < kMostSets; ++i) {
    const std::uint64_t set = std::uint64_t{1} << i;
    for (const auto& phrase : sets[i]) {
      (!phrase.empty() && is_word_byte(phrase.front()) ? by_first_ : others_).emplace_back(phrase, set);
      sets_ |= set;
    }
  }
  std::stable_sort(by_first_.begin(), by_first_.end(), [](const Phrase& a, const Phrase& b) {
    return static_cast<unsigned char>(a.text.front()) < static_cast<unsigned char>(b.text.front());
  });
  std::size_t i = 0;
  for (std::size_t b = 0; b <= 256; ++b) {
    while (i < by_first_.size() && static_cast<unsigned char>(by_first_[i].text.front()) < b) ++i;
    first_[b] = static_cast<std::uint32_t>(i);
  }
}

std::uint64_t PhraseSet::sets_found_in(std::string_view text) const {
  std::uint64_t found = 0;
  const std::size_t n = text.size();
  for (std::size_t at = 0; at < n && found != sets_; ++at) {
    if (at > 0 && is_word_byte(text[at - 1])) continue;  // a phrase starting with a letter starts a word
    const auto b = static_cast<unsigned char>(text[at]);
    if (first_[b] == first_[b + 1]) continue;
    // The text's next 8 bytes (fewer at its end, zero-padded: no phrase holds a NUL byte, so a
    // phrase running past the end never matches them).
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + at, std::min<std::size_t>(n - at, 8));
    for (std::uint32_t i = first_[b]; i < first_[b + 1]; ++i) {
      const Phrase& p = by_first_[i];
      if ((word & p.head_mask) != p.head || (found & p.set)) continue;
      const std::size_t size = p.text.size(), end = at + size;
      if (end > n || (size > 8 && std::memcmp(text.data() + at + 8, p.text.data() + 8, size - 8) != 0)) continue;
      if (end == n || !is_word_byte(text[end]) || !is_word_byte(p.text.back())) found |= p.set;
    }
  }
  for (const Phrase& p : others_) {
    if (!(found & p.set) && contains_phrase(text, p.text)) found |= p.set;
  }
  return found;
}

}  // namespace leadscore::detail
