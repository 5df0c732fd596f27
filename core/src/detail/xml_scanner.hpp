#pragma once
// The small part of XML that a workbook's parts use, read as a stream of tags and text.
//
// A workbook is XML, but a worksheet only needs elements, attributes, text, CDATA and the five
// predefined entities plus character references. A general XML library would also bring DTDs,
// entity expansion and external references: the attack surface of a hostile upload, and code the
// WebAssembly build would carry. So a document type declaration is refused outright (no entity
// can ever expand), names are compared by their local part (writers differ in prefixes), and the
// depth is capped. Bytes arrive in chunks of any size; a token split between chunks is held
// until it is complete.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/error.hpp"
#include "messages.hpp"

namespace leadscore::detail {

struct XmlAttribute {
  std::string_view name;   ///< local name (prefix removed)
  std::string_view value;  ///< raw: entities not yet decoded (xml_decode)
};

/// Appends `raw` to `out` with entity and character references decoded. False on an unknown
/// entity or a reference to no character.
bool xml_decode(std::string_view raw, std::string& out);

/// Appends the UTF-8 bytes of `code_point`; false when it is not a character.
bool append_utf8(std::uint32_t code_point, std::string& out);

/// The local part of a qualified name: "x:row" -> "row".
inline std::string_view xml_local_name(std::string_view name) {
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

/// A streaming scanner. The handler has
///   Status on_start(std::string_view name, const std::vector<XmlAttribute>& attributes, bool empty)
///   Status on_end(std::string_view name)
///   Status on_text(std::string_view raw, bool cdata)   (raw text: decode with xml_decode)
/// and a failed Status from any of them ends the scan with that error.
class XmlScanner {
 public:
  static constexpr std::size_t kMaxDepth = 256;
  /// A tag or a run of text longer than this is refused (a worksheet's longest is a 32,767
  /// character cell).
  static constexpr std::size_t kMaxTokenBytes = 16u << 20;

  explicit XmlScanner(std::string part) : part_(std::move(part)) {}

  template <class Handler>
  Status feed(std::string_view bytes, Handler& handler) {
    // A token held from the last chunk is completed from the start of this one, a growing piece
    // at a time; the rest of the chunk is then scanned where it is, never copied.
    while (!pending_.empty()) {
      if (bytes.empty()) return Ok{};
      const std::size_t held = pending_.size();
      const std::size_t take = std::min(bytes.size(), std::max<std::size_t>(held, 4096));
      pending_.append(bytes.data(), take);
      std::size_t used = 0;
      Status status = scan(pending_, false, handler, used);
      if (!status.ok()) return status;
      if (used >= held) {
        bytes.remove_prefix(used - held);
        pending_.clear();
        break;
      }
      pending_.erase(0, used);
      bytes.remove_prefix(take);
      if (pending_.size() > kMaxTokenBytes) return fail("a tag or text longer than 16 MiB");
    }
    std::size_t used = 0;
    Status status = scan(bytes, false, handler, used);
    if (!status.ok()) return status;
    pending_.assign(bytes.substr(used));
    if (pending_.size() > kMaxTokenBytes) return fail("a tag or text longer than 16 MiB");
    return Ok{};
  }

  template <class Handler>
  Status finish(Handler& handler) {
    std::size_t used = 0;
    Status status = scan(pending_, true, handler, used);
    if (!status.ok()) return status;
    pending_.clear();
    if (depth_ != 0 || !seen_root_) return fail("the XML ends before its last element is closed");
    return Ok{};
  }

  Error fail(std::string what) const {
    return Error{ErrorCode::WorkbookCorrupt,
                 messages::damaged_workbook("its part " + part_ + " is not readable XML (" + what + ")")};
  }

 private:
  template <class Handler>
  Status scan(std::string_view text, bool at_end, Handler& handler, std::size_t& used) {
    std::size_t at = 0;
    const std::size_t n = text.size();
    while (at < n) {
      if (text[at] != '<') {
        const void* lt = std::memchr(text.data() + at, '<', n - at);
        const std::size_t end = lt ? static_cast<std::size_t>(static_cast<const char*>(lt) - text.data()) : n;
        if (!lt && !at_end) break;
        Status status = handler.on_text(text.substr(at, end - at), false);
        if (!status.ok()) return status;
        at = end;
        continue;
      }
      const std::string_view rest = text.substr(at);
      if (rest.size() < 2) break;
      if (rest[1] == '?' || rest[1] == '!') {
        std::size_t consumed = 0;
        Status status = special(rest, handler, consumed);
        if (!status.ok()) return status;
        if (consumed == 0) break;  // incomplete
        at += consumed;
        continue;
      }
      const std::size_t close = tag_end(rest);
      if (close == std::string_view::npos) break;
      Status status = tag(rest.substr(1, close - 1), handler);
      if (!status.ok()) return status;
      at += close + 1;
    }
    if (at_end && at < n) return fail("it ends inside a tag");
    used = at;
    return Ok{};
  }

  // The '>' that ends the tag starting rest[0], skipping quoted attribute values.
  static std::size_t tag_end(std::string_view rest) {
    char quote = 0;
    for (std::size_t i = 1; i < rest.size(); ++i) {
      const char c = rest[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      }
    }
    return std::string_view::npos;
  }

  // <?...?>, <!--...-->, <![CDATA[...]]>; consumed stays 0 while incomplete.
  template <class Handler>
  Status special(std::string_view rest, Handler& handler, std::size_t& consumed) {
    auto until = [&](std::string_view open, std::string_view close) -> std::size_t {
      const std::size_t end = rest.find(close, open.size());
      return end == std::string_view::npos ? 0 : end + close.size();
    };
    if (rest[1] == '?') {
      consumed = until("<?", "?>");
      return Ok{};
    }
    if (rest.size() < 9) return Ok{};
    if (rest.compare(0, 4, "<!--") == 0) {
      consumed = until("<!--", "-->");
      return Ok{};
    }
    if (rest.compare(0, 9, "<![CDATA[") == 0) {
      consumed = until("<![CDATA[", "]]>");
      if (consumed == 0) return Ok{};
      if (depth_ == 0) return fail("text outside the root element");
      return handler.on_text(rest.substr(9, consumed - 12), true);
    }
    if (rest.compare(0, 9, "<!DOCTYPE") == 0) return fail("it declares a document type, which a workbook never does");
    return fail("an unknown <! declaration");
  }

  template <class Handler>
  Status tag(std::string_view inside, Handler& handler) {
    if (!inside.empty() && inside[0] == '/') {
      if (depth_ == 0) return fail("a closing tag without its opening tag");
      --depth_;
      return handler.on_end(xml_local_name(trim(inside.substr(1))));
    }
    bool empty = false;
    if (!inside.empty() && inside.back() == '/') {
      empty = true;
      inside.remove_suffix(1);
    }
    std::size_t i = 0;
    while (i < inside.size() && !is_space(inside[i])) ++i;
    const std::string_view name = inside.substr(0, i);
    if (name.empty()) return fail("a tag without a name");
    attributes_.clear();
    while (true) {
      while (i < inside.size() && is_space(inside[i])) ++i;
      if (i >= inside.size()) break;
      const std::size_t name_start = i;
      while (i < inside.size() && inside[i] != '=' && !is_space(inside[i])) ++i;
      const std::string_view attribute = inside.substr(name_start, i - name_start);
      while (i < inside.size() && is_space(inside[i])) ++i;
      if (i >= inside.size() || inside[i] != '=') return fail("an attribute without a value");
      ++i;
      while (i < inside.size() && is_space(inside[i])) ++i;
      if (i >= inside.size() || (inside[i] != '"' && inside[i] != '\'')) return fail("an unquoted attribute value");
      const char quote = inside[i++];
      const std::size_t value_start = i;
      while (i < inside.size() && inside[i] != quote) ++i;
      if (i >= inside.size()) return fail("an attribute value without its closing quote");
      attributes_.push_back({xml_local_name(attribute), inside.substr(value_start, i - value_start)});
      ++i;
    }
    if (depth_ == 0 && seen_root_) return fail("a second root element");
    seen_root_ = true;
    if (!empty && ++depth_ > kMaxDepth) return fail("elements nested more than 256 deep");
    return handler.on_start(xml_local_name(name), attributes_, empty);
  }

  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
  }

  std::string part_;
  std::string pending_;
  std::vector<XmlAttribute> attributes_;
  std::size_t depth_ = 0;
  bool seen_root_ = false;
};

}  // namespace leadscore::detail
