#pragma once
/// Who a row is: the keys that tell two rows of a list to be the same person, so that a person's
/// rows can be merged before scoring.
///
/// A person is their email address, as the mail provider reads it: trimmed and in any case, and
/// at providers that ignore them, without the dots or the "+tag" of its local part. A row without
/// a valid email is its person's full name with their company; a phone number counts only together
/// with the name (colleagues share a switchboard). Names are compared without case, accents,
/// punctuation or a company's legal form ("Acme, Inc." is "ACME Inc" is "Acmé GmbH").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/column_map.hpp"
#include "leadscore/csv_reader.hpp"
#include "leadscore/values.hpp"

namespace leadscore {

/// An email address as a person's key; empty when `email` is not a valid address.
///   " Jane.Doe+news@GoogleMail.com " -> "janedoe@gmail.com"
///   "jane.doe+news@outlook.com"      -> "jane.doe@outlook.com"
///   "Jane.Doe@ACME.com"              -> "jane.doe@acme.com"
std::string email_identity(std::string_view email);

/// A person's name as a key: letters and digits, accents folded to ASCII ("Renée Müller" ->
/// "renee muller"), lowercase, one space between words, apostrophes, dots and slashes dropped.
std::string name_identity(std::string_view name);

/// A company's name as a key: name_identity without a leading "The" and a trailing legal form
/// ("The Acme Company, Inc." -> "acme", "Müller & Söhne GmbH & Co. KG" -> "muller sohne").
std::string company_identity(std::string_view company);

/// A phone number's last ten digits (country and trunk prefixes differ between exports); empty
/// below seven digits.
std::string phone_identity(std::string_view phone);

/// What a person key is made of.
enum class IdentityKind : std::uint8_t { None, Email, NameCompany, NamePhone };

struct PersonKey {
  IdentityKind kind = IdentityKind::None;
  std::string text;  ///< empty for None
};

/// A row's person: by its email; else by its full name and company; else by its full name and
/// phone; else none (the row is a person of its own). `full_name` may be "First Last".
PersonKey person_key(std::string_view email, std::string_view full_name, std::string_view company,
                     std::string_view phone);

/// The columns of a list that person_key reads (-1 when the list has none).
struct PersonColumns {
  std::int64_t email = -1;
  std::int64_t full_name = -1;
  std::int64_t first_name = -1;
  std::int64_t last_name = -1;
  std::int64_t company = -1;
  std::int64_t phone = -1;
};
PersonColumns person_columns(const ColumnMapping& mapping);

/// A row's person from its cells (the full name, else "First Last"); `missing` placeholders
/// ("n/a", "-") count as empty.
PersonKey person_key(const CsvRecord& row, const PersonColumns& columns, const MissingValues& missing);

/// How a column's cells combine when a person's rows are merged into the one record scored for
/// each of them: the first row's cell (or, when it is empty, the first later row's), the sum of
/// the rows' numbers, the highest, the latest date, or yes when any row says yes.
enum class MergeRule : std::uint8_t { First, Sum, Highest, Latest, Any };

/// Per column of a list: engagement counts are summed (an average, pages per visit, takes the
/// highest), its dates take the latest, its flags any row's yes; every other column (who the lead
/// is, their company, the funnel) takes the first row's cell.
std::vector<MergeRule> merge_rules(const ColumnMapping& mapping);

/// The record scored for a person whose distinct rows are `rows`, in file order (cells that read
/// as no number, date or flag are left out of a sum, the latest or any).
CsvRecord merge_rows(const std::vector<const CsvRecord*>& rows, const std::vector<MergeRule>& rules,
                     const MissingValues& missing);

}  // namespace leadscore
