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

}  // namespace leadscore
