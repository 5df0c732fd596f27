// Workbooks read as lists: the ZIP container, the XML parts, every kind of cell, the sheet choice,
// a report's header and totals, and damaged or hostile workbooks. The archives are written here
// with stored (uncompressed) entries, so these tests run in the WebAssembly build too, where no
// inflater is linked; deflated workbooks from real spreadsheet programs are tested in
// tests/node/workbooks.test.mjs.
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "detail/cell_format.hpp"
#include "leadscore/session.hpp"
#include "leadscore/workbook.hpp"
#include "test_support.hpp"
#include "zip_writer.hpp"

using namespace leadscore;
using test_support::zip;

namespace {

const char* const kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
    R"(</Types>)";

struct Book {
  std::vector<std::pair<std::string, std::string>> sheets = {};  // name, sheetData inner XML
  std::string shared_strings;                                    // <si> elements, or none
  std::string styles;                                            // the styleSheet's inside
  std::string workbook_pr;
  std::map<std::string, std::string> states;  // sheet name: "hidden"
  std::string sheet_xml_before;               // before <sheetData>
};

std::string archive_of(const Book& book) {
  std::string sheets, rels;
  std::vector<std::pair<std::string, std::string>> files = {{"[Content_Types].xml", kContentTypes}};
  for (std::size_t i = 0; i < book.sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    const auto state = book.states.find(book.sheets[i].first);
    sheets += "<sheet name=\"" + book.sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"" +
              (state == book.states.end() ? "" : " state=\"" + state->second + "\"") + "/>";
    rels += "<Relationship Id=\"rId" + n +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
            "Target=\"worksheets/sheet" +
            n + ".xml\"/>";
  }
  rels +=
      R"(<Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)";
  rels +=
      R"(<Relationship Id="rY" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>)";
  files.push_back(
      {"xl/workbook.xml", R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
                          R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" +
                              book.workbook_pr + "<sheets>" + sheets + "</sheets></workbook>"});
  files.push_back({"xl/_rels/workbook.xml.rels",
                   R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)" + rels +
                       "</Relationships>"});
  files.push_back({"xl/styles.xml", "<styleSheet>" + book.styles + "</styleSheet>"});
  files.push_back({"xl/sharedStrings.xml", "<sst>" + book.shared_strings + "</sst>"});
  for (std::size_t i = 0; i < book.sheets.size(); ++i) {
    files.push_back(
        {"xl/worksheets/sheet" + std::to_string(i + 1) + ".xml",
         "<worksheet>" + book.sheet_xml_before + "<sheetData>" + book.sheets[i].second + "</sheetData></worksheet>"});
  }
  return zip(files);
}

const Inflate kNoInflater = [](std::string_view, const InflatedSink&) -> Status {
  return Error{ErrorCode::Internal, "these tests store their entries"};
};

struct Read {
  Status status = Ok{};
  std::string csv;
  WorkbookFacts facts;
};

Read read(const std::string& archive, WorkbookOptions options = {}) {
  WorkbookReader reader(options);
  Read out;
  out.status = read_workbook(archive, reader, kNoInflater, [&](std::string_view text) -> Status {
    out.csv.append(text);
    return Ok{};
  });
  out.facts = reader.facts();
  return out;
}

std::string csv_of(const Book& book, WorkbookOptions options = {}) {
  Read r = read(archive_of(book), options);
  if (!r.status.ok()) FAIL(r.status.error().to_string());
  return r.csv;
}

// The cells of one row: <c> elements.
std::string row(int r, const std::string& cells) { return "<row r=\"" + std::to_string(r) + "\">" + cells + "</row>"; }
std::string num(const std::string& ref, const std::string& v, int style = 0) {
  return "<c r=\"" + ref + "\"" + (style ? " s=\"" + std::to_string(style) + "\"" : "") + "><v>" + v + "</v></c>";
}
std::string str(const std::string& ref, int index) {
  return "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(index) + "</v></c>";
}
std::string inline_str(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

ErrorCode code_of(const Read& r) { return r.status.ok() ? ErrorCode::Internal : r.status.error().code; }

// Styles whose cellXfs index i has number format ids[i] (custom codes given as numFmts).
std::string styles(const std::vector<int>& ids, const std::map<int, std::string>& custom = {}) {
  std::string out;
  if (!custom.empty()) {
    out += "<numFmts>";
    for (const auto& [id, code] : custom)
      out += "<numFmt numFmtId=\"" + std::to_string(id) + "\" formatCode=\"" + code + "\"/>";
    out += "</numFmts>";
  }
  out += "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>";
  for (int id : ids) out += "<xf numFmtId=\"" + std::to_string(id) + "\"/>";
  return out + "</cellXfs>";
}

}  // namespace

