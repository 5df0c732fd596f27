#include "leadscore/people.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <vector>

#include "leadscore/values.hpp"

namespace leadscore {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Mail providers whose addresses ignore what follows a '+' in the local part, and those that also
// ignore its dots.
bool ignores_dots(std::string_view domain) { return domain == "gmail.com"; }
bool ignores_plus_tags(std::string_view domain) {
  static constexpr std::string_view kDomains[] = {
      "gmail.com", "outlook.com", "hotmail.com",  "live.com",    "msn.com",       "icloud.com",
      "me.com",    "mac.com",     "fastmail.com", "fastmail.fm", "proton.me",     "protonmail.com",
      "pm.me",     "yandex.com",  "yandex.ru",    "zoho.com",    "googlemail.com"};
  for (std::string_view known : kDomains) {
    if (domain == known) return true;
  }
  // Microsoft's consumer domains in every country: hotmail.co.uk, outlook.fr, live.de...
  return starts_with(domain, "hotmail.") || starts_with(domain, "outlook.") || starts_with(domain, "live.");
}

// ASCII of U+00C0..U+017F, lowercase ("" for a sign that is no letter: × ÷).
constexpr std::array<const char*, 0x180 - 0xC0> kLatinFolds = {
    // U+00C0
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    // U+00D0
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "ss",
    // U+00E0
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    // U+00F0
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "y",
    // U+0100
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "d",
    "d",
    // U+0110
    "d",
    "d",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "g",
    "g",
    "g",
    "g",
    // U+0120
    "g",
    "g",
    "g",
    "g",
    "h",
    "h",
    "h",
    "h",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    // U+0130
    "i",
    "i",
    "ij",
    "ij",
    "j",
    "j",
    "k",
    "k",
    "k",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    // U+0140
    "l",
    "l",
    "l",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "o",
    "o",
    "o",
    "o",
    // U+0150
    "o",
    "o",
    "oe",
    "oe",
    "r",
    "r",
    "r",
    "r",
    "r",
    "r",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    // U+0160
    "s",
    "s",
    "t",
    "t",
    "t",
    "t",
    "t",
    "t",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    // U+0170
    "u",
    "u",
    "u",
    "u",
    "w",
    "w",
    "y",
    "y",
    "y",
    "z",
    "z",
    "z",
    "z",
    "z",
    "z",
    "s",
};

// Appends the words of `text` to `out`: ASCII letters and digits lowered, Latin letters with
// accents folded, other letters (Greek, Cyrillic, CJK...) as they are; apostrophes, dots and
// slashes dropped ("O'Brien", "S.A.", "A/S"); anything else separates words.
void append_words(std::string_view text, std::string& out) {
  bool space = false;
  auto letters = [&](std::string_view piece) {
    if (piece.empty()) return;
    if (space && !out.empty()) out += ' ';
    space = false;
    out.append(piece);
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      const char lowered = lower_ascii(static_cast<char>(c));
      if ((lowered >= 'a' && lowered <= 'z') || (lowered >= '0' && lowered <= '9')) {
        letters(std::string_view(&lowered, 1));
      } else if (c != '.' && c != '\'' && c != '/') {
        space = true;
      }
      ++i;
      continue;
    }
    // A UTF-8 sequence: its length from the first byte (a stray byte is a sequence of one).
    const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    const std::string_view sequence = text.substr(i, length);
    i += sequence.size();
    std::uint32_t code = 0;
    if (sequence.size() == 2) code = (c & 0x1Fu) << 6 | (static_cast<unsigned char>(sequence[1]) & 0x3Fu);
    if (sequence.size() == 3)
      code = (c & 0x0Fu) << 12 | (static_cast<unsigned char>(sequence[1]) & 0x3Fu) << 6 |
             (static_cast<unsigned char>(sequence[2]) & 0x3Fu);
    if (code >= 0xC0 && code < 0x180) {
      const std::string_view folded = kLatinFolds[code - 0xC0];
      if (folded.empty()) space = true;
      letters(folded);
    } else if (code >= 0x218 && code <= 0x21B) {
      letters(code < 0x21A ? "s" : "t");  // Romanian ș ț
    } else if (code >= 0x300 && code < 0x370) {
      // A combining accent (a name written decomposed): the letter before it stands alone.
    } else if (code == 0xA0 || code == 0x2019 || (code >= 0x2000 && code <= 0x200B) || code == 0x3000) {
      if (code != 0x2019) space = true;  // a typographic apostrophe is dropped like "'"
    } else {
      letters(sequence);
    }
  }
}

