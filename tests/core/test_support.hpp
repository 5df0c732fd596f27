#pragma once
// Helpers shared by the Catch2 suites: fixture paths and a record-collecting CSV sink.

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "leadscore/csv_reader.hpp"
#include "leadscore/list_reader.hpp"
#include "leadscore/row_index.hpp"
#include "leadscore/sample_generator.hpp"
#include "leadscore/scored_list.hpp"
#include "leadscore/session.hpp"

namespace test_support {

inline std::string fixture_path(const std::string& name) { return std::string(LEADSCORE_FIXTURES_DIR) + "/" + name; }
inline std::string sample_path(const std::string& name) { return std::string(LEADSCORE_SAMPLES_DIR) + "/" + name; }
inline std::string shared_path(const std::string& name) { return std::string(LEADSCORE_SHARED_DATA_DIR) + "/" + name; }

inline bool file_exists(const std::string& path) { return std::ifstream(path).good(); }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// The day the sample and generated lists are scored as of.
inline const std::int32_t kAsOf = *leadscore::days_from_civil(2026, 11, 20);

inline leadscore::SessionOptions options_as_of() {
  leadscore::SessionOptions options;
  options.as_of = kAsOf;
  return options;
}

/// A generated list of `rows` leads from `seed`, dated before kAsOf.
inline std::string generated_list(std::size_t rows, std::uint64_t seed) {
  leadscore::SampleOptions options;
  options.rows = rows;
  options.seed = seed;
  options.as_of = kAsOf;
  return leadscore::generate_sample_csv(options);
}

/// The bytes of a file, read back as the page reads a File: a list keeps no copy.
class StringSource final : public leadscore::ByteSource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}
  leadscore::Status read(std::uint64_t offset, std::size_t length, std::string& out) override {
    ++reads;
    bytes_read += length;
    out.append(bytes_, static_cast<std::size_t>(offset), length);
    return leadscore::Ok{};
  }
  std::size_t reads = 0;
  std::size_t bytes_read = 0;

 private:
  std::string bytes_;
};

/// Feeds bytes [from, to) in chunks of `chunk`.
inline leadscore::Status feed_range(leadscore::ListReader& reader, const std::string& bytes, std::uint64_t from,
                                    std::uint64_t to, std::uint64_t chunk = 4096) {
  for (std::uint64_t at = from; at < to; at += chunk) {
    auto status = reader.feed(std::string_view(bytes).substr(at, std::min(chunk, to - at)));
    if (!status.ok()) return status;
  }
  return leadscore::Ok{};
}

/// Everything a CsvReader produced, for comparing.
struct CsvCapture final : leadscore::CsvSink {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> lines;
  std::vector<leadscore::Error> issues;
  void on_record(const leadscore::CsvRecord& record) override {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < record.size(); ++i) row.emplace_back(record[i]);
    rows.push_back(std::move(row));
    lines.push_back(record.line());
  }
  void on_issue(const leadscore::Error& issue) override { issues.push_back(issue); }
  std::vector<std::string> issue_ids() const {
    std::vector<std::string> ids;
    for (const auto& issue : issues)
      ids.push_back(std::string(leadscore::error_id(issue.code)) + "@" + std::to_string(issue.line));
    return ids;
  }
};

/// Reads `bytes` in chunks of `chunk` bytes (0 = one buffer); fatal errors land in `fatal`.
struct ReadResult {
  CsvCapture capture;
  leadscore::CsvFormat format;
  std::string fatal;  // error id, empty when the file was read
};

inline ReadResult read_csv(const std::string& bytes, std::size_t chunk = 0, leadscore::CsvOptions options = {}) {
  ReadResult result;
  leadscore::CsvReader reader(options);
  const std::size_t step = chunk == 0 ? (bytes.empty() ? 1 : bytes.size()) : chunk;
  for (std::size_t at = 0; at < bytes.size(); at += step) {
    auto status = reader.feed(std::string_view(bytes).substr(at, step), result.capture);
    if (!status.ok()) {
      result.fatal = leadscore::error_id(status.error().code);
      return result;
    }
  }
  auto status = reader.finish(result.capture);
  if (!status.ok()) result.fatal = leadscore::error_id(status.error().code);
  result.format = reader.format();
  return result;
}

/// The list `reader` read, finished (an exception, which fails the test, when it does not finish).
inline std::unique_ptr<leadscore::ScoredList> finished(leadscore::ListReader& reader) {
  auto list = reader.finish();
  if (!list.ok()) throw std::runtime_error("the list does not finish: " + list.error().message);
  return std::move(list.value());
}

}  // namespace test_support