TEST_CASE("a workbook's cells become the CSV text a CSV of the list holds", "[workbook]") {
  Book book;
  book.shared_strings =
      "<si><t>Email</t></si><si><t>Employees</t></si><si><t xml:space=\"preserve\">Notes</t></si>"
      "<si><r><rPr><b/></rPr><t>ann@</t></r><r><t>acme.com</t></r><rPh><t>ignored</t></rPh></si>"
      "<si><t>line one_x000D_\nline \"two\", with &amp; and &#x263A;</t></si>"
      "<si><t><![CDATA[a <b> c]]></t></si><si/>";
  book.sheets = {
      {"Leads", row(1, str("A1", 0) + str("B1", 1) + str("C1", 2) + inline_str("D1", "Flag") +
                           inline_str("E1", "Formula") + inline_str("F1", "Error")) +
                    row(2, str("A2", 3) + num("B2", "45") + str("C2", 4) + "<c r=\"D2\" t=\"b\"><v>1</v></c>" +
                               "<c r=\"E2\" t=\"str\"><f>A1&amp;\"x\"</f><v>Emailx</v></c>" +
                               "<c r=\"F2\" t=\"e\"><v>#N/A</v></c>") +
                    row(3, num("B3", "0.30000000000000004") + str("C3", 5) + "<c r=\"D3\" t=\"b\"><v>0</v></c>") +
                    row(5, num("A5", "1E+20") + num("B5", "1234567890123456789") + str("C5", 6)) + "<row r=\"6\"/>" +
                    row(7, num("A7", "-0.000015") + num("B7", "-12.50") + num("C7", "4155550100"))}};
  const std::string csv = csv_of(book);
  CHECK(csv ==
        "Email,Employees,Notes,Flag,Formula,Error\n"
        "ann@acme.com,45,\"line one\r\nline \"\"two\"\", with & and \xE2\x98\xBA\",TRUE,Emailx,#N/A\n"
        ",0.3,a <b> c,FALSE,,\n"
        "\n"
        "100000000000000000000,1234567890123460000,,,,\n"
        "\n"
        "-0.000015,-12.5,4155550100,,,");
}

TEST_CASE("a General number's digits are written as the number itself would be", "[workbook]") {
  for (const char* text : {"12.50", "-0.25", "0", "-0", "0.000", "100", "123456789012345", "0.1", "-0.000015", "7.0"}) {
    INFO(text);
    std::string plain, general;
    REQUIRE(detail::write_plain_decimal(text, plain));
    detail::write_general(std::strtod(text, nullptr), general);
    CHECK(plain == general);
  }
  for (const char* text : {"1234567890123456", "0.30000000000000004", "1E+20", ".5", "01", "1.2.3", "", "-", "4e5"}) {
    INFO(text);
    std::string out;
    CHECK_FALSE(detail::write_plain_decimal(text, out));
    CHECK(out.empty());
  }
}

TEST_CASE("dates and times become ISO 8601, in both date systems", "[workbook]") {
  Book book;
  book.styles = styles({0, 14, 22, 21, 164, 165, 15}, {{164, "yyyy\\-mm\\-dd"}, {165, "dd/mm/yyyy hh:mm"}});
  const std::string cells = num("A1", "46325", 1) + num("B1", "46325.5850694444", 2) + num("C1", "0.5850694444", 3) +
                            num("D1", "46325", 4) + num("E1", "46325.25", 5) + num("F1", "1", 6) + num("G1", "60", 1) +
                            num("H1", "61", 1) + num("I1", "-3", 1);
  book.sheets = {{"Leads", row(1, cells)}};
  CHECK(csv_of(book) ==
        "2026-10-30,2026-10-30 14:02:30,14:02:30,2026-10-30,2026-10-30 06:00:00,1900-01-01,1900-02-29,1900-03-01,-3");
  book.workbook_pr = "<workbookPr date1904=\"1\"/>";
  Read r = read(archive_of(book));
  CHECK(r.facts.date1904);
  CHECK(r.csv.substr(0, 10) == "2030-10-31");
}