// A company's legal form, as a word of company_identity.
bool is_legal_form(std::string_view word) {
  static constexpr std::string_view kForms[] = {
      "inc", "incorporated", "llc",  "llp",  "lp",  "ltd",  "limited", "corp", "corporation", "co",   "company",
      "plc", "gmbh",         "mbh",  "ag",   "kg",  "kgaa", "ug",      "se",   "sa",          "sas",  "sarl",
      "sl",  "srl",          "spa",  "bv",   "nv",  "ab",   "as",      "asa",  "aps",         "oy",   "oyj",
      "kk",  "pty",          "pvt",  "pte",  "sae", "ltda", "cia",     "sro",  "doo",         "zrt",  "kft",
      "sdn", "bhd",          "tbk",  "ooo",  "zao", "oao",  "pjsc",    "jsc",  "ojsc",        "cjsc", "sca",
      "scs", "snc",          "eurl", "sasu", "ehf", "hf",   "sp",      "zoo",  "spzoo"};
  for (std::string_view form : kForms) {
    if (word == form) return true;
  }
  return false;
}

}  // namespace

std::string email_identity(std::string_view email) {
  email = trim_spaces(email);
  // "Jane Doe <jane@acme.com>": the address within the brackets.
  const std::size_t open = email.rfind('<');
  if (open != std::string_view::npos && ends_with(email, ">"))
    email = trim_spaces(email.substr(open + 1, email.size() - open - 2));
  if (!is_valid_email(email)) return {};
  std::string key = to_lower_ascii(email);
  const std::size_t at = key.rfind('@');
  std::string local = key.substr(0, at);
  std::string domain = key.substr(at + 1);
  if (domain == "googlemail.com") domain = "gmail.com";
  if (ignores_plus_tags(domain)) {
    const std::size_t plus = local.find('+');
    if (plus != std::string::npos && plus > 0) local.resize(plus);
  }
  if (ignores_dots(domain)) {
    std::string undotted;
    for (char c : local) {
      if (c != '.') undotted += c;
    }
    if (!undotted.empty()) local.swap(undotted);
  }
  return local + "@" + domain;
}

std::string name_identity(std::string_view name) {
  std::string out;
  append_words(name, out);
  return out;
}

std::string company_identity(std::string_view company) {
  std::vector<std::string_view> words;
  const std::string all = name_identity(company);
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find(' ', start);
    if (end == std::string::npos) end = all.size();
    words.push_back(std::string_view(all).substr(start, end - start));
    start = end + 1;
  }
  std::size_t first = 0, last = words.size();
  if (last - first > 1 && words[first] == "the") ++first;
  while (last - first > 1 && is_legal_form(words[last - 1])) --last;
  std::string out;
  for (std::size_t i = first; i < last; ++i) {
    if (!out.empty()) out += ' ';
    out.append(words[i]);
  }
  return out;
}

std::string phone_identity(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (digits.size() >= 7 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      break;  // an extension: "x12", "ext. 12"
    }
  }
  if (digits.size() < 7) return {};
  return digits.size() > 10 ? digits.substr(digits.size() - 10) : digits;
}

PersonKey person_key(std::string_view email, std::string_view full_name, std::string_view company,
                     std::string_view phone) {
  if (std::string key = email_identity(email); !key.empty()) return {IdentityKind::Email, std::move(key)};
  const std::string name = name_identity(full_name);
  if (name.empty()) return {};
  if (const std::string firm = company_identity(company); !firm.empty())
    return {IdentityKind::NameCompany, name + "|company|" + firm};
  if (const std::string number = phone_identity(phone); !number.empty())
    return {IdentityKind::NamePhone, name + "|phone|" + number};
  return {};
}

