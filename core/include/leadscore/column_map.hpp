#pragma once
/// Header names -> canonical lead fields. Synonyms cover HubSpot, Salesforce, Pardot, Marketo, Zoho,
/// Zoom and common list exports; matching ignores case, spaces and punctuation, and a sample of rows
/// confirms that a numeric, date or yes/no field really holds such values.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "leadscore/csv_reader.hpp"
#include "leadscore/error.hpp"
#include "leadscore/values.hpp"

namespace leadscore {

/// What a field's cells hold, which decides how they are parsed and checked.
enum class ValueKind { Text, Email, Url, Number, Boolean, Date };
const char* value_kind_name(ValueKind kind) noexcept;

enum class FieldGroup { Identity, Fit, Engagement, Funnel, Outcome, Custom };
const char* field_group_name(FieldGroup group) noexcept;

/// A canonical lead field: "employees", "page_views", "last_activity_date"...
struct FieldInfo {
  std::string_view name;
  std::string_view label;  ///< for people: "Number of employees"
  FieldGroup group;
  ValueKind kind;
  std::vector<std::string_view> synonyms;  ///< header names, as written in exports
};

/// Every canonical field, in priority order (a header matching two fields goes to the first that
/// its values fit).
const std::vector<FieldInfo>& canonical_fields();
/// The canonical field called `name`, or nullptr.
const FieldInfo* find_field(std::string_view name) noexcept;

/// Header cells made usable as names: trimmed, empty ones named `column_N`, duplicates `Name_2`...
/// Each change is reported as an issue on line `line`.
std::vector<std::string> unique_header_names(const CsvRecord& header, std::vector<Error>& issues);

/// Extra header names per field, from the model: canonical fields gain synonyms (tried before the
/// built-in ones); other names define custom fields that rules can use.
using ColumnOverrides = std::map<std::string, std::vector<std::string>, std::less<>>;

/// How a field found its column.
enum class MatchKind { Model, Synonym, Prefixed };

struct FieldMatch {
  std::string field;
  std::size_t column = 0;
  MatchKind how = MatchKind::Synonym;
};

/// The mapping found for one list.
class ColumnMapping {
 public:
  ColumnMapping() = default;
  explicit ColumnMapping(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  /// Another list's mapping as it is (ExportPlan): its header names and its matches.
  ColumnMapping(std::vector<std::string> headers, std::vector<FieldMatch> matches)
      : headers_(std::move(headers)), matches_(std::move(matches)) {}

  const std::vector<std::string>& headers() const noexcept { return headers_; }
  /// Mapped fields, in the order of `canonical_fields()` then custom fields.
  const std::vector<FieldMatch>& matches() const noexcept { return matches_; }
  /// Notes for people: why a likely column was not used.
  const std::vector<std::string>& notes() const noexcept { return notes_; }
  /// The column of `field`; also accepts "column:<header>" for any column. -1 when absent.
  std::int64_t column_of(std::string_view field) const;
  /// The field mapped to `column`, or "" when none.
  std::string_view field_of(std::size_t column) const;

  /// Sets or removes (`column` < 0) the column of a field, as a user override.
  void set(std::string_view field, std::int64_t column);

 private:
  friend ColumnMapping map_columns(std::vector<std::string>, const std::vector<CsvRecord>&, const ColumnOverrides&,
                                   const MissingValues&);
  std::vector<std::string> headers_;
  std::vector<FieldMatch> matches_;
  std::vector<std::string> notes_;
};

/// Maps `headers` (from `unique_header_names`) using the model's `overrides`, confirming value
/// kinds on `sample` rows (the first rows of the list; may be empty).
ColumnMapping map_columns(std::vector<std::string> headers, const std::vector<CsvRecord>& sample,
                          const ColumnOverrides& overrides, const MissingValues& missing);

/// True when `cell` reads as `kind` (text and missing cells always do).
bool value_fits(ValueKind kind, std::string_view cell);

}  // namespace leadscore