TEST_CASE("number formats are written as Excel shows them in en-US", "[workbook]") {
  Book book;
  const std::map<int, std::string> custom = {{164, "[$&#8364;-407]#,##0.00"},
                                             {165, "#,##0,"},
                                             {166, "(###) ###-####"},
                                             {167, "00000"},
                                             {168, "#,##0;(#,##0)"},
                                             {169, "0.0%"},
                                             {170, "#.##"},
                                             {171, "&quot;$&quot;#,##0"},
                                             {172, "[&lt;=9999999]###-####;(###) ###-####"},
                                             {173, "0.00E+00"},
                                             {174, "# ?/?"}};
  book.styles = styles({0, 2, 3, 9, 11, 164, 165, 166, 167, 168, 169, 170, 171, 172, 44, 173, 174, 4}, custom);
  struct Case {
    const char* value;
    int style;
    const char* shown;
  };
  const Case cases[] = {
      {"3.14159", 1, "3.14"},
      {"1234567.891", 2, "1,234,568"},
      {"0.256", 3, "26%"},
      {"12345", 4, "1.23E+04"},
      {"1234.5", 5,
       "\xE2\x82\xAC"
       "1,234.50"},
      {"1500000", 6, "1,500"},
      {"4155550100", 7, "(415) 555-0100"},
      {"2134", 8, "02134"},
      {"-1500", 9, "(1,500)"},
      {"0.1234", 10, "12.3%"},
      {"5", 11, "5."},
      {"3500000", 12, "$3,500,000"},
      {"5550100", 13, "555-0100"},
      {"4155550100", 13, "(415) 555-0100"},
      {"1234.5", 14, " $1,234.50 "},
      {"0.000123", 15, "1.23E-04"},
      {"1.5", 16, "1.5"},
      {"-1234.5", 17, "-1,234.50"},
  };
  std::string cells;
  char column = 'A';
  for (const Case& c : cases) cells += num(std::string(1, column++), c.value, c.style);
  book.sheets = {{"Leads", row(1, cells)}};
  const std::string csv = csv_of(book);
  std::vector<std::string> got;
  test_support::CsvCapture capture;
  CsvReader reader(WorkbookReader::csv_options());
  REQUIRE(reader.feed(csv, capture).ok());
  REQUIRE(reader.finish(capture).ok());
  REQUIRE(capture.rows.size() == 1);
  REQUIRE(capture.rows[0].size() == std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    INFO(cases[i].value << " in style " << cases[i].style);
    CHECK(capture.rows[0][i] == cases[i].shown);
  }
}

TEST_CASE("sparse cells, rows out of the header's width and repeated cells keep their places", "[workbook]") {
  Book book;
  book.shared_strings = "<si><t>a</t></si><si><t>b</t></si><si><t>c</t></si>";
  book.sheets = {{"Leads", row(1, str("A1", 0) + str("B1", 1) + str("C1", 2)) +
                               row(2, str("C2", 0) + "<c r=\"D2\" s=\"0\"/>") +  // a styled empty cell
                               row(3, str("A3", 1) + "<c r=\"E3\"><v>9</v></c>") +
                               "<row><c><v>1</v></c><c><v>2</v></c></row>"}};  // no references at all
  CHECK(csv_of(book) == "a,b,c\n,,a\nb,,,,9\n1,2,");
}

TEST_CASE("the first visible worksheet is read, or the one asked for", "[workbook]") {
  Book book;
  book.shared_strings = "<si><t>Email</t></si>";
  book.sheets = {{"Notes", row(1, inline_str("A1", "hidden"))},
                 {"Leads &amp; more", row(1, str("A1", 0))},
                 {"Other", row(1, inline_str("A1", "other"))}};
  book.states = {{"Notes", "hidden"}};
  Read r = read(archive_of(book));
  REQUIRE(r.status.ok());
  CHECK(r.csv == "Email");
  CHECK(r.facts.sheet == "Leads & more");
  CHECK(r.facts.sheet_count == 3);

  WorkbookOptions by_name;
  by_name.sheet = "other";
  CHECK(read(archive_of(book), by_name).csv == "other");
  WorkbookOptions by_number;
  by_number.sheet = "1";
  CHECK(read(archive_of(book), by_number).csv == "hidden");
  WorkbookOptions missing;
  missing.sheet = "Contacts";
  Read none = read(archive_of(book), missing);
  REQUIRE(code_of(none) == ErrorCode::WorkbookNoSheet);
  CHECK_THAT(none.status.error().message, Catch::Contains("\"Notes\" (hidden), \"Leads & more\", \"Other\""));

  WorkbookOptions list_only;
  list_only.sheets_only = true;
  WorkbookReader reader(list_only);
  REQUIRE(read_workbook(archive_of(book), reader, kNoInflater, [](std::string_view) -> Status { return Ok{}; }).ok());
  REQUIRE(reader.sheets().size() == 3);
  CHECK(reader.sheets()[0].part == "xl/worksheets/sheet1.xml");
  CHECK_FALSE(reader.sheets()[0].visible);
}

