#pragma once
// Finding the next of a few bytes, 16 at a time: SSE2 natively, SIMD128 in WebAssembly, a plain
// loop elsewhere. Used to find field ends (reader) and the bytes that need quoting (writer).

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

#include <cstdint>

namespace leadscore::detail {

/// Bit i set when byte p[i] (i < 16) is one of a, b, c, d.
inline unsigned match16(const char* p, char a, char b, char c, char d) noexcept {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i hits =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a)), _mm_cmpeq_epi8(v, _mm_set1_epi8(b))),
                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)), _mm_cmpeq_epi8(v, _mm_set1_epi8(d))));
  return static_cast<unsigned>(_mm_movemask_epi8(hits));
#elif defined(__wasm_simd128__)
  const v128_t v = wasm_v128_load(p);
  const v128_t hits =
      wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat(a)), wasm_i8x16_eq(v, wasm_i8x16_splat(b))),
                   wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat(c)), wasm_i8x16_eq(v, wasm_i8x16_splat(d))));
  return static_cast<unsigned>(wasm_i8x16_bitmask(hits));
#else
  unsigned mask = 0;
  for (int i = 0; i < 16; ++i) mask |= static_cast<unsigned>(p[i] == a || p[i] == b || p[i] == c || p[i] == d) << i;
  return mask;
#endif
}

/// Bit i set when byte p[i] (i < 64) is one of a, b, c, d: many short fields in one mask.
inline std::uint64_t match64(const char* p, char a, char b, char c, char d) noexcept {
  return static_cast<std::uint64_t>(match16(p, a, b, c, d)) |
         static_cast<std::uint64_t>(match16(p + 16, a, b, c, d)) << 16 |
         static_cast<std::uint64_t>(match16(p + 32, a, b, c, d)) << 32 |
         static_cast<std::uint64_t>(match16(p + 48, a, b, c, d)) << 48;
}

/// The first of a, b, c, d at or after `p`, or `end`.
inline const char* find_any(const char* p, const char* end, char a, char b, char c, char d) noexcept {
  for (; end - p >= 16; p += 16) {
    if (const unsigned mask = match16(p, a, b, c, d)) return p + __builtin_ctz(mask);
  }
  while (p < end && *p != a && *p != b && *p != c && *p != d) ++p;
  return p;
}

}  // namespace leadscore::detail
