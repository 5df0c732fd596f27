#pragma once
/// Distinct texts, each given a small id in order of first sight: the key of every per-value cache
/// (a column's rule outcomes are worked out once per distinct cell, not once per row).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore::detail {

/// A fast, portable hash of a short text (8 bytes at a time; the same on every platform).
inline std::uint64_t hash_text(std::string_view text) noexcept {
  const char* p = text.data();
  std::size_t n = text.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    h = (h ^ word) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  if (n > 0) {
    // The last 1-7 bytes in at most two loads (overlapping when they must); every byte counts.
    std::uint64_t word;
    if (n >= 4) {
      std::uint32_t low, high;
      std::memcpy(&low, p, 4);
      std::memcpy(&high, p + n - 4, 4);
      word = low | static_cast<std::uint64_t>(high) << 32;
    } else {
      const auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])); };
      word = byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
    }
    h = (h ^ word) * 0xC4CEB9FE1A85EC53ull;
  }
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

class TextDictionary {
 public:
  static constexpr std::uint32_t kFull = 0xFFFFFFFFu;

  /// At most `max_texts` distinct texts and `max_bytes` of text; beyond that `intern` says kFull.
  explicit TextDictionary(std::size_t max_texts = 1u << 16, std::size_t max_bytes = 4u << 20)
      : max_texts_(max_texts), max_bytes_(max_bytes) {}

  /// The id of `text`, added if new; kFull when it is new and the dictionary is full.
  /// `added` tells whether it was new.
  std::uint32_t intern(std::string_view text, bool& added) {
    added = false;
    if (slots_.empty()) rehash(64);
    const std::uint64_t h = hash_text(text);
    std::size_t i = static_cast<std::size_t>(h) & (slots_.size() - 1);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (;; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.id == kEmpty) break;
      if (slot.tag == tag && same(this->text(slot.id), text)) return slot.id;
    }
    if (ends_.size() >= max_texts_ || bytes_.size() + text.size() > max_bytes_) return kFull;
    const auto id = static_cast<std::uint32_t>(ends_.size());
    bytes_.append(text);
    ends_.push_back(bytes_.size());
    slots_[i] = Slot{tag, id};
    added = true;
    if (ends_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return id;
  }

  std::string_view text(std::uint32_t id) const noexcept {
    const std::size_t begin = id == 0 ? 0 : ends_[id - 1];
    return std::string_view(bytes_.data() + begin, ends_[id] - begin);
  }
  std::size_t size() const noexcept { return ends_.size(); }
  std::size_t memory_bytes() const noexcept {
    return bytes_.capacity() + ends_.capacity() * sizeof(std::size_t) + slots_.capacity() * sizeof(Slot);
  }
  void clear() {
    bytes_.clear();
    ends_.clear();
    slots_.clear();
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  // Keys are short: eight bytes at a time, the tail in one overlapping load, no call to memcmp.
  static bool same(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    const char* p = a.data();
    const char* q = b.data();
    if (n < 8) {
      for (std::size_t i = 0; i < n; ++i) {
        if (p[i] != q[i]) return false;
      }
      return true;
    }
    std::uint64_t x, y;
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&x, p + i, 8);
      std::memcpy(&y, q + i, 8);
      if (x != y) return false;
    }
    std::memcpy(&x, p + n - 8, 8);
    std::memcpy(&y, q + n - 8, 8);
    return x == y;
  }
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t id = kEmpty;
  };
  void rehash(std::size_t count) {
    std::vector<Slot> slots(count);
    for (std::uint32_t id = 0; id < ends_.size(); ++id) {
      const std::uint64_t h = hash_text(text(id));
      std::size_t i = static_cast<std::size_t>(h) & (count - 1);
      while (slots[i].id != kEmpty) i = (i + 1) & (count - 1);
      slots[i] = Slot{static_cast<std::uint32_t>(h >> 32), id};
    }
    slots_ = std::move(slots);
  }

  std::size_t max_texts_;
  std::size_t max_bytes_;
  std::string bytes_;
  std::vector<std::size_t> ends_;
  std::vector<Slot> slots_;
};

}  // namespace leadscore::detail
