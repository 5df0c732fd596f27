// A workbook's parts, in the order reading one worksheet needs them:
//   [Content_Types].xml  which part is the workbook (and whether this is a workbook at all)
//   xl/workbook.xml      the sheets' names, visibility and date system
//   its .rels            where each sheet, the shared strings and the styles are
//   styles.xml           each cell style's number format (dates are numbers with a date format)
//   sharedStrings.xml    the text cells refer to by index
//   the worksheet        rows of cells, written out as CSV lines
#include <algorithm>
#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "detail/cell_format.hpp"
#include "detail/xml_scanner.hpp"
#include "leadscore/values.hpp"
#include "leadscore/workbook.hpp"
#include "messages.hpp"

namespace leadscore {

namespace {

using detail::XmlAttribute;

constexpr std::int64_t kMaxRows = 1048576;  // Excel's limits
constexpr std::size_t kMaxColumns = 16384;
constexpr std::size_t kHeaderSearchRows = 64;

// Whether two short names are equal: a byte loop, where a call to memcmp per tag would cost more
// than the comparison (a sheet has a few tags per cell).
bool is(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

std::string_view attribute(const std::vector<XmlAttribute>& attributes, std::string_view name) {
  for (const XmlAttribute& a : attributes) {
    if (is(a.name, name)) return a.value;
  }
  return {};
}

std::string decoded(std::string_view raw) {
  std::string out;
  if (!detail::xml_decode(raw, out)) return std::string(raw);
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Excel writes characters XML cannot carry as "_xHHHH_" ("_x000D_" a carriage return) and a
// literal "_x" sequence with its underscore escaped as "_x005F_".
// The UTF-16 unit of an escape "_xHHHH_" at `at`, or -1.
long escaped_unit(std::string_view text, std::size_t at) {
  if (at + 6 >= text.size() || text[at] != '_' || text[at + 1] != 'x' || text[at + 6] != '_') return -1;
  long unit = 0;
  for (std::size_t k = at + 2; k < at + 6; ++k) {
    const int digit = hex_digit(text[k]);
    if (digit < 0) return -1;
    unit = unit << 4 | digit;
  }
  return unit;
}

void decode_excel_escapes(std::string& text) {
  if (text.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const long unit = escaped_unit(text, i);
    if (unit >= 0) {
      // A UTF-16 pair written as two escapes.
      const long low = unit >= 0xD800 && unit < 0xDC00 ? escaped_unit(text, i + 7) : -1;
      if (low >= 0xDC00 && low < 0xE000 &&
          detail::append_utf8(static_cast<std::uint32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), out)) {
        i += 13;
        continue;
      }
      if (detail::append_utf8(static_cast<std::uint32_t>(unit), out)) {
        i += 6;
        continue;
      }
    }
    out += text[i];
  }
  text.swap(out);
}

// "xl/workbook.xml" -> "xl/"
std::string folder_of(std::string_view part) {
  const std::size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// A relationship's target as an archive name: relative to `folder`, or from the root when it
// starts with '/'; ".." may not climb out of the archive.
bool resolve_target(std::string_view folder, std::string_view target, std::string& out) {
  std::string path =
      !target.empty() && target[0] == '/' ? std::string(target.substr(1)) : std::string(folder) + std::string(target);
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string segment = path.substr(start, end - start);
    if (segment == "..") {
      if (segments.empty()) return false;
      segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  out.clear();
  for (const std::string& segment : segments) out += (out.empty() ? "" : "/") + segment;
  return !out.empty();
}

Error damaged(const std::string& what) { return Error{ErrorCode::WorkbookCorrupt, messages::damaged_workbook(what)}; }

Error too_large(const std::string& part, const std::string& what) {
  return Error{ErrorCode::WorkbookTooLarge, messages::oversized_workbook(part, what)};
}

Error unsupported(const std::string& what) {
  return Error{ErrorCode::WorkbookUnsupported, messages::unsupported_workbook(what)};
}

std::string quoted_names(const std::vector<SheetInfo>& sheets) {
  std::string out;
  for (const SheetInfo& sheet : sheets) {
    if (!out.empty()) out += ", ";
    out += "\"" + sheet.name + "\"";
    if (!sheet.worksheet)
      out += " (a chart)";
    else if (!sheet.visible)
      out += " (hidden)";
  }
  return out;
}

// "BC12" -> column 54 (0-based) and row 12; false past Excel's limits.
bool cell_reference(std::string_view ref, std::size_t& column, std::int64_t& row) {
  std::size_t i = 0, letters = 0;
  std::size_t col = 0;
  while (i < ref.size() && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'))) {
    col = col * 26 + static_cast<std::size_t>(lower_ascii(ref[i]) - 'a' + 1);
    ++i;
    if (++letters > 3) return false;
  }
  std::int64_t number = 0;
  std::size_t digits = 0;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && digits < 8) {
    number = number * 10 + (ref[i] - '0');
    ++i;
    ++digits;
  }
  if (letters == 0 || col > kMaxColumns || i != ref.size()) return false;
  column = col - 1;
  row = digits ? number : 0;
  return true;
}

bool parse_count(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > 12) return false;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

std::string column_name(std::size_t column) {
  std::string name;
  for (std::size_t c = column + 1; c > 0; c = (c - 1) / 26)
    name.insert(name.begin(), static_cast<char>('A' + (c - 1) % 26));
  return name;
}

// The text cells of every row refer to, held once: one buffer and each string's end.
class SharedStrings {
 public:
  void add(std::string_view text) {
    pool_.append(text);
    ends_.push_back(pool_.size());
  }
  std::size_t size() const { return ends_.size(); }
  std::string_view at(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(pool_).substr(begin, ends_[i] - begin);
  }
  std::uint64_t bytes() const { return pool_.capacity() + ends_.capacity() * sizeof(std::size_t); }
  void reserve(std::int64_t count) {
    ends_.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(count, 0, 1 << 20)));
  }

 private:
  std::string pool_;
  std::vector<std::size_t> ends_;
};

enum class CellKind : std::uint8_t { Empty, Text, Number };

bool needs_quotes(std::string_view cell) { return cell.find_first_of(",\"\r\n") != std::string_view::npos; }

void write_csv_cell(std::string_view cell, std::string& csv) {
  if (!needs_quotes(cell)) {
    csv.append(cell);
    return;
  }
  csv += '"';
  for (char c : cell) {
    if (c == '"') csv += '"';
    csv += c;
  }
  csv += '"';
}

// A report's total or footer row, left out of the list: "Grand Totals (1,204 records)", "Total",
// "Subtotal" followed only by numbers; "Confidential Information - Do Not Distribute" or
// "Copyright (c) 2000-2026 salesforce.com, inc." alone.
bool is_total_row(const std::vector<std::string>& cells, const std::vector<CellKind>& kinds, std::size_t width) {
  std::size_t first = width;
  std::size_t texts = 0;
  for (std::size_t i = 0; i < width; ++i) {
    if (kinds[i] == CellKind::Empty) continue;
    if (first == width) first = i;
    texts += kinds[i] == CellKind::Text;
  }
  if (first == width || kinds[first] != CellKind::Text) return false;
  std::string lead = to_lower_ascii(cells[first]);
  while (!lead.empty() && (lead.back() == ' ' || lead.back() == ':')) lead.pop_back();
  auto starts = [&](std::string_view prefix) { return lead.compare(0, prefix.size(), prefix) == 0; };
  const bool total_word = lead == "total" || lead == "totals" || lead == "subtotal" || lead == "grand total" ||
                          lead == "grand totals" || starts("grand total (") || starts("grand totals (") ||
                          starts("total (") || starts("subtotal (");
  if (total_word) return texts == 1;
  const bool footer =
      starts("confidential information") || (starts("copyright") && lead.find("salesforce") != std::string::npos);
  return footer && texts == 1;
}

}  // namespace

class WorkbookReader::Impl {
 public:
  enum class Step { ContentTypes, Workbook, Relationships, Styles, SharedStrings, Sheet, Done };

