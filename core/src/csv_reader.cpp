#include "leadscore/csv_reader.hpp"
#include "leadscore/workbook.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <iterator>
#include <map>

#include "detail/csv_tokenizer.hpp"
#include "detail/setup_code.hpp"
#include "detail/text_decoder.hpp"
#include "messages.hpp"

namespace leadscore {

const char* encoding_name(TextEncoding encoding) noexcept {
  switch (encoding) {
    case TextEncoding::Utf8: return "utf-8";
    case TextEncoding::Windows1252: return "windows-1252";
    case TextEncoding::Utf16Le: return "utf-16le";
    case TextEncoding::Utf16Be: return "utf-16be";
  }
  return "utf-8";
}

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

/// A user-facing reason why `prefix` is not a text file, or empty when it looks like text.
std::string binary_reason(std::string_view prefix) {
  struct Signature {
    std::string_view magic;
    const char* what;
  };
  static constexpr Signature kSignatures[] = {
      {"PK\x03\x04", "an Excel workbook (.xlsx) or a ZIP archive"},
      {"%PDF", "a PDF document"},
      {"\x1F\x8B", "a gzip-compressed file"},
      {"\x89PNG", "a PNG image"},
      {"\xFF\xD8\xFF", "a JPEG image"},
      {"GIF8", "a GIF image"},
      {"{\\rtf", "an RTF document"},
      {"SQLite format 3", "an SQLite database"},
  };
  for (const auto& sig : kSignatures) {
    if (starts_with(prefix, sig.magic)) return sig.what;
  }
  std::size_t controls = 0;
  for (unsigned char c : prefix) {
    if (c == 0) return "a binary file (it contains NUL bytes)";
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ++controls;
  }
  if (controls * 20 > prefix.size()) return "a binary file (it is full of control characters)";
  return {};
}

/// UTF-16 without a byte-order mark: most ASCII text then has a zero in every other byte.
bool looks_like_utf16(std::string_view prefix, bool& little_endian) {
  const std::size_t n = std::min<std::size_t>(prefix.size(), 512) & ~std::size_t{1};
  if (n < 4) return false;
  std::size_t even_zero = 0;
  std::size_t odd_zero = 0;
  for (std::size_t i = 0; i < n; i += 2) {
    even_zero += prefix[i] == 0;
    odd_zero += prefix[i + 1] == 0;
  }
  const std::size_t pairs = n / 2;
  if (odd_zero * 10 >= pairs * 7 && even_zero * 10 < pairs) {
    little_endian = true;
    return true;
  }
  if (even_zero * 10 >= pairs * 7 && odd_zero * 10 < pairs) {
    little_endian = false;
    return true;
  }
  return false;
}

/// Counts fields per record without keeping anything: the sniffer's view of a candidate delimiter.
class FieldCounter final : public CsvSink {
 public:
  std::map<std::size_t, std::size_t> counts;  // fields per record -> records
  std::size_t records = 0;
  void on_record(const CsvRecord& record) override {
    ++counts[record.size()];
    ++records;
  }
  void on_issue(const Error&) override {}
};

/// Picks the delimiter whose records agree best on a field count above one.
char sniff_delimiter(std::string_view text, bool complete) {
  static constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
  char best = ',';
  double best_agreement = -1;
  std::size_t best_fields = 0;
  for (char candidate : kCandidates) {
    detail::CsvTokenizer tokenizer(candidate);
    FieldCounter counter;
    tokenizer.feed(text, counter);
    if (complete) tokenizer.finish(counter);  // a cut-off last record would skew the counts
    if (counter.records == 0) continue;
    const auto mode = std::max_element(counter.counts.begin(), counter.counts.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    if (mode->first < 2) continue;
    const double agreement = static_cast<double>(mode->second) / static_cast<double>(counter.records);
    if (agreement > best_agreement || (agreement == best_agreement && mode->first > best_fields)) {
      best = candidate;
      best_agreement = agreement;
      best_fields = mode->first;
    }
  }
  return best;
}

}  // namespace

CsvReader::CsvReader(CsvOptions options) : options_(options) {}
CsvReader::~CsvReader() = default;

Status CsvReader::feed(std::string_view bytes, CsvSink& sink) {
  if (failed_) return Ok{};
  bytes_fed_ += static_cast<std::int64_t>(bytes.size());
  if (!started_) {
    bytes.remove_prefix(take_prefix(bytes));
    if (!prefix_complete()) return Ok{};
    Status status = start(sink, false);
    if (!status.ok()) return status;
  }
  if (!bytes.empty()) decode_and_tokenize(bytes, sink);
  return Ok{};
}

std::size_t CsvReader::take_prefix(std::string_view bytes) {
  std::size_t taken = 0;
  if (prefix_.size() < options_.sniff_bytes) {
    taken = std::min(options_.sniff_bytes - prefix_.size(), bytes.size());
    prefix_.append(bytes.data(), taken);
    for (char c : bytes.substr(0, taken)) prefix_line_breaks_ += c == '\n' || c == '\r';
  }
  // Past the size, extend to the line break that completes kSniffLines lines, so the sniffer sees
  // whole records. The cut depends only on the content, never on how it was chunked.
  while (taken < bytes.size() && !prefix_complete()) {
    const char c = bytes[taken++];
    prefix_.push_back(c);
    prefix_line_breaks_ += c == '\n' || c == '\r';
  }
  return taken;
}

bool CsvReader::prefix_complete() const noexcept {
  if (format_given()) return prefix_.size() >= 3;  // only a BOM to look for
  return prefix_.size() >= options_.sniff_bytes &&
         (prefix_line_breaks_ >= kSniffLines || prefix_.size() >= kMaxPrefixBytes);
}

Status CsvReader::finish(CsvSink& sink) {
  if (failed_) return Ok{};
  if (!started_) {
    Status status = start(sink, true);
    if (!status.ok()) return status;
  }
  decoder_->finish([&](std::string_view text, bool substituted) {
    if (substituted) ++format_.invalid_utf8_bytes;
    pass_on(text, substituted, sink);
  });
  tokenizer_->finish(sink);
  if (tokenizer_->records() == 0) {
    failed_ = true;
    return Error{ErrorCode::CsvEmpty, std::string(messages::kNoData)};
  }
  return Ok{};
}

LEADSCORE_SETUP_CODE Status CsvReader::start(CsvSink& sink, bool at_end) {
  started_ = true;
  std::string_view prefix = prefix_;
  auto fail = [&](ErrorCode code, std::string message) -> Status {
    failed_ = true;
    prefix_.clear();
    return Error{code, std::move(message)};
  };
  if (prefix.empty()) return fail(ErrorCode::CsvEmpty, std::string(messages::kEmptyFile));

  bool little = true;
  if (format_given()) {
    format_.encoding = *options_.encoding;
    format_.had_bom = format_.encoding == TextEncoding::Utf8 && starts_with(prefix, "\xEF\xBB\xBF");
    if (format_.had_bom) prefix.remove_prefix(3);
  } else if (starts_with(prefix, "\xEF\xBB\xBF")) {
    format_.encoding = TextEncoding::Utf8;
    format_.had_bom = true;
    prefix.remove_prefix(3);
  } else if (starts_with(prefix, "\xFF\xFE") || starts_with(prefix, "\xFE\xFF")) {
    format_.encoding = prefix[0] == '\xFF' ? TextEncoding::Utf16Le : TextEncoding::Utf16Be;
    format_.had_bom = true;
    prefix.remove_prefix(2);
  } else if (looks_like_utf16(prefix, little)) {
    format_.encoding = little ? TextEncoding::Utf16Le : TextEncoding::Utf16Be;
  } else {
    if (const std::string workbook = other_workbook_kind(prefix); !workbook.empty())
      return fail(ErrorCode::WorkbookUnsupported, messages::unsupported_workbook(workbook));
    const std::string reason = binary_reason(prefix);
    if (!reason.empty()) {
      return fail(ErrorCode::CsvNotText, messages::not_a_csv(reason));
    }
    format_.encoding = detail::is_valid_utf8(prefix, !at_end) ? TextEncoding::Utf8 : TextEncoding::Windows1252;
  }
  decoder_ = std::make_unique<detail::TextDecoder>(format_.encoding);

  // Decode the prefix once to sniff the delimiter, then tokenize that same text.
  std::string text;
  detail::TextDecoder sniff_decoder(format_.encoding);
  sniff_decoder.decode(prefix, [&](std::string_view piece, bool) { text.append(piece); });
  if (at_end) sniff_decoder.finish([&](std::string_view piece, bool) { text.append(piece); });
  if (!format_given() && text.find_first_not_of(" \t\r\n\f") == std::string::npos) {
    return fail(ErrorCode::CsvEmpty, std::string(messages::kNoData));
  }
  if (options_.delimiter != 0) {
    format_.delimiter = options_.delimiter;
  } else {
    format_.delimiter = sniff_delimiter(text, at_end);
    format_.delimiter_sniffed = true;
  }
  tokenizer_ = std::make_unique<detail::CsvTokenizer>(format_.delimiter);
  decode_and_tokenize(prefix, sink);
  prefix_.clear();
  prefix_.shrink_to_fit();
  return Ok{};
}

void CsvReader::decode_and_tokenize(std::string_view bytes, CsvSink& sink) {
  decoder_->decode(bytes, [&](std::string_view text, bool substituted) {
    if (substituted) {
      ++format_.invalid_utf8_bytes;
      const std::int64_t line = tokenizer_->line();
      if (line != last_invalid_utf8_line_) {  // one report per line, however many bytes
        last_invalid_utf8_line_ = line;
        sink.on_issue(Error{ErrorCode::CsvInvalidUtf8, messages::not_utf8(line), line});
      }
    }
    pass_on(text, substituted, sink);
  });
}

void CsvReader::pass_on(std::string_view text, bool substituted, CsvSink& sink) {
  decoded_ += text.size();
  if (substituted && text.size() > 1) {
    const std::uint64_t added = (added_bytes_.empty() ? 0 : added_bytes_.back().second) + text.size() - 1;
    added_bytes_.emplace_back(decoded_, added);
  }
  if (text_tap_) text_tap_(text);
  tokenizer_->feed(text, sink);
}

std::uint64_t CsvReader::raw_offset(std::uint64_t decoded) const noexcept {
  const auto after = std::upper_bound(added_bytes_.begin(), added_bytes_.end(), decoded,
                                      [](std::uint64_t d, const auto& entry) { return d < entry.first; });
  const std::uint64_t added = after == added_bytes_.begin() ? 0 : std::prev(after)->second;
  return decoded - added + (format_.had_bom ? 3 : 0);
}

}  // namespace leadscore
