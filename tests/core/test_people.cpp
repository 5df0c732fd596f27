// Who a row is: the keys that make two rows one person.
#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <random>
#include "detail/person_index.hpp"
#include "leadscore/model.hpp"
#include "leadscore/people.hpp"
#include "leadscore/session.hpp"

using namespace leadscore;

TEST_CASE("an email is a person's key as the mail provider reads it", "[people]") {
  CHECK(email_identity("Jane.Doe@ACME.com") == "jane.doe@acme.com");
  CHECK(email_identity("  jane.doe@acme.com \t") == "jane.doe@acme.com");
  CHECK(email_identity("Jane Doe <Jane.Doe@Acme.com>") == "jane.doe@acme.com");
  // Gmail ignores dots and +tags, and googlemail.com is gmail.com.
  CHECK(email_identity("J.ane.Doe+webinar@GMAIL.com") == "janedoe@gmail.com");
  CHECK(email_identity("jane.doe@googlemail.com") == "janedoe@gmail.com");
  // Outlook, iCloud and others ignore +tags but not dots.
  CHECK(email_identity("jane.doe+news@outlook.com") == "jane.doe@outlook.com");
  CHECK(email_identity("jane.doe+news@hotmail.co.uk") == "jane.doe@hotmail.co.uk");
  CHECK(email_identity("jane+x@icloud.com") == "jane@icloud.com");
  // A company's own domain: dots and plus signs are part of the mailbox.
  CHECK(email_identity("jane.doe+sales@acme.com") == "jane.doe+sales@acme.com");
  CHECK(email_identity("j.doe@acme.com") != email_identity("jdoe@acme.com"));
  // Not an address: no key.
  for (const char* text : {"", "n/a", "jane.doe", "jane@", "@acme.com", "jane doe@acme.com", "jane@acme"}) {
    INFO(text);
    CHECK(email_identity(text).empty());
  }
}

TEST_CASE("names are compared without case, accents or punctuation", "[people]") {
  CHECK(name_identity("Renée  Müller") == "renee muller");
  CHECK(name_identity("RENEE MULLER") == "renee muller");
  CHECK(name_identity("O'Brien, Seán") == "obrien sean");
  CHECK(name_identity("Jean-Luc Picard") == "jean luc picard");
  CHECK(name_identity("Zoë Łukasiewicz-Ström") == "zoe lukasiewicz strom");
  CHECK(name_identity("Ştefan Ţăran") == "stefan taran");
  CHECK(name_identity("Bjørn Æsir Þór") == "bjorn aesir thor");
  CHECK(name_identity("Straße") == "strasse");
  CHECK(name_identity("Dr. J. R. R. Tolkien") == "dr j r r tolkien");
  // Decomposed accents (a combining mark after the letter) fold the same.
  CHECK(name_identity("Rene\xCC\x81"
                      "e") == "renee");
  // A typographic apostrophe and a no-break space.
  CHECK(name_identity("O\xE2\x80\x99"
                      "Brien\xC2\xA0"
                      "Jr") == "obrien jr");
  // Other scripts stay as they are, so their names still match exactly.
  CHECK(name_identity("王 小明") == "王 小明");
  CHECK(name_identity("Дмитрий") == "Дмитрий");
  CHECK(name_identity(" - , ").empty());
}

TEST_CASE("a company is its name without its legal form", "[people]") {
  CHECK(company_identity("Acme, Inc.") == "acme");
  CHECK(company_identity("ACME Inc") == "acme");
  CHECK(company_identity("Acmé GmbH") == "acme");
  CHECK(company_identity("The Acme Company, Inc.") == "acme");
  CHECK(company_identity("Müller & Söhne GmbH & Co. KG") == "muller sohne");
  CHECK(company_identity("Solace Retail Pvt Ltd") == "solace retail");
  CHECK(company_identity("Zenith Systems S.A.E.") == "zenith systems");
  CHECK(company_identity("Pinewood Telecom Pty. Ltd.") == "pinewood telecom");
  CHECK(company_identity("Nordisk A/S") == "nordisk");
  CHECK(company_identity("Volvo AB (publ)") == "volvo ab publ");
  // A name that is only a legal form keeps it; "The" alone stays too.
  CHECK(company_identity("Limited") == "limited");
  CHECK(company_identity("The") == "the");
  CHECK(company_identity("Johnson & Johnson") == "johnson johnson");
}