  explicit Impl(WorkbookOptions options) : options_(std::move(options)) {}

  Status open(std::vector<ZipEntry> entries) {
    entries_ = std::move(entries);
    for (ZipEntry& entry : entries_) std::replace(entry.name.begin(), entry.name.end(), '\\', '/');
    if (find("mimetype") && find("content.xml")) return unsupported(std::string(messages::kOpenDocument));
    for (const ZipEntry& entry : entries_) {
      if (entry.name.compare(0, 6, "Index/") == 0 && ends_with(entry.name, ".iwa"))
        return unsupported(std::string(messages::kNumbers));
    }
    if (!find("[Content_Types].xml")) return Error{ErrorCode::CsvNotText, messages::archive_not_a_list("")};
    return begin(Step::ContentTypes, "[Content_Types].xml");
  }

  const ZipEntry* next_part() const { return step_ == Step::Done ? nullptr : current_; }

  Status feed(std::string_view bytes, std::string& csv, std::uint64_t compressed_read) {
    if (step_ == Step::Done) return Ok{};
    fed_ += bytes.size();
    if (fed_ > options_.limits.max_part_bytes) return too_large(current_->name, inflates_past());
    const std::uint64_t compressed = compressed_read ? compressed_read : current_->compressed_size;
    if (fed_ > options_.limits.ratio_from_bytes &&
        fed_ / std::max<std::uint64_t>(compressed, 1) > options_.limits.max_ratio)
      return too_large(current_->name, "inflates more than " + std::to_string(options_.limits.max_ratio) +
                                           " times its size in the archive");
    csv_ = &csv;
    return scan([&](auto& handler) { return scanner_->feed(bytes, handler); });
  }

