#pragma once
// Shared by the fuzz targets: an input cut into chunks of sizes drawn from its own first bytes, and
// a check that stops the run (a finding) when a property fails.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace fuzz {

/// Fails the run with `what` when `ok` is false: libFuzzer keeps the input that did it.
inline void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property failed: %s\n", what);
    std::abort();
  }
}

/// `text` cut into chunks whose sizes (1-64, or the rest) follow `seed`: every split point gets
/// tried across runs.
inline std::vector<std::string_view> cut(std::string_view text, std::uint8_t seed) {
  std::vector<std::string_view> chunks;
  std::uint32_t state = seed * 2654435761u + 1;
  std::size_t left = text.size(), at = 0;
  while (left > 0) {
    state = state * 1103515245u + 12345u;
    const std::size_t want = (state >> 16) % 65;
    const std::size_t n = want == 0 || want > left ? left : want;
    chunks.push_back(text.substr(at, n));
    at += n;
    left -= n;
  }
  return chunks;
}

/// The input after its first byte, cut into chunks that its first byte seeds.
inline std::vector<std::string_view> chunks_of(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return {};
  return cut(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), data[0]);
}

}  // namespace fuzz