TEST_CASE("a report's title, filters and totals are left out and counted", "[workbook]") {
  // The shape of a Salesforce formatted report: title, filters, a blank row, the header, rows,
  // the grand total and the footer.
  Book book;
  const std::string header = inline_str("A5", "First Name") + inline_str("B5", "Email") + inline_str("C5", "Title") +
                             inline_str("D5", "Employees");
  book.sheets = {
      {"Report", row(1, inline_str("A1", "Open leads by owner")) +
                     row(2, inline_str("A2", "Filtered By:") + inline_str("B2", "Lead Status equals Open")) +
                     row(3, inline_str("A3", "Owner equals Jane Doe")) + row(5, header) +
                     row(6, inline_str("A6", "Ann") + inline_str("B6", "ann@acme.com") + inline_str("C6", "VP Sales") +
                                num("D6", "250")) +
                     row(7, inline_str("A7", "Total (Subtotal)") + num("D7", "250")) +
                     row(8, inline_str("A8", "Bob") + inline_str("B8", "bob@beta.io") +
                                inline_str("C8", "Total Rewards Manager") + num("D8", "12")) +
                     row(10, inline_str("A10", "Grand Totals (2 records)") + num("D10", "262")) +
                     row(12, inline_str("A12", "Confidential Information - Do Not Distribute")) +
                     row(13, inline_str("A13", "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."))}};
  Read r = read(archive_of(book));
  REQUIRE(r.status.ok());
  CHECK(r.facts.header_row == 5);
  CHECK(r.facts.rows_above_header == 3);
  CHECK(r.facts.total_rows == 4);  // the subtotal, the grand total and the footer's two rows
  // Each CSV line is the sheet's row of that number; a title like "Total Rewards Manager" stays.
  CHECK(r.csv ==
        "\n\n\n\nFirst Name,Email,Title,Employees\n"
        "Ann,ann@acme.com,VP Sales,250\n"
        "\n"
        "Bob,bob@beta.io,Total Rewards Manager,12");

  // A sheet with no row says so, naming it.
  Book empty;
  empty.sheets = {{"Notes", ""}};
  Read none = read(archive_of(empty));
  REQUIRE(code_of(none) == ErrorCode::CsvEmpty);
  CHECK_THAT(none.status.error().message, Catch::Contains("Sheet \"Notes\" of the workbook is empty"));

  // A plain list with a one-cell first row and no wider row after it: that row is the header.
  Book plain;
  plain.sheets = {{"Leads", row(1, inline_str("A1", "Email")) + row(2, inline_str("A2", "ann@acme.com"))}};
  Read p = read(archive_of(plain));
  CHECK(p.facts.header_row == 1);
  CHECK(p.csv == "Email\nann@acme.com");
}

TEST_CASE("a workbook and the same list as CSV score alike", "[workbook]") {
  const std::string csv =
      "Email,Job Title,Number of Employees,Last Activity Date,Marketing emails opened\r\n"
      "ann@acme.com,VP Sales,250,2026-11-02,7\r\n"
      "bob@gmail.com,Intern,3,2025-01-15,0\r\n";
  Book book;
  book.styles = styles({0, 164}, {{164, "yyyy\\-mm\\-dd"}});
  book.shared_strings =
      "<si><t>Email</t></si><si><t>Job Title</t></si><si><t>Number of Employees</t></si>"
      "<si><t>Last Activity Date</t></si><si><t>Marketing emails opened</t></si>"
      "<si><t>ann@acme.com</t></si><si><t>VP Sales</t></si><si><t>bob@gmail.com</t></si><si><t>Intern</t></si>";
  book.sheets = {
      {"Leads", row(1, str("A1", 0) + str("B1", 1) + str("C1", 2) + str("D1", 3) + str("E1", 4)) +
                    row(2, str("A2", 5) + str("B2", 6) + num("C2", "250") + num("D2", "46328", 1) + num("E2", "7")) +
                    row(3, str("A3", 7) + str("B3", 8) + num("C3", "3") + num("D3", "45672", 1) + num("E3", "0"))}};
  const std::string text = csv_of(book);

  auto scores = [](const std::string& bytes, CsvOptions csv_options) {
    struct Collect final : ScoredRowSink {
      std::vector<std::string> rows;
      void on_header(const CsvRecord&, const Scorer&) override {}
      void on_row(const CsvRecord& record, const ScoreResult& result, Scorer&) override {
        std::string cells;
        for (std::size_t i = 0; i < record.size(); ++i) cells += std::string(record[i]) + "|";
        rows.push_back(cells + std::to_string(result.total) + temperature_name(result.temperature));
      }
    } sink;
    SessionOptions options = test_support::options_as_of();
    options.csv = csv_options;
    ScoringSession session(default_model(), options);
    REQUIRE(session.feed(bytes, sink).ok());
    REQUIRE(session.finish(sink).ok());
    return sink.rows;
  };
  CHECK(scores(text, WorkbookReader::csv_options()) == scores(csv, {}));
}