  Status end_part(std::string& csv) {
    if (step_ == Step::Done) return Ok{};
    csv_ = &csv;
    Status status = scan([&](auto& handler) { return scanner_->finish(handler); });
    if (!status.ok()) return status;
    return after(csv);
  }

  const std::vector<SheetInfo>& sheets() const noexcept { return sheets_; }
  const WorkbookFacts& facts() const noexcept { return facts_; }

  // --- the handlers the scanner calls, one part at a time (see `scan`)

  // The parts read once per workbook (their attributes say all) share one scanner loop: a virtual
  // call per tag costs nothing there. The shared strings and the sheet, read per cell, have theirs.
  struct AttributesOnly {
    virtual ~AttributesOnly() = default;
    virtual Status on_start(std::string_view name, const std::vector<XmlAttribute>& attributes, bool empty) = 0;
    virtual Status on_end(std::string_view) { return Ok{}; }
    Status on_text(std::string_view, bool) { return Ok{}; }
  };

  struct ContentTypes : AttributesOnly {
    explicit ContentTypes(Impl& impl) : self(impl) {}
    Impl& self;
    Status on_start(std::string_view name, const std::vector<XmlAttribute>& attributes, bool) override {
      if (name != "Override") return Ok{};
      const std::string type = decoded(attribute(attributes, "ContentType"));
      const std::string part = decoded(attribute(attributes, "PartName"));
      auto has = [&](std::string_view what) { return type.find(what) != std::string::npos; };
      if (has("spreadsheetml.sheet.main") || has("spreadsheetml.template.main") ||
          has("ms-excel.sheet.macroEnabled.main") || has("ms-excel.template.macroEnabled.main")) {
        if (self.workbook_part_.empty()) self.workbook_part_ = part.empty() || part[0] != '/' ? part : part.substr(1);
      } else if (has("ms-excel.sheet.binary.macroEnabled.main")) {
        self.kind_ = messages::kBinaryWorkbook;
      } else if (has("wordprocessingml.document.main")) {
        self.other_ = "a Word document";
      } else if (has("presentationml.presentation.main")) {
        self.other_ = "a PowerPoint presentation";
      }
      return Ok{};
    }
  };

  struct Workbook : AttributesOnly {
    explicit Workbook(Impl& impl) : self(impl) {}
    Impl& self;
    Status on_start(std::string_view name, const std::vector<XmlAttribute>& attributes, bool) override {
      if (name == "workbookPr") {
        const std::string_view date1904 = attribute(attributes, "date1904");
        self.facts_.date1904 = date1904 == "1" || date1904 == "true";
      } else if (name == "sheet") {
        SheetInfo sheet;
        sheet.name = decoded(attribute(attributes, "name"));
        const std::string_view state = attribute(attributes, "state");
        sheet.visible = state != "hidden" && state != "veryHidden";
        self.sheets_.push_back(std::move(sheet));
        self.sheet_ids_.push_back(decoded(attribute(attributes, "id")));
      }
      return Ok{};
    }
  };

  struct Relationships : AttributesOnly {
    explicit Relationships(Impl& impl) : self(impl) {}
    Impl& self;
    Status on_start(std::string_view name, const std::vector<XmlAttribute>& attributes, bool) override {
      if (name != "Relationship" || attribute(attributes, "TargetMode") == "External") return Ok{};
      std::string target;
      if (!resolve_target(folder_of(self.workbook_part_), decoded(attribute(attributes, "Target")), target))
        return damaged("a part name points outside the archive");
      const std::string type = decoded(attribute(attributes, "Type"));
      if (ends_with(type, "/sharedStrings"))
        self.strings_part_ = target;
      else if (ends_with(type, "/styles"))
        self.styles_part_ = target;
      self.relationships_[decoded(attribute(attributes, "Id"))] = {type, target};
      return Ok{};
    }
  };