PersonColumns person_columns(const ColumnMapping& mapping) {
  PersonColumns columns;
  columns.email = mapping.column_of("email");
  columns.full_name = mapping.column_of("full_name");
  columns.first_name = mapping.column_of("first_name");
  columns.last_name = mapping.column_of("last_name");
  columns.company = mapping.column_of("company");
  columns.phone = mapping.column_of("phone");
  return columns;
}

PersonKey person_key(const CsvRecord& row, const PersonColumns& columns, const MissingValues& missing) {
  const auto cell = [&](std::int64_t column) -> std::string_view {
    if (column < 0 || static_cast<std::size_t>(column) >= row.size()) return {};
    const std::string_view text = row[static_cast<std::size_t>(column)];
    return missing.is_missing(text) ? std::string_view() : text;
  };
  std::string name(cell(columns.full_name));
  if (trim(name).empty()) name = std::string(cell(columns.first_name)) + " " + std::string(cell(columns.last_name));
  return person_key(cell(columns.email), name, cell(columns.company), cell(columns.phone));
}

std::vector<MergeRule> merge_rules(const ColumnMapping& mapping) {
  std::vector<MergeRule> rules(mapping.headers().size(), MergeRule::First);
  for (std::size_t column = 0; column < rules.size(); ++column) {
    const FieldInfo* field = find_field(mapping.field_of(column));
    if (!field || field->group != FieldGroup::Engagement) continue;
    switch (field->kind) {
      case ValueKind::Number:
        rules[column] = field->name == "pages_per_visit" ? MergeRule::Highest : MergeRule::Sum;
        break;
      case ValueKind::Date: rules[column] = MergeRule::Latest; break;
      case ValueKind::Boolean: rules[column] = MergeRule::Any; break;
      default: break;
    }
  }
  return rules;
}

namespace {

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  return buffer;
}

// What `rule` makes of one column's cells, in row order; nullopt: the first row's way.
std::optional<std::string> merged_cell(MergeRule rule, const std::vector<std::string_view>& cells,
                                       const MissingValues& missing) {
  bool any = false;
  double sum = 0, highest = 0;
  std::int32_t latest = 0;
  bool yes = false;
  for (std::string_view cell : cells) {
    if (missing.is_missing(cell)) continue;
    switch (rule) {
      case MergeRule::Sum:
      case MergeRule::Highest:
        if (const auto quantity = parse_quantity(cell)) {
          const double value = quantity->value();
          sum += value;
          highest = any ? std::max(highest, value) : value;
          any = true;
        }
        break;
      case MergeRule::Latest:
        if (const auto day = parse_date(cell)) {
          latest = any ? std::max(latest, *day) : *day;
          any = true;
        }
        break;
      case MergeRule::Any:
        if (const auto flag = parse_bool(cell)) {
          yes = yes || *flag;
          any = true;
        }
        break;
      case MergeRule::First: return std::nullopt;
    }
  }
  if (!any) return std::nullopt;
  switch (rule) {
    case MergeRule::Sum: return number_text(sum);
    case MergeRule::Highest: return number_text(highest);
    case MergeRule::Latest: return format_date(latest);
    case MergeRule::Any: return std::string(yes ? "yes" : "no");
    case MergeRule::First: break;
  }
  return std::nullopt;
}

}  // namespace

CsvRecord merge_rows(const std::vector<const CsvRecord*>& rows, const std::vector<MergeRule>& rules,
                     const MissingValues& missing) {
  CsvRecord merged;
  if (rows.empty()) return merged;
  std::size_t width = 0;
  for (const CsvRecord* row : rows) width = std::max(width, row->size());
  std::vector<std::string_view> cells;
  for (std::size_t column = 0; column < width; ++column) {
    cells.clear();
    for (const CsvRecord* row : rows) cells.push_back(column < row->size() ? (*row)[column] : std::string_view());
    const MergeRule rule = column < rules.size() ? rules[column] : MergeRule::First;
    if (const std::optional<std::string> text = merged_cell(rule, cells, missing)) {
      merged.push_back(*text);
      continue;
    }
    // The first row's cell, or the first later one that says something.
    std::string_view first = cells.front();
    for (std::string_view cell : cells) {
      if (!missing.is_missing(cell)) {
        first = cell;
        break;
      }
    }
    merged.push_back(first);
  }
  merged.set_line(rows.front()->line());
  return merged;
}

}  // namespace leadscore
