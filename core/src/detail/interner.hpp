#pragma once
/// Distinct texts, each given a small id in order of first sight: the one hash table of the core.
/// A column's keys (rule outcomes are worked out once per distinct cell, not once per row), a
/// list's lead sources, a column's distinct cells when it is sorted, a set of domains.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace leadscore::detail {

/// The first min(8, size) bytes of `text` as a little-endian word, zero-padded; no byte past the
/// text is read.
inline std::uint64_t prefix_word(std::string_view text) noexcept {
  const char* p = text.data();
  const std::size_t n = text.size();
  std::uint64_t word = 0;
  if (n >= 8) {
    std::memcpy(&word, p, 8);
  } else if (n >= 4) {
    std::uint32_t low, high;
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + n - 4, 4);
    word = low | static_cast<std::uint64_t>(high) << (8 * (n - 4));
  } else if (n > 0) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])); };
    word = byte(0) | byte(n / 2) << (8 * (n / 2)) | byte(n - 1) << (8 * (n - 1));
  }
  return word;
}

/// A fast, portable hash of a text given its prefix_word (the same on every platform). Its high
/// bits are the best: tables index by them. Keys of at most 8 bytes take one multiply.
inline std::uint64_t hash_text(std::string_view text, std::uint64_t prefix) noexcept {
  const std::size_t n = text.size();
  std::uint64_t h = (prefix ^ (static_cast<std::uint64_t>(n) << 59 | n)) * 0x9E3779B97F4A7C15ull;
  if (n <= 8) return h;
  // The rest 8 bytes at a time, the last load overlapping when it must: every byte counts.
  const char* p = text.data();
  std::uint64_t word;
  for (std::size_t i = 8; i < n; i += 8) {
    std::memcpy(&word, p + (i + 8 <= n ? i : n - 8), 8);
    h = (h ^ (h >> 29) ^ word) * 0xC4CEB9FE1A85EC53ull;
  }
  h ^= h >> 32;
  return h * 0xBF58476D1CE4E5B9ull;
}

inline std::uint64_t hash_text(std::string_view text) noexcept { return hash_text(text, prefix_word(text)); }

/// Distinct texts with ids 0, 1, 2... in order of first sight. `Compact`: 8 bytes a text besides
/// its bytes (a slot holds only an id), for a sort's millions of distinct cells within a memory
/// budget; otherwise a slot also holds the text's first 8 bytes and size, so that most look-ups
/// of short keys touch one slot (every row of a list looks up every column the model reads).
template <bool Compact>
class BasicInterner {
 public:
  static constexpr std::uint32_t kFull = 0xFFFFFFFFu;
  static constexpr std::size_t kUnlimited = static_cast<std::size_t>(-1);

  /// At most `max_texts` distinct texts and `max_bytes` of text; beyond that `intern` says kFull.
  explicit BasicInterner(std::size_t max_texts = 1u << 16, std::size_t max_bytes = 4u << 20)
      : max_texts_(max_texts), max_bytes_(Compact ? std::min<std::size_t>(max_bytes, UINT32_MAX) : max_bytes) {}

