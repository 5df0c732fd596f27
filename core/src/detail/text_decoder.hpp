#pragma once
// Incremental byte -> UTF-8 decoding: UTF-8 (validated, bad bytes read as Windows-1252),
// Windows-1252, and UTF-16 LE/BE. Holds the partial character at a chunk's end for the next one.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "leadscore/csv_reader.hpp"

namespace leadscore::detail {

class TextDecoder {
 public:
  explicit TextDecoder(TextEncoding encoding) : encoding_(encoding) {}

  /// Decodes `bytes`, calling `out(text, substituted)` for each decoded piece in order;
  /// `substituted` is true for a piece that replaces bytes that were not valid UTF-8.
  template <class Out>
  void decode(std::string_view bytes, Out&& out);
  /// Flushes what a truncated character left behind.
  template <class Out>
  void finish(Out&& out);

 private:
  void decode_utf16(std::string_view bytes, std::string& text);
  template <class Out>
  void decode_utf8(std::string_view bytes, Out& out);
  /// Emits `text` from its start up to at least `stop`; a character cut by its end goes to carry_.
  template <class Out>
  std::size_t utf8_span(std::string_view text, std::size_t stop, Out& out);

  TextEncoding encoding_;
  std::string carry_;  // bytes of a character cut by the chunk boundary
  std::string buffer_;
  std::uint32_t high_surrogate_ = 0;
};

/// Appends code point `cp` as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);
/// Appends the Windows-1252 reading of `byte`.
void append_windows1252(std::string& out, unsigned char byte);
/// Length of the valid UTF-8 sequence at `p` (1..4), 0 if invalid, -1 if cut short by `end`.
int utf8_sequence_length(const unsigned char* p, const unsigned char* end) noexcept;
/// True when `bytes` is valid UTF-8, allowing a cut-short final character when `allow_truncated`.
bool is_valid_utf8(std::string_view bytes, bool allow_truncated) noexcept;

template <class Out>
void TextDecoder::decode(std::string_view bytes, Out&& out) {
  switch (encoding_) {
    case TextEncoding::Utf8: decode_utf8(bytes, out); return;
    case TextEncoding::Windows1252:
      buffer_.clear();
      for (unsigned char c : bytes) {
        if (c < 0x80) {
          buffer_.push_back(static_cast<char>(c));
        } else {
          detail::append_windows1252(buffer_, c);
        }
      }
      out(std::string_view(buffer_), false);
      return;
    case TextEncoding::Utf16Le:
    case TextEncoding::Utf16Be:
      buffer_.clear();
      decode_utf16(bytes, buffer_);
      out(std::string_view(buffer_), false);
      return;
  }
}

template <class Out>
void TextDecoder::decode_utf8(std::string_view bytes, Out& out) {
  std::string_view input = bytes;
  if (!carry_.empty()) {
    // Finish the character cut at the previous boundary: at most 3 more bytes decide it.
    std::string joined = std::move(carry_);
    carry_.clear();
    const std::size_t held = joined.size();
    const std::size_t take = input.size() < 3 ? input.size() : 3;
    joined.append(input.data(), take);
    const std::size_t reached = utf8_span(joined, held, out);
    if (!carry_.empty()) return;  // still cut short: `input` was all taken
    input.remove_prefix(reached - held);
  }
  utf8_span(input, input.size(), out);
}

template <class Out>
std::size_t TextDecoder::utf8_span(std::string_view text, std::size_t stop, Out& out) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  const auto* limit = begin + stop;
  const auto* run = begin;
  const auto* p = begin;
  auto flush = [&] {
    if (p > run) out(text.substr(static_cast<std::size_t>(run - begin), static_cast<std::size_t>(p - run)), false);
  };
  while (p < limit) {
    if (*p < 0x80) {
      ++p;
      // ASCII runs eight bytes at a time.
      std::uint64_t word;
      while (limit - p >= 8 && (std::memcpy(&word, p, 8), (word & 0x8080808080808080ull) == 0)) p += 8;
      continue;
    }
    const int len = detail::utf8_sequence_length(p, end);
    if (len > 0) {
      p += len;
      continue;
    }
    flush();
    if (len < 0) {  // cut by the end of `text`
      carry_.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(end - p));
      return text.size();
    }
    buffer_.clear();
    detail::append_windows1252(buffer_, *p);
    out(std::string_view(buffer_), true);
    run = ++p;
  }
  flush();
  return static_cast<std::size_t>(p - begin);
}

template <class Out>
void TextDecoder::finish(Out&& out) {
  if (encoding_ == TextEncoding::Utf8) {
    // A character cut by the end of the input: each of its bytes is read as Windows-1252.
    for (unsigned char c : carry_) {
      buffer_.clear();
      detail::append_windows1252(buffer_, c);
      out(std::string_view(buffer_), true);
    }
  } else if (encoding_ != TextEncoding::Windows1252 && (!carry_.empty() || high_surrogate_ != 0)) {
    buffer_.clear();
    detail::append_utf8(buffer_, 0xFFFD);
    out(std::string_view(buffer_), false);
  }
  carry_.clear();
  high_surrogate_ = 0;
}

}  // namespace leadscore::detail