TEST_CASE("damaged and hostile workbooks end in a clear error", "[workbook][hostile]") {
  Book good;
  good.shared_strings = "<si><t>Email</t></si>";
  good.sheets = {{"Leads", row(1, str("A1", 0))}};
  const std::string archive = archive_of(good);

  SECTION("cut short") {
    for (std::size_t keep : {std::size_t{0}, std::size_t{10}, archive.size() / 2, archive.size() - 1}) {
      INFO("kept " << keep << " bytes");
      CHECK(code_of(read(archive.substr(0, keep))) == ErrorCode::WorkbookCorrupt);
    }
  }
  SECTION("a document type, an unknown entity, broken or too deep XML") {
    const std::string bad[] = {
        "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><sst><si><t>&a;</t></si></sst>",
        "<sst><si><t>&nbsp;</t></si></sst>",
        "<sst><si><t>unclosed</si>",
        "<sst><si><t a=b>x</t></si></sst>",
        std::string(300, ' ') +
            [] {
              std::string deep;
              for (int i = 0; i < 300; ++i) deep += "<a>";
              return deep;
            }(),
    };
    for (const std::string& strings : bad) {
      std::vector<std::pair<std::string, std::string>> files = {
          {"[Content_Types].xml", kContentTypes},
          {"xl/workbook.xml", "<workbook><sheets><sheet name=\"L\" r:id=\"r1\"/></sheets></workbook>"},
          {"xl/_rels/workbook.xml.rels",
           "<Relationships><Relationship Id=\"r1\" Type=\"x/worksheet\" Target=\"s.xml\"/>"
           "<Relationship Id=\"r2\" Type=\"x/sharedStrings\" Target=\"ss.xml\"/></Relationships>"},
          {"xl/ss.xml", strings},
          {"xl/s.xml", "<worksheet><sheetData/></worksheet>"}};
      Read r = read(zip(files));
      INFO(strings.substr(0, 60));
      REQUIRE(code_of(r) == ErrorCode::WorkbookCorrupt);
      CHECK_THAT(r.status.error().message, Catch::Contains("xl/ss.xml"));
    }
  }
  SECTION("a shared string that does not exist, a cell past column XFD, a row past 1,048,576") {
    for (const std::string& data : {str("A1", 7), num("XFE1", "1"), num("AAAA1", "1")}) {
      Book book = good;
      book.sheets = {{"Leads", row(1, data)}};
      CHECK(code_of(read(archive_of(book))) == ErrorCode::WorkbookCorrupt);
    }
    Book far = good;
    far.sheets = {{"Leads", "<row r=\"1048577\"><c><v>1</v></c></row>"}};
    CHECK(code_of(read(archive_of(far))) == ErrorCode::WorkbookCorrupt);
  }
  SECTION("a part that inflates past the limits") {
    WorkbookOptions options;
    options.limits.max_part_bytes = 100;
    Read r = read(archive, options);
    REQUIRE(code_of(r) == ErrorCode::WorkbookTooLarge);
    CHECK_THAT(r.status.error().message, Catch::Contains("ZIP bomb"));
    // A part the directory says is larger is refused before it is read.
    WorkbookReader reader;
    Status opened = reader.open({{"[Content_Types].xml", 0, 10, std::uint64_t{3} << 30, 8}});
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == ErrorCode::WorkbookTooLarge);
    // A part inflating far more than the bytes read so far, once past its first 16 MiB.
    WorkbookReader bombed;
    REQUIRE(bombed.open({{"[Content_Types].xml", 0, 1 << 20, 100, 8}}).ok());
    std::string csv;
    const std::string spaces(1 << 20, ' ');
    Status fed = Ok{};
    for (int i = 0; i < 17 && fed.ok(); ++i) fed = bombed.feed(spaces, csv, 1000);
    REQUIRE_FALSE(fed.ok());
    CHECK(fed.error().code == ErrorCode::WorkbookTooLarge);
  }
  SECTION("a target outside the archive, a missing part") {
    std::vector<std::pair<std::string, std::string>> files = {
        {"[Content_Types].xml", kContentTypes},
        {"xl/workbook.xml", "<workbook><sheets><sheet name=\"L\" r:id=\"r1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<Relationships><Relationship Id=\"r1\" Type=\"x/worksheet\" Target=\"../../etc/passwd\"/></Relationships>"}};
    CHECK(code_of(read(zip(files))) == ErrorCode::WorkbookCorrupt);
    files[2].second =
        "<Relationships><Relationship Id=\"r1\" Type=\"x/worksheet\" Target=\"nowhere.xml\"/></Relationships>";
    Read r = read(zip(files));
    REQUIRE(code_of(r) == ErrorCode::WorkbookCorrupt);
    CHECK_THAT(r.status.error().message, Catch::Contains("xl/nowhere.xml is missing"));
  }
  SECTION("spreadsheets in other formats say how to save them") {
    const Read ods =
        read(zip({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", "<x/>"}}));
    REQUIRE(code_of(ods) == ErrorCode::WorkbookUnsupported);
    CHECK_THAT(ods.status.error().message, Catch::Contains(".ods"));
    const Read numbers = read(zip({{"Index/Document.iwa", "x"}}));
    CHECK_THAT(numbers.status.error().message, Catch::Contains("Numbers"));
    const Read xlsb =
        read(zip({{"[Content_Types].xml",
                   "<Types><Override PartName=\"/xl/workbook.bin\" "
                   "ContentType=\"application/vnd.ms-excel.sheet.binary.macroEnabled.main\"/></Types>"}}));
    REQUIRE(code_of(xlsb) == ErrorCode::WorkbookUnsupported);
    CHECK_THAT(xlsb.status.error().message, Catch::Contains(".xlsb"));
    const Read encrypted = read(zip({{"[Content_Types].xml", kContentTypes}}, 1));
    CHECK(code_of(encrypted) == ErrorCode::WorkbookUnsupported);
    const Read plain_zip = read(zip({{"readme.txt", "hello"}}));
    CHECK(code_of(plain_zip) == ErrorCode::CsvNotText);
    CHECK_THAT(other_workbook_kind("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and more"), Catch::Contains(".xls"));
  }
}

TEST_CASE("a macro-enabled workbook (.xlsm) is read like any other, its macros left alone", "[workbook]") {
  const std::string archive = zip({
      {"[Content_Types].xml",
       "<Types><Override PartName=\"/xl/workbook.xml\" "
       "ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml\"/></Types>"},
      {"xl/workbook.xml", "<workbook><sheets><sheet name=\"Leads\" r:id=\"r1\"/></sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"r1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
       "<Relationship Id=\"r2\" Type=\"x/vbaProject\" Target=\"vbaProject.bin\"/></Relationships>"},
      {"xl/vbaProject.bin", "\xD0\xCF\x11\xE0 a macro that must never run"},
      {"xl/worksheets/sheet1.xml",
       "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>Email</t></is></c></row>"
       "<row r=\"2\"><c t=\"inlineStr\"><is><t>ann@acme.com</t></is></c></row></sheetData></worksheet>"},
  });
  Read r = read(archive);
  REQUIRE(r.status.ok());
  CHECK(r.csv == "Email\nann@acme.com");
}

TEST_CASE("a sheet's dimension gives its rows before it is read", "[workbook]") {
  CHECK(sheet_dimension_rows("<worksheet><dimension ref=\"A1:K5001\"/><sheetViews>") == 5001);
  CHECK(sheet_dimension_rows("<x:worksheet><x:dimension ref='B3:C4'/>") == 2);
  CHECK(sheet_dimension_rows("<worksheet><dimension ref=\"A1\"/>") == 1);
  CHECK(sheet_dimension_rows("<worksheet><sheetData>") == -1);
}