TEST_CASE("a phone number is its last ten digits, without an extension", "[people]") {
  CHECK(phone_identity("+1 (415) 555-0100") == "4155550100");
  CHECK(phone_identity("415.555.0100") == "4155550100");
  CHECK(phone_identity("001 415 555 0100") == "4155550100");
  CHECK(phone_identity("+44 20 7946 0958") == "2079460958");
  CHECK(phone_identity("+1 415 555 0100 ext. 12") == "4155550100");
  CHECK(phone_identity("+1 415 555 0100 x12") == "4155550100");
  CHECK(phone_identity("555-01").empty());
  CHECK(phone_identity("n/a").empty());
}

TEST_CASE("a row's person: by email, else name and company, else name and phone", "[people]") {
  const PersonKey by_email = person_key("Jane.Doe@Acme.com", "Jane Doe", "Acme", "");
  CHECK(by_email.kind == IdentityKind::Email);
  CHECK(by_email.text == "jane.doe@acme.com");
  const PersonKey by_company = person_key("", "Jane  Doe", "ACME, Inc.", "+1 415 555 0100");
  CHECK(by_company.kind == IdentityKind::NameCompany);
  CHECK(by_company.text == person_key("n/a", "jane doe", "Acme Inc", "").text);
  const PersonKey by_phone = person_key("", "Jane Doe", "", "(415) 555-0100");
  CHECK(by_phone.kind == IdentityKind::NamePhone);
  CHECK(by_phone.text == person_key("", "JANE DOE", " ", "+1 415 555 0100").text);
  // A phone alone is no person: colleagues share a switchboard. Nor is a name alone.
  CHECK(person_key("", "", "Acme", "+1 415 555 0100").kind == IdentityKind::None);
  CHECK(person_key("", "Jane Doe", "", "").kind == IdentityKind::None);
  // The kinds never collide: a name with a company is not the same name with a phone.
  CHECK(person_key("", "Jane Doe", "4155550100", "").text != by_phone.text);
}

namespace {

CsvRecord record(std::initializer_list<std::string_view> cells) {
  CsvRecord out;
  for (std::string_view cell : cells) out.push_back(cell);
  return out;
}

std::vector<std::string> cells_of(const CsvRecord& row) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < row.size(); ++i) out.emplace_back(row[i]);
  return out;
}

}  // namespace

TEST_CASE("a row's person is read from the columns the mapping found", "[people]") {
  const ColumnMapping mapping =
      build_mapping({"First Name", "Last Name", "Company", "Email", "Phone"}, {}, default_model(), {});
  const PersonColumns columns = person_columns(mapping);
  const MissingValues missing;
  CHECK(person_key(record({"Jane", "Doe", "Acme", "Jane.Doe@Acme.com", ""}), columns, missing).text ==
        "jane.doe@acme.com");
  // No email (a placeholder is none): "First Last" with the company.
  const PersonKey by_name = person_key(record({"Jane", "Doe", "ACME, Inc.", "n/a", ""}), columns, missing);
  CHECK(by_name.kind == IdentityKind::NameCompany);
  CHECK(by_name.text == person_key("", "jane doe", "acme", "").text);
  // A row shorter than the header.
  CHECK(person_key(record({"Jane"}), columns, missing).kind == IdentityKind::None);
}

TEST_CASE("a person's rows merge: counts summed, the latest date, any yes, the rest from the first row", "[people]") {
  const std::vector<std::string> headers = {
      "Email",          "Job Title",   "Number of Pageviews", "Page views per visit", "Last Activity Date",
      "Demo Requested", "Lead Source", "Time on Site"};
  const ColumnMapping mapping = build_mapping(headers, {}, default_model(), {});
  const std::vector<MergeRule> rules = merge_rules(mapping);
  REQUIRE(rules.size() == headers.size());
  CHECK(rules[0] == MergeRule::First);
  CHECK(rules[1] == MergeRule::First);
  CHECK(rules[2] == MergeRule::Sum);
  CHECK(rules[3] == MergeRule::Highest);
  CHECK(rules[4] == MergeRule::Latest);
  CHECK(rules[5] == MergeRule::Any);
  CHECK(rules[6] == MergeRule::First);
  CHECK(rules[7] == MergeRule::Sum);

  // Worked by hand: 10 + 5 + 0 page views; visits per page 2.5 and 4; the November date; a yes;
  // the first title given (the first row has none); 1:30 + 2:00 on the site (210 seconds).
  const CsvRecord first = record({"jane@acme.com", "", "10", "2.5", "2026-10-01", "no", "Webinar", "1:30"});
  const CsvRecord second = record({"Jane@ACME.com", "VP Sales", "5", "4", "11/15/2026", "Yes", "Paid", "2:00"});
  const CsvRecord third = record({"jane@acme.com", "n/a", "0", "-", "", "", "", ""});
  const MissingValues missing;
  const CsvRecord merged = merge_rows({&first, &second, &third}, rules, missing);
  CHECK(cells_of(merged) ==
        std::vector<std::string>{"jane@acme.com", "VP Sales", "15", "4", "2026-11-15", "yes", "Webinar", "210"});
  // One row: itself.
  CHECK(cells_of(merge_rows({&first}, rules, missing)) ==
        std::vector<std::string>{"jane@acme.com", "", "10", "2.5", "2026-10-01", "no", "Webinar", "90"});
}