  struct Styles : AttributesOnly {
    explicit Styles(Impl& impl) : self(impl) {}
    Impl& self;
    bool in_cell_formats = false;
    std::map<int, std::string> custom;
    std::vector<int> format_ids;
    Status on_start(std::string_view name, const std::vector<XmlAttribute>& attributes, bool empty) override {
      std::int64_t id = 0;
      if (name == "numFmt") {
        if (parse_count(attribute(attributes, "numFmtId"), id) && id < 100000)
          custom[static_cast<int>(id)] = decoded(attribute(attributes, "formatCode"));
      } else if (name == "cellXfs") {
        in_cell_formats = !empty;
      } else if (name == "xf" && in_cell_formats) {
        if (!parse_count(attribute(attributes, "numFmtId"), id) || id >= 100000) id = 0;
        format_ids.push_back(static_cast<int>(id));
      }
      return Ok{};
    }
    Status on_end(std::string_view name) override {
      if (name == "cellXfs") in_cell_formats = false;
      return Ok{};
    }
  };

  struct Strings {
    Impl& self;
    std::string text;
    bool in_text = false, in_phonetic = false;
    Status on_start(std::string_view name, const std::vector<XmlAttribute>& attributes, bool empty) {
      if (is(name, "si")) {
        text.clear();
        if (empty) self.strings_.add({});
      } else if (is(name, "t")) {
        in_text = !empty && !in_phonetic;
      } else if (is(name, "rPh")) {
        in_phonetic = !empty;
      } else if (is(name, "sst")) {
        std::int64_t count = 0;
        if (parse_count(attribute(attributes, "uniqueCount"), count)) self.strings_.reserve(count);
      }
      return Ok{};
    }
    Status on_end(std::string_view name) {
      if (is(name, "t")) {
        in_text = false;
      } else if (is(name, "rPh")) {
        in_phonetic = false;
      } else if (is(name, "si")) {
        decode_excel_escapes(text);
        self.strings_.add(text);
      }
      return Ok{};
    }
    Status on_text(std::string_view raw, bool cdata) {
      if (!in_text) return Ok{};
      if (cdata)
        text.append(raw);
      else if (!detail::xml_decode(raw, text))
        return self.scanner_->fail("an unknown entity in a shared string");
      return Ok{};
    }
  };

  struct Sheet {
    Impl& self;
    bool in_data = false, in_row = false, in_cell = false, in_value = false, in_inline = false, in_phonetic = false;
    std::int64_t row = 0;
    std::size_t column = 0, next_column = 0, width = 0;
    std::string type;
    std::size_t style = 0;
    std::string value;
    bool has_value = false;
    std::vector<std::string> cells;
    std::vector<CellKind> kinds;

    Status on_start(std::string_view name, const std::vector<XmlAttribute>& attributes, bool empty) {
      if (is(name, "sheetData")) {
        in_data = !empty;
      } else if (is(name, "row") && in_data) {
        std::int64_t number = 0;
        if (!parse_count(attribute(attributes, "r"), number)) number = row + 1;
        if (number > kMaxRows) return damaged("a row is numbered past Excel's last row, 1,048,576");
        row = std::max(number, row + 1);
        width = 0;
        next_column = 0;
        in_row = !empty;
        if (empty) return self.shaper_.row(row, cells, kinds, 0, *self.csv_);
      } else if (is(name, "c") && in_row) {
        const std::string_view ref = attribute(attributes, "r");
        std::int64_t ignored_row = 0;
        if (ref.empty()) {
          column = next_column;
        } else if (!cell_reference(ref, column, ignored_row)) {
          return damaged("cell \"" + std::string(ref.substr(0, 16)) + "\" is past Excel's last column, XFD");
        }
        if (column >= kMaxColumns) return damaged("a row has more than Excel's 16,384 columns");
        next_column = column + 1;
        type.assign(attribute(attributes, "t"));
        std::int64_t s = 0;
        style = parse_count(attribute(attributes, "s"), s) ? static_cast<std::size_t>(s) : 0;
        value.clear();
        has_value = false;
        in_cell = !empty;
      } else if (in_cell && (is(name, "v") || (is(name, "t") && in_inline && !in_phonetic))) {
        in_value = !empty;
        has_value = true;
      } else if (in_cell && is(name, "is")) {
        in_inline = !empty;
      } else if (in_cell && is(name, "rPh")) {
        in_phonetic = !empty;
      }
      return Ok{};
    }

