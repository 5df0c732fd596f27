// The CSV reader on any bytes, fed in random chunks: it never crashes, and the chunks never change
// the records, their lines, the issues or the format found (compared with one whole buffer).
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "leadscore/csv_reader.hpp"
#include "test_support.hpp"

namespace {

using Capture = test_support::CsvCapture;

struct Read {
  Capture capture;
  bool ok = true;
  char delimiter = 0;
  leadscore::TextEncoding encoding{};
};

Read read(const std::vector<std::string_view>& chunks) {
  Read r;
  leadscore::CsvReader reader;
  for (auto chunk : chunks) {
    if (!reader.feed(chunk, r.capture).ok()) {
      r.ok = false;
      return r;
    }
  }
  r.ok = reader.finish(r.capture).ok();
  r.delimiter = reader.format().delimiter;
  r.encoding = reader.format().encoding;
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto chunks = fuzz::chunks_of(data, size);
  std::string whole;
  for (auto c : chunks) whole.append(c);
  const Read split = read(chunks);
  const Read one = read({std::string_view(whole)});
  fuzz::require(split.ok == one.ok, "chunks change whether the input is refused");
  if (!one.ok) return 0;
  fuzz::require(split.delimiter == one.delimiter && split.encoding == one.encoding, "chunks change the format");
  fuzz::require(split.capture.rows == one.capture.rows, "chunks change the records");
  fuzz::require(split.capture.lines == one.capture.lines, "chunks change the lines");
  fuzz::require(split.capture.issue_ids() == one.capture.issue_ids(), "chunks change the issues");
  return 0;
}