TEST_CASE("the people of a list match an independent reference", "[people]") {
  // Rows written from known people, each in the ways exports differ (case, Gmail's dots and
  // +tags, accents, a company's legal form, a phone's prefix); the index must group them as
  // they were written.
  std::mt19937 random(26);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  const char* const first_names[] = {"Renée", "José", "Zoë", "Björn", "Ann", "Łukasz", "Seán", "Chloé"};
  const char* const last_names[] = {"Müller", "Núñez", "O'Brien", "Ström", "Lee", "Dvořák", "Øster", "Çelik"};
  const auto fold = [](std::string text) {
    // The reference's own folding of the names above (not the code under test).
    const std::pair<const char*, const char*> folds[] = {{"é", "e"}, {"ë", "e"}, {"ö", "o"}, {"Ł", "L"},
                                                         {"á", "a"}, {"ü", "u"}, {"ú", "u"}, {"ñ", "n"},
                                                         {"ř", "r"}, {"Ø", "O"}, {"Ç", "C"}, {"'", ""}};
    for (const auto& [from, to] : folds) {
      for (std::size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, std::strlen(from), to);
    }
    return text;
  };
  const char* const forms[] = {"", " Inc.", ", Inc", " GmbH", " Ltd", " LLC", " S.A."};
  struct Row {
    std::vector<std::string> cells;  // email, first, last, company, phone
    int person;
  };
  std::vector<Row> rows;
  for (int person = 0; person < 300; ++person) {
    const std::string first = first_names[pick(8)], last = last_names[pick(8)];
    const std::string company = "Firm" + std::to_string(person);
    const std::string phone = "415555" + std::to_string(1000 + person);
    const int how = person % 3;  // 0: a work email, 1: a Gmail address, 2: no email
    const int copies = 1 + static_cast<int>(pick(4));
    for (int copy = 0; copy < copies; ++copy) {
      std::string email;
      if (how == 0)
        email = (copy % 2 ? "P" : "p") + std::to_string(person) + "@" + (copy % 2 ? "FIRM" : "firm") +
                std::to_string(person) + ".com";
      if (how == 1) email = "p." + std::to_string(person) + (copy == 1 ? "+list" : "") + "@gmail.com";
      if (how == 1 && copy == 2) email = "p" + std::to_string(person) + "@GoogleMail.com";
      const bool plain = copy % 2 == 1;
      const std::string firm = how == 2 && person % 2 ? "" : company + forms[pick(7)];
      rows.push_back({{email, plain ? fold(first) : first, plain ? fold(last) : last, firm,
                       copy % 2 ? "+1 (" + phone.substr(0, 3) + ") " + phone.substr(3) : phone},
                      person});
    }
    if (copies > 1 && pick(2)) rows.push_back(rows[rows.size() - 2]);  // an exact copy of a row
  }
  const ColumnMapping mapping =
      build_mapping({"Email", "First Name", "Last Name", "Company", "Phone"}, {}, default_model(), {});
  const PersonColumns columns = person_columns(mapping);
  const MissingValues missing;
  detail::PersonIndex index;
  for (const Row& row : rows) {
    CsvRecord record;
    for (const std::string& cell : row.cells) record.push_back(cell);
    index.add(person_key(record, columns, missing), record);
  }
  REQUIRE(index.rows() == rows.size());
  std::map<int, std::uint32_t> person_of_reference;
  std::map<int, int> rows_of_reference;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i << ": " << rows[i].cells[0] << " / " << rows[i].cells[1] << " " << rows[i].cells[2] << " / "
                << rows[i].cells[3]);
    REQUIRE(index.person_of(i) != detail::PersonIndex::kAlone);
    const auto [known, first_time] = person_of_reference.emplace(rows[i].person, index.person_of(i));
    CHECK(known->second == index.person_of(i));
    ++rows_of_reference[rows[i].person];
  }
  CHECK(index.people() == person_of_reference.size());
  std::size_t duplicated = 0;
  for (const auto& [person, count] : rows_of_reference) duplicated += count > 1;
  CHECK(index.duplicated_people() == duplicated);
  // A repeat is a row whose cells an earlier row of the same person had.
  for (std::size_t i = 0; i < rows.size(); ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j)
      seen = rows[j].person == rows[i].person && rows[j].cells == rows[i].cells;
    CHECK(index.repeats(i) == seen);
  }
}
