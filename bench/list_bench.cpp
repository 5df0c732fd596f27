// Native figures for the stages behind the page, on one file:
//   leadscore_list_bench FILE [--read-only | --rescore-only]
// read + score (1 MiB chunks, rows read back from the file), sort, filter, re-score, search, export.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "leadscore/leadscore.hpp"

using namespace leadscore;

namespace {

class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path) : file_(path, std::ios::binary) {}
  Status read(std::uint64_t offset, std::size_t length, std::string& out) override {
    const std::size_t at = out.size();
    out.resize(at + length);
    file_.clear();
    file_.seekg(static_cast<std::streamoff>(offset));
    file_.read(out.data() + at, static_cast<std::streamsize>(length));
    if (static_cast<std::size_t>(file_.gcount()) != length) return Error{ErrorCode::IoError, "short read"};
    return Ok{};
  }

 private:
  std::ifstream file_;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: leadscore_list_bench FILE [--read-only | --rescore-only]\n";
    return 2;
  }
  const std::string path = argv[1];
  SessionOptions options;
  options.as_of = days_from_civil(2026, 11, 20);  // the benchmark lists' day
  auto start = std::chrono::steady_clock::now();
  ListReader reader(default_model(), options, std::make_shared<FileSource>(path));
  std::ifstream in(path, std::ios::binary);
  std::string chunk(1 << 20, '\0');
  double bytes = 0;
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    bytes += static_cast<double>(in.gcount());
    if (!reader.feed(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount()))).ok()) return 1;
  }
  auto finished = reader.finish();
  if (!finished.ok()) return 1;
  ScoredList& list = *finished.value();
  const double read_s = seconds_since(start);
  std::printf("read + score: %.3f s, %.0f MB/s, %zu leads, %.1f MB held\n", read_s, bytes / 1e6 / read_s, list.size(),
              static_cast<double>(list.memory_bytes()) / 1e6);
  if (argc > 2 && std::string(argv[2]) == "--read-only") return 0;
  if (argc > 2 && std::string(argv[2]) == "--rescore-only") {  // for profiling
    ScoringModel model = default_model();
    for (int i = 0; i < 5; ++i) {
      model.segments.warm = 30 + i;
      (void)list.rescore(model);
    }
    return 0;
  }
  auto time = [&](const char* what, auto&& run) {
    const auto t = std::chrono::steady_clock::now();
    run();
    std::printf("%s: %.1f ms\n", what, seconds_since(t) * 1000);
  };
  ListQuery q;
  q.sort = ListQuery::Sort::Score;
  q.descending = true;
  time("sort by score", [&] { (void)list.query(q); });
  ListQuery by_column;
  by_column.sort = ListQuery::Sort::Column;
  by_column.column = 6;  // Company Name
  time("sort by a text column", [&] { (void)list.query(by_column); });
  by_column.column = 16;  // Number of Pageviews
  time("sort by a number column", [&] { (void)list.query(by_column); });
  by_column.column = 3;  // Email: nearly every cell different
  time("sort by a column of distinct texts", [&] { (void)list.query(by_column); });
  list.set_column_sort_budget(16u << 20);
  by_column.column = 6;
  (void)list.query(by_column);
  by_column.column = 3;
  time("the same within 16 MiB (a range of values per read)", [&] { (void)list.query(by_column); });
  list.set_column_sort_budget(0);
  ListQuery hot;
  hot.temperatures = 1u << static_cast<unsigned>(Temperature::Hot);
  time("filter hot", [&] { (void)list.query(hot); });
  ScoringModel stricter = default_model();
  stricter.segments.hot = 70;
  time("re-score", [&] { (void)list.rescore(stricter); });
  ListQuery search;
  search.search = "north";
  time("search", [&] { (void)list.query(search); });
  search.search = "northwind";
  time("search, typed on", [&] { (void)list.query(search); });
  search.sort = ListQuery::Sort::Score;
  time("search results sorted", [&] { (void)list.query(search); });
  std::size_t exported = 0;
  time("export", [&] { (void)list.export_csv([&](std::string_view part) { exported += part.size(); }, {}); });
  return 0;
}
