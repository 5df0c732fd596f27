#include "detail/text_decoder.hpp"

#include <cstring>

namespace leadscore::detail {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void append_windows1252(std::string& out, unsigned char byte) {
  // 0x80-0x9F differ from Latin-1; the five undefined bytes keep their C1 code point (WHATWG).
  static constexpr std::uint16_t kHigh[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                              0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                              0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                              0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  if (byte >= 0x80 && byte < 0xA0) {
    append_utf8(out, kHigh[byte - 0x80]);
  } else {
    append_utf8(out, byte);
  }
}

int utf8_sequence_length(const unsigned char* p, const unsigned char* end) noexcept {
  const unsigned char c = *p;
  int len = 0;
  std::uint32_t cp = 0;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  for (int i = 1; i < len; ++i) {
    if (p + i >= end) return -1;
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
    // Reject overlong forms, surrogates and code points past U+10FFFF as early as possible.
    if (i == 1) {
      if (len == 3 && c == 0xE0 && p[1] < 0xA0) return 0;
      if (len == 3 && c == 0xED && p[1] > 0x9F) return 0;
      if (len == 4 && c == 0xF0 && p[1] < 0x90) return 0;
      if (len == 4 && c == 0xF4 && p[1] > 0x8F) return 0;
    }
  }
  return len;
}

bool is_valid_utf8(std::string_view bytes, bool allow_truncated) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      // ASCII runs eight bytes at a time.
      std::uint64_t word;
      while (end - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ull) == 0)) p += 8;
      continue;
    }
    const int len = utf8_sequence_length(p, end);
    if (len < 0) return allow_truncated;
    if (len == 0) return false;
    p += len;
  }
  return true;
}

void TextDecoder::decode_utf16(std::string_view bytes, std::string& text) {
  const bool little = encoding_ == TextEncoding::Utf16Le;
  std::size_t i = 0;
  auto unit_at = [&](unsigned char a, unsigned char b) -> std::uint32_t {
    return little ? (a | (b << 8)) : ((a << 8) | b);
  };
  while (true) {
    std::uint32_t unit = 0;
    if (!carry_.empty()) {
      if (i >= bytes.size()) return;
      unit = unit_at(static_cast<unsigned char>(carry_[0]), static_cast<unsigned char>(bytes[i]));
      carry_.clear();
      i += 1;
    } else if (i + 1 < bytes.size()) {
      unit = unit_at(static_cast<unsigned char>(bytes[i]), static_cast<unsigned char>(bytes[i + 1]));
      i += 2;
    } else {
      if (i < bytes.size()) carry_.assign(1, bytes[i]);
      return;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (high_surrogate_ != 0) detail::append_utf8(text, 0xFFFD);
      high_surrogate_ = unit;
      continue;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      if (high_surrogate_ != 0) {
        detail::append_utf8(text, 0x10000 + ((high_surrogate_ - 0xD800) << 10) + (unit - 0xDC00));
        high_surrogate_ = 0;
      } else {
        detail::append_utf8(text, 0xFFFD);
      }
      continue;
    }
    if (high_surrogate_ != 0) {
      detail::append_utf8(text, 0xFFFD);
      high_surrogate_ = 0;
    }
    detail::append_utf8(text, unit);
  }
}

}  // namespace leadscore::detail
