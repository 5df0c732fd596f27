#include "detail/xml_scanner.hpp"

namespace leadscore::detail {

bool append_utf8(std::uint32_t code_point, std::string& out) {
  // Not characters: NUL, surrogates, past U+10FFFF.
  if (code_point == 0 || (code_point >= 0xD800 && code_point < 0xE000) || code_point > 0x10FFFF) return false;
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
  return true;
}

bool xml_decode(std::string_view raw, std::string& out) {
  std::size_t at = 0;
  while (true) {
    const std::size_t amp = raw.find('&', at);
    out.append(raw.substr(at, amp == std::string_view::npos ? std::string_view::npos : amp - at));
    if (amp == std::string_view::npos) return true;
    const std::size_t semicolon = raw.find(';', amp);
    if (semicolon == std::string_view::npos || semicolon - amp > 10) return false;
    const std::string_view name = raw.substr(amp + 1, semicolon - amp - 1);
    if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "amp")
      out += '&';
    else if (name == "quot")
      out += '"';
    else if (name == "apos")
      out += '\'';
    else if (name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x';
      std::uint32_t code = 0;
      const std::string_view digits = name.substr(hex ? 2 : 1);
      if (digits.empty()) return false;
      for (char c : digits) {
        int digit = -1;
        if (c >= '0' && c <= '9')
          digit = c - '0';
        else if (hex && c >= 'a' && c <= 'f')
          digit = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F')
          digit = c - 'A' + 10;
        if (digit < 0 || code > 0x10FFFF) return false;
        code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
      }
      if (!append_utf8(code, out)) return false;
    } else {
      return false;  // no document type, so no other entity exists
    }
    at = semicolon + 1;
  }
}

}  // namespace leadscore::detail