    Status on_end(std::string_view name) {
      if (is(name, "v") || is(name, "t")) {
        in_value = false;
      } else if (is(name, "rPh")) {
        in_phonetic = false;
      } else if (is(name, "is")) {
        in_inline = false;
      } else if (is(name, "c") && in_cell) {
        in_cell = false;
        return cell();
      } else if (is(name, "row") && in_row) {
        in_row = false;
        return self.shaper_.row(row, cells, kinds, width, *self.csv_);
      } else if (is(name, "sheetData")) {
        in_data = false;
      }
      return Ok{};
    }

    Status on_text(std::string_view raw, bool cdata) {
      if (!in_value) return Ok{};
      if (cdata)
        value.append(raw);
      else if (!detail::xml_decode(raw, value))
        return self.scanner_->fail("an unknown entity in a cell");
      return Ok{};
    }

    // The cell's text, as the same list saved as CSV holds it.
    Status cell() {
      if (!has_value) return Ok{};
      if (column >= cells.size()) {
        cells.resize(column + 1);
        kinds.resize(column + 1);
      }
      for (std::size_t i = width; i < column; ++i) {
        cells[i].clear();
        kinds[i] = CellKind::Empty;
      }
      if (column < width && kinds[column] != CellKind::Empty) return Ok{};  // a repeated cell: the first wins
      width = std::max(width, column + 1);
      std::string& out = cells[column];
      out.clear();
      CellKind kind = CellKind::Text;
      if (is(type, "s")) {
        std::int64_t index = 0;
        if (!parse_count(value, index) || static_cast<std::uint64_t>(index) >= self.strings_.size())
          return damaged("cell " + column_name(column) + std::to_string(row) + " refers to shared string " + value +
                         ", but the workbook has " + std::to_string(self.strings_.size()));
        out.append(self.strings_.at(static_cast<std::size_t>(index)));
      } else if (is(type, "inlineStr") || is(type, "str")) {
        out = value;
        decode_excel_escapes(out);
      } else if (is(type, "b")) {
        out = value == "1" || value == "true" ? "TRUE" : "FALSE";
      } else if (is(type, "e")) {
        out = value;
      } else if (is(type, "d")) {
        // An ISO 8601 date cell: "2026-10-30T00:00:00" is the day alone.
        out = value.substr(0, value.find_first_of(".Z+", 10));
        if (ends_with(out, "T00:00:00")) out.resize(out.size() - 9);
        std::replace(out.begin(), out.end(), 'T', ' ');
      } else {
        static const detail::NumberFormat kGeneral;
        const auto& formats = self.cell_formats_;
        const detail::NumberFormat& format = style < formats.size() ? formats[style] : kGeneral;
        kind = CellKind::Number;
        // Most cells are General numbers already written in their shortest digits.
        if (format.kind == detail::NumberFormat::Kind::General && detail::write_plain_decimal(value, out)) {
          kinds[column] = kind;
          return Ok{};
        }
        const char* begin = value.c_str();
        char* end = nullptr;
        const double number = std::strtod(begin, &end);
        if (end == begin || *end != '\0') {
          out = value;
          kind = CellKind::Text;
        } else {
          detail::write_number(number, format, self.facts_.date1904, out);
        }
      }
      kinds[column] = out.empty() ? CellKind::Empty : kind;
      return Ok{};
    }
  };

  // Which row is the header, and the rows written as CSV lines. A report puts its title and
  // filters above the header (rows of one or two cells, where the table below is wider) and its
  // totals and footer below; those become blank lines, counted in the facts.
  class RowShaper {
   public:
    explicit RowShaper(WorkbookFacts& facts) : facts_(facts) {}

    Status row(std::int64_t number, const std::vector<std::string>& cells, const std::vector<CellKind>& kinds,
               std::size_t width, std::string& csv) {
      std::size_t filled = 0, last = 0;
      for (std::size_t i = 0; i < width; ++i) {
        if (kinds[i] != CellKind::Empty) {
          ++filled;
          last = i + 1;
        }
      }
      if (header_width_ == 0) {
        if (filled == 0) return Ok{};
        held_.push_back({number,
                         {cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(last)},
                         {kinds.begin(), kinds.begin() + static_cast<std::ptrdiff_t>(last)},
                         filled});
        if (filled >= 3 || held_.size() >= kHeaderSearchRows) decide(csv);
        return Ok{};
      }
      return write(number, cells, kinds, last, csv);
    }

    /// Writes what is still held; false when the sheet had no row at all.
    bool finish(std::string& csv) {
      if (header_width_ == 0 && !held_.empty()) decide(csv);
      return header_width_ > 0;
    }

   private:
    struct Held {
      std::int64_t number;
      std::vector<std::string> cells;
      std::vector<CellKind> kinds;
      std::size_t filled;
    };

