#include <catch2/catch.hpp>

#include "test_support.hpp"

using leadscore::CsvOptions;
using leadscore::TextEncoding;
using test_support::read_csv;
using Rows = std::vector<std::vector<std::string>>;

TEST_CASE("csv_reader: quoted fields keep delimiters, doubled quotes and line breaks", "[csv]") {
  auto r = read_csv("name,notes\n\"Doe, Jane\",\"said \"\"hi\"\"\nthen left\"\nBob,x\n");
  CHECK(r.fatal.empty());
  CHECK(r.capture.rows == Rows{{"name", "notes"}, {"Doe, Jane", "said \"hi\"\nthen left"}, {"Bob", "x"}});
  CHECK(r.capture.lines == std::vector<std::int64_t>{1, 2, 4});
  CHECK(r.capture.issues.empty());
}

TEST_CASE("csv_reader: CRLF, LF and CR-only line endings give the same records", "[csv]") {
  const Rows expected{{"a", "b"}, {"1", "2"}, {"3", "4"}};
  for (const char* eol : {"\n", "\r\n", "\r"}) {
    const std::string e(eol);
    auto r = read_csv("a,b" + e + "1,2" + e + "3,4" + e);
    CHECK(r.capture.rows == expected);
    CHECK(r.capture.lines == std::vector<std::int64_t>{1, 2, 3});
  }
  auto mixed = read_csv("a,b\r\n1,2\n3,4\r");
  CHECK(mixed.capture.rows == expected);
}

