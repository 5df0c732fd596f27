#include "leadscore/column_map.hpp"

#include <algorithm>
#include <set>

#include "detail/setup_code.hpp"
#include "messages.hpp"

namespace leadscore {

LEADSCORE_SETUP_CODE_BEGIN  // all of this file runs once per model or list

const char* value_kind_name(ValueKind kind) noexcept {
  switch (kind) {
    case ValueKind::Text: return "text";
    case ValueKind::Email: return "email";
    case ValueKind::Url: return "url";
    case ValueKind::Number: return "number";
    case ValueKind::Boolean: return "boolean";
    case ValueKind::Date: return "date";
  }
  return "text";
}

const char* field_group_name(FieldGroup group) noexcept {
  switch (group) {
    case FieldGroup::Identity: return "identity";
    case FieldGroup::Fit: return "fit";
    case FieldGroup::Engagement: return "engagement";
    case FieldGroup::Funnel: return "funnel";
    case FieldGroup::Outcome: return "outcome";
    case FieldGroup::Custom: return "custom";
  }
  return "custom";
}

const std::vector<FieldInfo>& canonical_fields() {
  using G = FieldGroup;
  using K = ValueKind;
  // Synonyms are written as they appear in exports; they are compared after normalize_key().
  static const std::vector<FieldInfo> kFields = {
      {"record_id",
       "Record ID",
       G::Identity,
       K::Text,
       {"Record ID", "Lead ID", "Contact ID", "Prospect ID", "Person ID", "hs_object_id", "Id", "mql_id",
        "Lead Number"}},
      {"email",
       "Email",
       G::Identity,
       K::Email,
       {"Email", "Email Address", "E-mail", "E-mail Address", "Work Email", "Business Email", "Mail", "Email 1"}},
      {"first_name",
       "First name",
       G::Identity,
       K::Text,
       {"First Name", "firstname", "Given Name", "Forename", "Vorname", "Prenom"}},
      {"last_name",
       "Last name",
       G::Identity,
       K::Text,
       {"Last Name", "lastname", "Surname", "Family Name", "Nachname", "Nom"}},
      {"full_name",
       "Name",
       G::Identity,
       K::Text,
       {"Name", "Full Name", "Contact Name", "Lead Name", "Prospect Name", "Person Name"}},
      {"company",
       "Company",
       G::Identity,
       K::Text,
       {"Company", "Company Name", "Company / Account", "Account Name", "Organization", "Organisation",
        "Organization Name", "org", "Employer", "Account", "Business Name", "Firma", "Unternehmen"}},
      {"job_title",
       "Job title",
       G::Identity,
       K::Text,
       {"Job Title", "Title", "jobtitle", "job_title", "Designation", "Position", "Role", "Job Role", "Job",
        "Occupation", "What is your current occupation", "Current Occupation", "Lead Role"}},
      {"phone",
       "Phone",
       G::Identity,
       K::Text,
       {"Phone", "Phone Number", "Mobile", "Mobile Phone", "Mobile Phone Number", "mobilephone", "Telephone", "Tel",
        "Cell", "Work Phone", "Business Phone", "Contact Phone Number"}},
      {"country",
       "Country",
       G::Identity,
       K::Text,
       {"Country", "Country/Region", "billingCountry", "IP Country", "Country Name", "Country Code", "Land", "Pays"}},
      {"city", "City", G::Identity, K::Text, {"City", "Town", "Ort", "Ville", "IP City"}},
      {"website",
       "Website",
       G::Identity,
       K::Url,
       {"Website", "Website URL", "Web Site", "URL", "Domain", "Company Domain", "Company Domain Name",
        "Company Website", "Homepage"}},
      {"industry",
       "Industry",
       G::Fit,
       K::Text,
       {"Industry", "Sector", "Vertical", "Branche", "industryType", "Industry Sector", "Business Segment",
        "Specialization", "Specialisation"}},
      {"employees",
       "Number of employees",
       G::Fit,
       K::Number,
       {"Number of Employees", "No. of Employees", "NumberOfEmployees", "numemployees", "Employees", "Company Size",
        "Company size", "Headcount", "Employee Count", "employee_count", "no_of_employees", "EMPCT", "Employee Range",
        "Employees Range", "Team Size", "Staff", "Size"}},
      {"annual_revenue",
       "Annual revenue",
       G::Fit,
       K::Number,
       {"Annual Revenue", "AnnualRevenue", "annual_revenue", "Revenue", "Estimated Revenue", "Company Revenue",
        "Revenue Range", "Turnover", "ANNUALREVENUE"}},
      {"seniority",
       "Seniority / buying role",
       G::Fit,
       K::Text,
       {"Seniority", "Employment Seniority", "Buying Role", "hs_buying_role", "Role in purchase process",
        "role_in_purchase_process", "Persona", "Management Level", "Job Level", "Decision Maker"}},
      {"job_function",
       "Job function",
       G::Fit,
       K::Text,
       {"Job Function", "Function", "Department", "job_function", "Employment Role", "Business Function"}},
      {"page_views",
       "Page views",
       G::Engagement,
       K::Number,
       {"Number of Pageviews", "Page Views", "Pageviews", "hs_analytics_num_page_views", "Total Page Views",
        "Number of Page Views", "Views"}},
      {"sessions",
       "Website visits",
       G::Engagement,
       K::Number,
       {"Number of Sessions", "Sessions", "Visits", "hs_analytics_num_visits", "Total Visits", "TotalVisits",
        "Website Visits", "Number of Visits", "Site Visits"}},
      {"pages_per_visit",
       "Page views per visit",
       G::Engagement,
       K::Number,
       {"Average Pageviews", "Page Views Per Visit", "Pages Per Visit", "hs_analytics_average_page_views",
        "Pages/Session", "Pages per Session"}},
      {"time_on_site",
       "Time on site (seconds)",
       G::Engagement,
       K::Number,
       {"Time on Site", "Total Time Spent on Website", "Time Spent on Website", "Time on Website", "Session Duration",
        "Avg Session Duration", "Seconds on Site"}},
      {"pricing_page_visits",
       "Pricing page visits",
       G::Engagement,
       K::Number,
       {"Pricing Page Visits", "Pricing Page Views", "Pricing Visits", "Visited Pricing Page", "Pricing Page"}},
      {"email_opens",
       "Email opens",
       G::Engagement,
       K::Number,
       {"Marketing emails opened", "Emails Opened", "Email Opens", "Opens", "hs_email_open", "Email Opened",
        "Total Opens"}},
      {"email_clicks",
       "Email clicks",
       G::Engagement,
       K::Number,
       {"Marketing emails clicked", "Emails Clicked", "Email Clicks", "Clicks", "hs_email_click", "Total Clicks"}},
      {"form_submissions",
       "Form submissions",
       G::Engagement,
       K::Number,
       {"Number of Form Submissions", "Form Submissions", "num_conversion_events", "Number of Unique Forms Submitted",
        "Forms Submitted", "Conversions", "Number of Conversions"}},
      {"content_downloads",
       "Content downloads",
       G::Engagement,
       K::Number,
       {"Content Downloads", "Downloads", "Number of Downloads", "Whitepaper Downloads", "Ebook Downloads",
        "Resources Downloaded", "A free copy of Mastering The Interview"}},
      {"webinar_attended",
       "Webinar attended",
       G::Engagement,
       K::Boolean,
       {"Webinar Attended", "Attended Webinar", "Webinar", "Webinar Attendance", "Webinars Attended", "Attended"}},
      {"newsletter_subscribed",
       "Newsletter subscriber",
       G::Engagement,
       K::Boolean,
       {"Newsletter", "Newsletter Subscribed", "Newsletter Subscription", "Subscribed to Newsletter",
        "Receive More Updates About Our Courses", "Subscribed", "Opted In"}},
      {"demo_requested",
       "Demo requested",
       G::Engagement,
       K::Boolean,
       {"Demo Requested", "Demo Request", "Requested Demo", "Demo", "Book a Demo"}},
      {"contact_requested",
       "Contact requested",
       G::Engagement,
       K::Boolean,
       {"Contact Requested", "Contact Request", "Requested Contact", "Contact Us", "Contact Form", "Call Requested"}},
      {"quote_requested",
       "Quote requested",
       G::Engagement,
       K::Boolean,
       {"Quote Requested", "Quote Request", "Requested Quote", "Pricing Requested", "RFQ"}},
      {"last_activity_date",
       "Last activity date",
       G::Engagement,
       K::Date,
       {"Last Activity Date", "Last Activity", "LastActivityDate", "Time of Last Session", "Last Engagement Date",
        "Last Seen", "Time Last Seen", "Last Visit", "Last Visit Date", "Recent Conversion Date",
        "hs_analytics_last_visit_timestamp", "Last Interaction", "Last Touch"}},
      {"last_activity",
       "Last activity",
       G::Engagement,
       K::Text,
       {"Last Activity", "Last Notable Activity", "Recent Activity", "Last Action", "Last Activity Type"}},
      {"recent_conversion",
       "Recent conversion",
       G::Engagement,
       K::Text,
       {"Recent Conversion", "recent_conversion_event_name", "Most Recent Conversion", "Last Conversion",
        "First Conversion", "first_conversion_event_name"}},
      {"email_opt_out",
       "Email opt-out",
       G::Engagement,
       K::Boolean,
       {"Do Not Email", "Email Opt Out", "HasOptedOutOfEmail", "Unsubscribed", "Unsubscribed from all email",
        "Opted Out", "Opt Out"}},
      {"do_not_call", "Do not call", G::Engagement, K::Boolean, {"Do Not Call", "DoNotCall"}},
      {"lead_source",
       "Lead source",
       G::Funnel,
       K::Text,
       {"Lead Source", "LeadSource", "Source", "Original Source", "Original Traffic Source", "hs_analytics_source",
        "Latest Traffic Source", "Origin", "Channel", "utm_source", "Lead Origin", "Record Source"}},
      {"lifecycle_stage",
       "Lifecycle stage",
       G::Funnel,
       K::Text,
       {"Lifecycle Stage", "lifecyclestage", "Stage", "Funnel Stage", "Lead Stage"}},
      {"lead_status",
       "Lead status",
       G::Funnel,
       K::Text,
       {"Lead Status", "Status", "hs_lead_status", "LeadStatus", "Prospect Status"}},
      {"existing_score",
       "Existing score",
       G::Funnel,
       K::Number,
       {"HubSpot Score", "hubspotscore", "Lead Score", "Score", "Person Score", "Behavior Score"}},
      {"outcome",
       "Converted (outcome)",
       G::Outcome,
       K::Boolean,
       {"Converted", "IsConverted", "Is Converted", "Closed Won", "Won", "Converted to Customer"}},
  };
  return kFields;
}

const FieldInfo* find_field(std::string_view name) noexcept {
  for (const auto& field : canonical_fields()) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::vector<std::string> unique_header_names(const CsvRecord& header, std::vector<Error>& issues) {
  std::vector<std::string> names;
  std::set<std::string> taken;  // lowercase, so "Email" and "email" count as one
  for (std::size_t i = 0; i < header.size(); ++i) taken.insert(to_lower_ascii(trim(header[i])));
  std::set<std::string> used;
  // `base`, or the first of base_2, base_3... that no header has and no earlier column took.
  auto free_name = [&](const std::string& base) {
    std::string name = base + "_2";
    for (int k = 3; taken.count(to_lower_ascii(name)) || used.count(to_lower_ascii(name)); ++k) {
      name = base + "_" + std::to_string(k);
    }
    return name;
  };
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string name(trim(header[i]));
    const auto column = static_cast<std::int64_t>(i + 1);
    if (name.empty()) {
      name = "column_" + std::to_string(i + 1);
      if (taken.count(name) || used.count(name)) name = free_name(name);
      issues.push_back(Error{ErrorCode::CsvEmptyHeader, messages::unnamed_column(i + 1, name), header.line(), column});
    } else if (used.count(to_lower_ascii(name))) {
      const std::string base = name;
      name = free_name(base);
      issues.push_back(
          Error{ErrorCode::CsvDuplicateHeader, messages::repeated_column(i + 1, base, name), header.line(), column});
    }
    used.insert(to_lower_ascii(name));
    names.push_back(std::move(name));
  }
  return names;
}

bool value_fits(ValueKind kind, std::string_view cell) {
  switch (kind) {
    case ValueKind::Text:
    case ValueKind::Url: return true;
    case ValueKind::Email: return cell.find('@') != std::string_view::npos;
    case ValueKind::Number: return parse_quantity(cell).has_value();
    case ValueKind::Boolean: return parse_bool(cell).has_value();
    case ValueKind::Date: return parse_date(cell).has_value();
  }
  return true;
}

std::int64_t ColumnMapping::column_of(std::string_view field) const {
  constexpr std::string_view kColumnPrefix = "column:";
  if (field.substr(0, kColumnPrefix.size()) == kColumnPrefix) {
    const std::string wanted = normalize_key(field.substr(kColumnPrefix.size()));
    for (std::size_t i = 0; i < headers_.size(); ++i) {
      if (normalize_key(headers_[i]) == wanted) return static_cast<std::int64_t>(i);
    }
    return -1;
  }
  for (const auto& match : matches_) {
    if (match.field == field) return static_cast<std::int64_t>(match.column);
  }
  return -1;
}

std::string_view ColumnMapping::field_of(std::size_t column) const {
  for (const auto& match : matches_) {
    if (match.column == column) return match.field;
  }
  return {};
}

void ColumnMapping::set(std::string_view field, std::int64_t column) {
  matches_.erase(std::remove_if(matches_.begin(), matches_.end(),
                                [&](const FieldMatch& m) {
                                  return m.field == field || static_cast<std::int64_t>(m.column) == column;
                                }),
                 matches_.end());
  if (column >= 0 && static_cast<std::size_t>(column) < headers_.size()) {
    matches_.push_back(FieldMatch{std::string(field), static_cast<std::size_t>(column), MatchKind::Model});
  }
}

namespace {

struct Candidate {
  int rank;                 // 0 model, 1 synonym, 2 synonym after a prefix like "Contact"
  std::size_t field_order;  // position in canonical_fields() (custom fields after)
  std::size_t synonym_order;
  std::size_t column;
  std::string field;
  ValueKind kind;
};

/// Share of the sample's non-missing cells in `column` that read as `kind` (1 when none are set).
double fit_share(ValueKind kind, std::size_t column, const std::vector<CsvRecord>& sample,
                 const MissingValues& missing) {
  std::size_t seen = 0, fits = 0;
  for (const auto& row : sample) {
    if (column >= row.size() || missing.is_missing(row[column])) continue;
    ++seen;
    fits += value_fits(kind, trim(row[column]));
  }
  return seen == 0 ? 1.0 : static_cast<double>(fits) / static_cast<double>(seen);
}

}  // namespace

ColumnMapping map_columns(std::vector<std::string> headers, const std::vector<CsvRecord>& sample,
                          const ColumnOverrides& overrides, const MissingValues& missing) {
  ColumnMapping mapping(std::move(headers));
  const auto& fields = canonical_fields();
  std::vector<std::string> keys;
  for (const auto& header : mapping.headers_) keys.push_back(normalize_key(header));

  std::vector<Candidate> candidates;
  // The model's own names first, custom fields included.
  for (const auto& [field, names] : overrides) {
    const FieldInfo* info = find_field(field);
    for (std::size_t s = 0; s < names.size(); ++s) {
      const std::string key = normalize_key(names[s]);
      for (std::size_t c = 0; c < keys.size(); ++c) {
        if (keys[c] == key) {
          candidates.push_back(Candidate{0, info ? static_cast<std::size_t>(info - fields.data()) : fields.size(), s, c,
                                         field, info ? info->kind : ValueKind::Text});
        }
      }
    }
  }
  static constexpr std::string_view kPrefixes[] = {"contact", "lead", "person", "prospect", "customer", "hs"};
  for (std::size_t f = 0; f < fields.size(); ++f) {
    for (std::size_t s = 0; s < fields[f].synonyms.size(); ++s) {
      const std::string key = normalize_key(fields[f].synonyms[s]);
      for (std::size_t c = 0; c < keys.size(); ++c) {
        if (keys[c] == key) {
          candidates.push_back(Candidate{1, f, s, c, std::string(fields[f].name), fields[f].kind});
          continue;
        }
        for (std::string_view prefix : kPrefixes) {
          if (keys[c].size() > prefix.size() && keys[c].compare(0, prefix.size(), prefix) == 0 &&
              keys[c].compare(prefix.size(), std::string::npos, key) == 0) {
            candidates.push_back(Candidate{2, f, s, c, std::string(fields[f].name), fields[f].kind});
          }
        }
      }
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.field_order != b.field_order) return a.field_order < b.field_order;
    if (a.synonym_order != b.synonym_order) return a.synonym_order < b.synonym_order;
    return a.column < b.column;
  });