    // The header: the first row with three cells or more, or else the first that no row after
    // it is wider than.
    void decide(std::string& csv) {
      std::size_t header = held_.size() - 1;
      for (std::size_t i = 0; i < held_.size(); ++i) {
        bool widest = true;
        for (std::size_t j = i + 1; j < held_.size() && widest; ++j) widest = held_[j].filled <= held_[i].filled;
        if (held_[i].filled >= 3 || widest) {
          header = i;
          break;
        }
      }
      facts_.header_row = held_[header].number;
      facts_.rows_above_header = static_cast<std::int64_t>(header);
      header_width_ = held_[header].cells.size();
      for (std::size_t i = header; i < held_.size(); ++i)
        write(held_[i].number, held_[i].cells, held_[i].kinds, held_[i].cells.size(), csv);
      held_.clear();
    }

    Status write(std::int64_t number, const std::vector<std::string>& cells, const std::vector<CellKind>& kinds,
                 std::size_t last, std::string& csv) {
      if (last == 0) return Ok{};
      if (number > facts_.header_row && is_total_row(cells, kinds, last)) {
        ++facts_.total_rows;
        return Ok{};
      }
      csv.append(static_cast<std::size_t>(std::max<std::int64_t>(number - line_, 0)), '\n');
      line_ = number;
      const std::size_t columns = std::max(header_width_, last);
      for (std::size_t i = 0; i < columns; ++i) {
        if (i > 0) csv += ',';
        if (i < last && kinds[i] != CellKind::Empty) write_csv_cell(cells[i], csv);
      }
      return Ok{};
    }

    WorkbookFacts& facts_;
    std::vector<Held> held_;
    std::size_t header_width_ = 0;
    std::int64_t line_ = 1;  // the sheet row the CSV text's current line stands for
  };

  template <class Run>
  Status scan(Run&& run) {
    switch (step_) {
      case Step::ContentTypes: return run(static_cast<AttributesOnly&>(content_types_));
      case Step::Workbook: return run(static_cast<AttributesOnly&>(workbook_));
      case Step::Relationships: return run(static_cast<AttributesOnly&>(relationships_handler_));
      case Step::Styles: return run(static_cast<AttributesOnly&>(styles_));
      case Step::SharedStrings: return run(strings_handler_);
      case Step::Sheet: return run(sheet_);
      case Step::Done: break;
    }
    return Ok{};
  }

  const ZipEntry* entry(std::string_view name) const { return find(name); }

 private:
  std::string inflates_past() const {
    return "inflates to more than " + std::to_string(options_.limits.max_part_bytes >> 20) + " MiB";
  }

  const ZipEntry* find(std::string_view name) const {
    for (const ZipEntry& entry : entries_) {
      if (equals_ci(entry.name, name)) return &entry;
    }
    return nullptr;
  }

  Status begin(Step step, const std::string& part) {
    const ZipEntry* entry = find(part);
    if (!entry) return damaged("its part " + part + " is missing");
    if (entry->encrypted) return unsupported(std::string(messages::kEncryptedParts));
    if (entry->method != 0 && entry->method != 8)
      return unsupported("a workbook compressed in a way Excel does not write (ZIP method " +
                         std::to_string(entry->method) + "). Open it in Excel or LibreOffice and save it again");
    if (entry->size > options_.limits.max_part_bytes) return too_large(part, inflates_past());
    step_ = step;
    current_ = entry;
    fed_ = 0;
    scanner_ = std::make_unique<detail::XmlScanner>(part);
    return Ok{};
  }

  // What a part told, and the next part.
  Status after(std::string& csv) {
    switch (step_) {
      case Step::ContentTypes:
        if (!kind_.empty()) return unsupported(kind_);
        if (workbook_part_.empty())
          return Error{ErrorCode::CsvNotText,
                       messages::archive_not_a_list(other_.empty() ? "an Office document" : other_)};
        return begin(Step::Workbook, workbook_part_);
      case Step::Workbook:
        return begin(Step::Relationships, folder_of(workbook_part_) + "_rels/" +
                                              workbook_part_.substr(folder_of(workbook_part_).size()) + ".rels");
      case Step::Relationships: return sheets_found();
      case Step::Styles: {
        for (int id : styles_.format_ids) {
          const auto custom = styles_.custom.find(id);
          cell_formats_.push_back(
              detail::number_format(id, custom == styles_.custom.end() ? std::string_view() : custom->second));
        }
        return strings_or_sheet();
      }
      case Step::SharedStrings:
        facts_.shared_strings = static_cast<std::int64_t>(strings_.size());
        facts_.shared_string_bytes = strings_.bytes();
        return begin(Step::Sheet, sheets_[chosen_].part);
      case Step::Sheet:
        step_ = Step::Done;
        if (!shaper_.finish(csv)) return Error{ErrorCode::CsvEmpty, messages::empty_sheet(facts_.sheet)};
        return Ok{};
      case Step::Done: break;
    }
    return Ok{};
  }