TEST_CASE("csv_reader: blank lines are skipped and line numbers stay physical", "[csv]") {
  auto r = read_csv("a,b\n\n1,2\r\n\r\n   \n3,4\n\n");
  CHECK(r.capture.rows == Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  CHECK(r.capture.lines == std::vector<std::int64_t>{1, 3, 6});
}

TEST_CASE("csv_reader: delimiter is sniffed among comma, semicolon, tab and pipe", "[csv]") {
  CHECK(read_csv("a;b;c\n1;2,5;3\n").format.delimiter == ';');
  CHECK(read_csv("a\tb\n1\t2\n").format.delimiter == '\t');
  CHECK(read_csv("a|b|c\n1|2|3\n").format.delimiter == '|');
  CHECK(read_csv("a,b\n\"x;y\",2\n").format.delimiter == ',');
  auto forced = read_csv("a;b\n1;2\n", 0, CsvOptions{',', 64 * 1024});
  CHECK(forced.format.delimiter == ',');
  CHECK_FALSE(forced.format.delimiter_sniffed);
  CHECK(forced.capture.rows == Rows{{"a;b"}, {"1;2"}});
}

TEST_CASE("csv_reader: a given encoding and delimiter are taken as they are, from the first bytes", "[csv][encoding]") {
  // What a part of a file read elsewhere needs: no sniffing, no check that would refuse bytes the
  // file's start did not have (a NUL), the BOM still removed, in any chunks.
  const std::string bytes = std::string(
      "\xEF\xBB\xBF"
      "a;b\n1;x\0y\n",
      13);
  for (std::size_t chunk : {0, 1, 2, 5}) {
    INFO("chunks of " << chunk);
    auto r = read_csv(bytes, chunk, CsvOptions{';', 64 * 1024, TextEncoding::Utf8});
    CHECK(r.fatal.empty());
    CHECK(r.format.had_bom);
    CHECK(r.capture.rows == Rows{{"a", "b"}, {"1", std::string("x\0y", 3)}});
  }
}

TEST_CASE("csv_reader: UTF-8 byte-order mark is removed", "[csv][encoding]") {
  auto r = read_csv("\xEF\xBB\xBFname,city\nJos\xC3\xA9,K\xC3\xB6ln\n");
  CHECK(r.format.had_bom);
  CHECK(r.format.encoding == TextEncoding::Utf8);
  CHECK(r.capture.rows == Rows{{"name", "city"}, {"Jos\xC3\xA9", "K\xC3\xB6ln"}});
}

TEST_CASE("csv_reader: invalid UTF-8 is read as Windows-1252 and said so", "[csv][encoding]") {
  auto r = read_csv(
      "name,price\nHist\xF3rico,\x80"
      "5\n");
  CHECK(r.format.encoding == TextEncoding::Windows1252);
  CHECK(r.capture.rows[1] == std::vector<std::string>{"Hist\xC3\xB3rico",
                                                      "\xE2\x82\xAC"
                                                      "5"});

  // Valid UTF-8 at the start, one bad byte later: that byte alone is transcoded and reported.
  std::string bytes = "name,city\n";
  for (int i = 0; i < 10; ++i) bytes += "Jos\xC3\xA9,x\n";
  bytes += "M\xFCller,y\n";
  auto r2 = read_csv(bytes, 0, CsvOptions{0, 32});
  CHECK(r2.format.encoding == TextEncoding::Utf8);
  CHECK(r2.format.invalid_utf8_bytes == 1);
  CHECK(r2.capture.rows[11][0] == "M\xC3\xBCller");
  CHECK(r2.capture.issue_ids() == std::vector<std::string>{"csv.invalid_utf8@12"});
}

TEST_CASE("csv_reader: UTF-16 with a byte-order mark is transcoded", "[csv][encoding]") {
  const std::u16string text = u"name;city\r\nZo\u00eb;\u6771\u4eac\r\n";
  std::string le = "\xFF\xFE";
  std::string be = "\xFE\xFF";
  for (char16_t u : text) {
    le.push_back(static_cast<char>(u & 0xFF));
    le.push_back(static_cast<char>(u >> 8));
    be.push_back(static_cast<char>(u >> 8));
    be.push_back(static_cast<char>(u & 0xFF));
  }
  const Rows expected{{"name", "city"}, {"Zo\xC3\xAB", "\xE6\x9D\xB1\xE4\xBA\xAC"}};
  for (std::size_t chunk : {0, 1, 3}) {
    auto r = read_csv(le, chunk);
    CHECK(r.format.encoding == TextEncoding::Utf16Le);
    CHECK(r.capture.rows == expected);
    auto r2 = read_csv(be, chunk);
    CHECK(r2.format.encoding == TextEncoding::Utf16Be);
    CHECK(r2.capture.rows == expected);
  }
}

TEST_CASE("csv_reader: ragged rows are kept and reported with their line", "[csv]") {
  auto r = read_csv("a,b,c\n1,2\n1,2,3,4\n1,2,3\n");
  CHECK(r.capture.rows == Rows{{"a", "b", "c"}, {"1", "2"}, {"1", "2", "3", "4"}, {"1", "2", "3"}});
  CHECK(r.capture.issue_ids() == std::vector<std::string>{"csv.too_few_fields@2", "csv.too_many_fields@3"});
}

TEST_CASE("csv_reader: stray and unterminated quotes are kept and reported", "[csv]") {
  auto stray = read_csv("a,b\n5\" screen,2\n");
  CHECK(stray.capture.rows[1] == std::vector<std::string>{"5\" screen", "2"});
  CHECK(stray.capture.issue_ids() == std::vector<std::string>{"csv.stray_quote@2"});

  auto after = read_csv("a,b\n\"3\" x,2\n");
  CHECK(after.capture.rows[1] == std::vector<std::string>{"3 x", "2"});
  CHECK(after.capture.issue_ids() == std::vector<std::string>{"csv.text_after_quote@2"});

  // A quote that never closes does not swallow the rest of the file: it is read as a character
  // and the lines after it as rows, whatever the chunks.
  for (std::size_t chunk : {0, 1, 2, 5}) {
    INFO("chunk " << chunk);
    auto open = read_csv("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n", chunk);
    CHECK(open.capture.rows == Rows{{"a", "b"}, {"1", "2"}, {"3", "\"never closed"}, {"4", "5"}, {"6", "7"}});
    CHECK(open.capture.lines == std::vector<std::int64_t>{1, 2, 3, 4, 5});
    CHECK(open.capture.issue_ids() == std::vector<std::string>{"csv.unterminated_quote@3"});
  }
}

TEST_CASE("csv_reader: a quote open for over 10,000 lines is taken for a broken one", "[csv]") {
  // A broken quote near the start of a long list, with no other quote to close it: the rows after
  // it come out as rows (and as soon as the limit is passed, not at the end of the file).
  // A second broken quote further on, never closed, is found at the end of the input.
  std::string text = "email,notes\n\"a@x.com,first\n";
  for (int i = 0; i < 20000; ++i) {
    text += (i == 15000 ? "\"u" : "u") + std::to_string(i) + "@x.com,note " + std::to_string(i) + "\n";
  }
  for (std::size_t chunk : {0, 4096}) {
    INFO("chunk " << chunk);
    const auto r = read_csv(text, chunk);
    REQUIRE(r.capture.rows.size() == 20002);
    CHECK(r.capture.rows[1] == std::vector<std::string>{"\"a@x.com", "first"});
    CHECK(r.capture.rows[15002] == std::vector<std::string>{"\"u15000@x.com", "note 15000"});
    CHECK(r.capture.rows[20001] == std::vector<std::string>{"u19999@x.com", "note 19999"});
    CHECK(r.capture.lines.back() == 20002);
    CHECK(r.capture.issue_ids() ==
          std::vector<std::string>{"csv.unterminated_quote@2", "csv.unterminated_quote@15003"});
  }
  // A long multi-line note within the limit stays one field.
  std::string note = "email,notes\na@x.com,\"";
  for (int i = 0; i < 9000; ++i) note += "line\n";
  note += "end\"\nb@x.com,ok\n";
  const auto kept = read_csv(note, 1000);
  REQUIRE(kept.capture.rows.size() == 3);
  CHECK(kept.capture.rows[2] == std::vector<std::string>{"b@x.com", "ok"});
  CHECK(kept.capture.lines[2] == 9003);
  CHECK(kept.capture.issue_ids().empty());
}

TEST_CASE("csv_reader: a quoted field over 16 MiB is broken however the input is cut", "[csv]") {
  // A properly closed quote after more than 16 MiB: its quote is read as a character whether the
  // field ends inside one piece or spans several (one buffer, 64 KiB chunks).
  std::string text = "email,notes\na@x.com,\"";
  text.append((16u << 20) + 100, 'n');
  text += "\"\nb@x.com,ok\n";
  for (std::size_t chunk : {0, 65536}) {
    INFO("chunk " << chunk);
    const auto r = read_csv(text, chunk);
    REQUIRE(r.capture.rows.size() == 3);
    CHECK(r.capture.rows[1][1].substr(0, 3) == "\"nn");
    CHECK(r.capture.rows[1][1].size() == (16u << 20) + 102);
    CHECK(r.capture.rows[2] == std::vector<std::string>{"b@x.com", "ok"});
    CHECK(r.capture.issue_ids() == std::vector<std::string>{"csv.unterminated_quote@2", "csv.stray_quote@2"});
  }
}

TEST_CASE("csv_reader: empty and binary inputs are refused with a clear error", "[csv]") {
  CHECK(read_csv("").fatal == "csv.empty");
  CHECK(read_csv("\n\r\n  \n").fatal == "csv.empty");
  CHECK(read_csv("\xEF\xBB\xBF").fatal == "csv.empty");
  CHECK(read_csv(std::string("PK\x03\x04\x14\x00\x06\x00", 8) + "[Content_Types].xml").fatal == "csv.not_text");
  CHECK(read_csv(std::string("%PDF-1.7\n%\xE2\xE3\n")).fatal == "csv.not_text");
  CHECK(read_csv(std::string("a,b\n1,\0\x01\x02", 9)).fatal == "csv.not_text");
}

TEST_CASE("csv_reader: last record without a line break, trailing delimiter", "[csv]") {
  CHECK(read_csv("a,b\n1,").capture.rows == Rows{{"a", "b"}, {"1", ""}});
  CHECK(read_csv("a,b\n\"x\"").capture.rows == Rows{{"a", "b"}, {"x"}});
  CHECK(read_csv("a,b,\n1,2,\n").capture.rows == Rows{{"a", "b", ""}, {"1", "2", ""}});
}

TEST_CASE("csv_reader: chunks of any size give the same records as one buffer", "[csv][chunks]") {
  // Every tricky boundary: quotes, doubled quotes, CRLF inside and outside quotes, UTF-8, BOM.
  const std::string text =
      "\xEF\xBB\xBFid;name;note\r\n1;\"M\xC3\xBCller; Hans\";\"line1\r\nline2\"\r\n"
      "2;\xE6\x9D\xB1\xE4\xBA\xAC;\"say \"\"yes\"\"\"\r\r\n3;plain;x\"y\r4;\"open;z\n";
  const auto whole = read_csv(text);
  REQUIRE(whole.capture.rows.size() == 5);
  for (std::size_t chunk : {1, 2, 3, 5, 7, 64, 4096}) {
    for (std::size_t sniff : {std::size_t{8}, std::size_t{64 * 1024}}) {
      const auto r = read_csv(text, chunk, CsvOptions{0, sniff});
      INFO("chunk " << chunk << " sniff " << sniff);
      CHECK(r.capture.rows == whole.capture.rows);
      CHECK(r.capture.lines == whole.capture.lines);
      CHECK(r.capture.issue_ids() == whole.capture.issue_ids());
    }
  }
  // The same with a bad byte sitting on a chunk boundary after the sniffing prefix.
  std::string latin = "a,b\n";
  for (int i = 0; i < 10; ++i) latin += "x,y\n";
  latin += "x,\xC3\xA9\xE9\xC3\n";
  const auto base = read_csv(latin, 0, CsvOptions{0, 16});
  for (std::size_t chunk : {1, 2, 3, 7}) {
    const auto r = read_csv(latin, chunk, CsvOptions{0, 16});
    CHECK(r.capture.rows == base.capture.rows);
    CHECK(r.capture.issue_ids() == base.capture.issue_ids());
  }
  CHECK(base.capture.rows.back()[1] == "\xC3\xA9\xC3\xA9\xC3\x83");
}