  /// The id of `text`, added if new; kFull when it is new and the dictionary is full.
  /// `added` tells whether it was new.
  std::uint32_t intern(std::string_view text, bool& added) { return intern(text, added, max_texts_); }
  /// The same, but kFull for a new text once the dictionary holds `most` texts.
  std::uint32_t intern(std::string_view text, bool& added, std::size_t most) {
    added = false;
    if (slots_.empty()) rehash(64);
    const std::uint64_t prefix = prefix_word(text);
    const std::size_t i = probe(text, prefix);
    if (slots_[i].id != kEmpty) return slots_[i].id;
    if (ends_.size() >= std::min(most, max_texts_) || bytes_.size() + text.size() > max_bytes_) return kFull;
    const auto id = static_cast<std::uint32_t>(ends_.size());
    bytes_.append(text);
    ends_.push_back(static_cast<End>(bytes_.size()));
    slots_[i] = slot(prefix, text.size(), id);
    added = true;
    if (ends_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return id;
  }

  /// The id of `text`, or kFull when it is not there.
  std::uint32_t find(std::string_view text) const noexcept {
    return slots_.empty() ? kFull : slots_[probe(text, prefix_word(text))].id;
  }

  std::string_view text(std::uint32_t id) const noexcept {
    const std::size_t begin = id == 0 ? 0 : ends_[id - 1];
    return std::string_view(bytes_.data() + begin, ends_[id] - begin);
  }
  std::size_t size() const noexcept { return ends_.size(); }
  std::size_t memory_bytes() const noexcept {
    return bytes_.capacity() + ends_.capacity() * sizeof(End) + slots_.capacity() * sizeof(Slot);
  }
  void clear() {
    bytes_.clear();
    ends_.clear();
    slots_.clear();
  }

 private:
  static constexpr std::uint32_t kEmpty = kFull;  // an empty slot: find() then says kFull
  struct FastSlot {
    std::uint64_t prefix = 0;
    std::uint32_t size = 0;
    std::uint32_t id = kEmpty;
  };
  struct CompactSlot {
    std::uint32_t id = kEmpty;
  };
  using Slot = std::conditional_t<Compact, CompactSlot, FastSlot>;
  using End = std::conditional_t<Compact, std::uint32_t, std::size_t>;

  static Slot slot(std::uint64_t prefix, std::size_t size, std::uint32_t id) noexcept {
    if constexpr (Compact) {
      return Slot{id};
    } else {
      return Slot{prefix, static_cast<std::uint32_t>(size), id};
    }
  }
  // Two texts of the same size over 8 bytes whose first 8 bytes are equal: the rest, 8 bytes at a
  // time (the last load overlapping), no call to memcmp.
  static bool same_after_8(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = a.size();
    std::uint64_t x, y;
    for (std::size_t i = 8; i < n; i += 8) {
      const std::size_t at = i + 8 <= n ? i : n - 8;
      std::memcpy(&x, a.data() + at, 8);
      std::memcpy(&y, b.data() + at, 8);
      if (x != y) return false;
    }
    return true;
  }
  [[gnu::always_inline]] bool holds(const Slot& slot, std::string_view text, std::uint64_t prefix) const noexcept {
    if constexpr (Compact) {
      return this->text(slot.id) == text;
    } else {
      return slot.prefix == prefix && slot.size == text.size() &&
             (text.size() <= 8 || same_after_8(this->text(slot.id), text));
    }
  }
  std::size_t slot_of(std::uint64_t hash) const noexcept { return static_cast<std::size_t>(hash >> shift_); }
  /// The slot that holds `text`, or the empty one where it goes. Always inlined: every row of a
  /// list looks up every column the model reads through it.
  [[gnu::always_inline]] std::size_t probe(std::string_view text, std::uint64_t prefix) const noexcept {
    std::size_t i = slot_of(hash_text(text, prefix));
    for (;; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i].id == kEmpty || holds(slots_[i], text, prefix)) return i;
    }
  }
  void rehash(std::size_t count) {
    std::vector<Slot> slots(count);
    int shift = 64;
    for (std::size_t c = count; c > 1; c >>= 1) --shift;
    for (std::uint32_t id = 0; id < ends_.size(); ++id) {
      const std::string_view key = text(id);
      const std::uint64_t prefix = prefix_word(key);
      std::size_t i = static_cast<std::size_t>(hash_text(key, prefix) >> shift);
      while (slots[i].id != kEmpty) i = (i + 1) & (count - 1);
      slots[i] = slot(prefix, key.size(), id);
    }
    slots_ = std::move(slots);
    shift_ = shift;
  }

  std::size_t max_texts_;
  std::size_t max_bytes_;
  std::string bytes_;
  std::vector<End> ends_;
  std::vector<Slot> slots_;  // a power of two of them, indexed by a hash's high bits
  int shift_ = 64;
};

using Interner = BasicInterner<false>;
using CompactInterner = BasicInterner<true>;

}  // namespace leadscore::detail