  Status sheets_found() {
    for (std::size_t i = 0; i < sheets_.size(); ++i) {
      const auto relationship = relationships_.find(sheet_ids_[i]);
      if (relationship == relationships_.end()) return damaged("sheet \"" + sheets_[i].name + "\" has no part");
      sheets_[i].part = relationship->second.second;
      sheets_[i].worksheet = ends_with(relationship->second.first, "/worksheet");
      facts_.sheet_count += sheets_[i].worksheet;
    }
    if (options_.sheets_only) {
      step_ = Step::Done;
      return Ok{};
    }
    Result<std::size_t> chosen = choose();
    if (!chosen.ok()) return chosen.error();
    chosen_ = chosen.value();
    facts_.sheet = sheets_[chosen_].name;
    if (!styles_part_.empty() && find(styles_part_)) return begin(Step::Styles, styles_part_);
    return strings_or_sheet();
  }

  Status strings_or_sheet() {
    if (!strings_part_.empty() && find(strings_part_)) return begin(Step::SharedStrings, strings_part_);
    return begin(Step::Sheet, sheets_[chosen_].part);
  }

  Result<std::size_t> choose() const {
    const std::string& wanted = options_.sheet;
    std::size_t found = sheets_.size();
    if (wanted.empty()) {
      for (std::size_t i = sheets_.size(); i-- > 0;) {
        if (sheets_[i].worksheet && (sheets_[i].visible || found == sheets_.size() || !sheets_[found].visible))
          found = i;
      }
      if (found == sheets_.size())
        return Error{ErrorCode::WorkbookNoSheet,
                     "The workbook has no worksheet to read (its sheets: " + quoted_names(sheets_) + ")."};
    } else {
      for (std::size_t i = 0; i < sheets_.size() && found == sheets_.size(); ++i) {
        if (sheets_[i].name == wanted) found = i;
      }
      for (std::size_t i = 0; i < sheets_.size() && found == sheets_.size(); ++i) {
        if (equals_ci(sheets_[i].name, wanted)) found = i;
      }
      std::int64_t place = 0;
      if (found == sheets_.size() && parse_count(wanted, place) && place >= 1 &&
          static_cast<std::size_t>(place) <= sheets_.size())
        found = static_cast<std::size_t>(place - 1);
      if (found == sheets_.size())
        return Error{ErrorCode::WorkbookNoSheet, "The workbook has no sheet \"" + wanted + "\". Its sheets are " +
                                                     quoted_names(sheets_) + "; give one by name or number."};
      if (!sheets_[found].worksheet)
        return Error{ErrorCode::WorkbookNoSheet, "Sheet \"" + sheets_[found].name +
                                                     "\" is a chart, not a list. Its sheets are " +
                                                     quoted_names(sheets_) + "."};
    }
    return found;
  }

  WorkbookOptions options_;
  std::vector<ZipEntry> entries_;
  Step step_ = Step::Done;
  const ZipEntry* current_ = nullptr;
  std::uint64_t fed_ = 0;
  std::unique_ptr<detail::XmlScanner> scanner_;
  std::string* csv_ = nullptr;

  std::string kind_;   // a spreadsheet this reader does not read, and how to save it as one it does
  std::string other_;  // another Office document
  std::string workbook_part_, styles_part_, strings_part_;
  std::vector<SheetInfo> sheets_;
  std::vector<std::string> sheet_ids_;
  std::map<std::string, std::pair<std::string, std::string>> relationships_;  // id: type, target
  std::size_t chosen_ = 0;
  std::vector<detail::NumberFormat> cell_formats_;  // per cell style
  SharedStrings strings_;
  WorkbookFacts facts_;
  RowShaper shaper_{facts_};