  std::set<std::string> fields_done;
  std::set<std::size_t> columns_done;
  std::set<std::size_t> columns_noted;
  for (const auto& candidate : candidates) {
    if (fields_done.count(candidate.field) || columns_done.count(candidate.column)) continue;
    // The model's own names are taken on trust; synonyms must fit the values.
    if (candidate.rank > 0 && fit_share(candidate.kind, candidate.column, sample, missing) < 0.6) {
      if (columns_noted.insert(candidate.column).second) {
        mapping.notes_.push_back("\"" + mapping.headers_[candidate.column] + "\" looks like " + candidate.field +
                                 " but its values are not " + value_kind_name(candidate.kind) + "s; not used as such.");
      }
      continue;
    }
    fields_done.insert(candidate.field);
    columns_done.insert(candidate.column);
    mapping.matches_.push_back(FieldMatch{candidate.field, candidate.column,
                                          candidate.rank == 0   ? MatchKind::Model
                                          : candidate.rank == 1 ? MatchKind::Synonym
                                                                : MatchKind::Prefixed});
  }
  // Present the matches in field order, custom ones last.
  auto order = [&](const FieldMatch& m) {
    const FieldInfo* info = find_field(m.field);
    return info ? static_cast<std::size_t>(info - fields.data()) : fields.size();
  };
  std::stable_sort(mapping.matches_.begin(), mapping.matches_.end(),
                   [&](const FieldMatch& a, const FieldMatch& b) { return order(a) < order(b); });
  return mapping;
}

LEADSCORE_SETUP_CODE_END

}  // namespace leadscore