  ContentTypes content_types_{*this};
  Workbook workbook_{*this};
  Relationships relationships_handler_{*this};
  Styles styles_{*this};
  Strings strings_handler_{*this};
  Sheet sheet_{*this};
};

WorkbookReader::WorkbookReader(WorkbookOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
WorkbookReader::~WorkbookReader() = default;
Status WorkbookReader::open(std::vector<ZipEntry> entries) { return impl_->open(std::move(entries)); }
const ZipEntry* WorkbookReader::next_part() const { return impl_->next_part(); }
Status WorkbookReader::feed(std::string_view inflated, std::string& csv, std::uint64_t compressed_read) {
  return impl_->feed(inflated, csv, compressed_read);
}
Status WorkbookReader::end_part(std::string& csv) { return impl_->end_part(csv); }
const std::vector<SheetInfo>& WorkbookReader::sheets() const noexcept { return impl_->sheets(); }
const WorkbookFacts& WorkbookReader::facts() const noexcept { return impl_->facts(); }
const ZipEntry* WorkbookReader::entry(std::string_view name) const { return impl_->entry(name); }

CsvOptions WorkbookReader::csv_options() {
  CsvOptions options;
  options.delimiter = ',';
  options.encoding = TextEncoding::Utf8;
  return options;
}

nlohmann::ordered_json workbook_json(const WorkbookFacts& facts) {
  return {{"sheet", facts.sheet},
          {"worksheets", facts.sheet_count},
          {"header_row", facts.header_row},
          {"rows_above_header", facts.rows_above_header},
          {"total_rows", facts.total_rows},
          {"shared_strings", facts.shared_strings},
          {"shared_string_bytes", facts.shared_string_bytes},
          {"date_system", facts.date1904 ? 1904 : 1900},
          {"note", messages::workbook_note(facts.sheet, facts.sheet_count, facts.header_row, facts.rows_above_header,
                                           facts.total_rows)}};
}

Error inflate_failure() {
  return damaged("a file inside it cannot be inflated (it may have been cut short while copying)");
}

Status read_workbook(std::string_view archive, WorkbookReader& reader, const Inflate& inflate, const ByteSink& csv) {
  const std::size_t tail = static_cast<std::size_t>(std::min<std::uint64_t>(archive.size(), kZipTailBytes));
  Result<ZipDirectoryPlace> place = find_zip_directory(archive.substr(archive.size() - tail), archive.size());
  if (!place.ok()) return place.error();
  Result<std::vector<ZipEntry>> entries = read_zip_directory(
      archive.substr(static_cast<std::size_t>(place.value().offset), static_cast<std::size_t>(place.value().size)));
  if (!entries.ok()) return entries.error();
  Status status = reader.open(std::move(entries).value());
  std::string text;
  const InflatedSink into_reader = [&](std::string_view bytes, std::uint64_t compressed_read) -> Status {
    Status fed = reader.feed(bytes, text, compressed_read);
    if (!fed.ok() || text.empty()) return fed;
    Status passed = csv(text);
    text.clear();
    return passed;
  };
  while (status.ok()) {
    const ZipEntry* part = reader.next_part();
    if (!part) break;
    if (part->header_offset > archive.size()) return damaged("a file inside it starts past its end");
    Result<std::uint64_t> offset = zip_data_offset(archive.substr(static_cast<std::size_t>(part->header_offset)));
    if (!offset.ok()) return offset.error();
    const std::uint64_t start = part->header_offset + offset.value();
    if (start > archive.size() || part->compressed_size > archive.size() - start)
      return damaged("a file inside it runs past its end (it may have been cut short while copying)");
    const std::string_view data =
        archive.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(part->compressed_size));
    if (part->method == 0) {
      for (std::size_t at = 0; at < data.size() && status.ok(); at += 1 << 20)
        status = into_reader(data.substr(at, 1 << 20), std::min<std::uint64_t>(at + (1 << 20), data.size()));
    } else {
      status = inflate(data, into_reader);
    }
    if (!status.ok()) break;
    status = reader.end_part(text);
    if (status.ok() && !text.empty()) status = csv(text);
    text.clear();
  }
  return status;
}

std::int64_t sheet_dimension_rows(std::string_view xml) {
  std::size_t at = xml.find("dimension ");
  if (at == std::string_view::npos) return -1;
  at = xml.find("ref=", at);
  if (at == std::string_view::npos || at + 5 > xml.size()) return -1;
  const char quote = xml[at + 4];
  const std::size_t end = xml.find(quote, at + 5);
  if (end == std::string_view::npos) return -1;
  const std::string_view ref = xml.substr(at + 5, end - at - 5);
  const std::size_t colon = ref.find(':');
  std::size_t column = 0;
  std::int64_t first = 0, last = 0;
  if (!cell_reference(ref.substr(0, colon), column, first)) return -1;
  if (colon == std::string_view::npos) return first > 0 ? 1 : -1;
  if (!cell_reference(ref.substr(colon + 1), column, last) || last < first) return -1;
  return last - first + 1;
}

}  // namespace leadscore
