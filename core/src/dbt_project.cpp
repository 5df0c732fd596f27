#include "leadscore/dbt_project.hpp"

#include <cinttypes>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "detail/interner.hpp"
#include "leadscore/leadscore.hpp"

namespace leadscore {

namespace {

/// A YAML scalar holding `text` exactly: a JSON string is a YAML double-quoted scalar.
std::string yaml_text(const std::string& text) { return nlohmann::json(text).dump(); }

std::vector<std::string> split_dots(const std::string& name) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dot = name.find('.', start);
    parts.push_back(name.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

}  // namespace

Result<std::vector<DbtFile>> dbt_project(const ScoringModel& model, const SqlOptions& options) {
  const std::vector<std::string> parts = split_dots(options.table);
  const std::string table = parts.back();
  const std::string schema = parts.size() >= 2 ? parts[parts.size() - 2] : "";
  const std::string source = schema.empty() ? "crm" : schema;

  // The SELECT kept from Jinja in a raw block; only the source call is rendered.
  SqlOptions sql_options = options;
  sql_options.relation = "{% endraw %}{{ source(" + yaml_text(source) + ", " + yaml_text(table) + ") }}{% raw %}";
  auto sql = compile_sql(model, sql_options);
  if (!sql) return sql.error();
  std::string body = sql.value();
  if (body.find("endraw") != body.rfind("endraw")) {  // one is the source call's
    return Error{ErrorCode::SqlUnsupported,
                 "a text of the model or the column mapping holds \"endraw\", which would end the dbt model's raw "
                 "block; rename it to export the model as a dbt project"};
  }
  while (!body.empty() && (body.back() == '\n' || body.back() == ';')) body.pop_back();  // dbt adds its own
  char fingerprint[20];
  std::snprintf(fingerprint, sizeof fingerprint, "%016" PRIx64, detail::hash_text(sql.value()));
  const std::string name = model.name.empty() ? "model" : model.name;
  const std::string about = "Leads scored by the leadscore model \"" + name + "\" (leadscore " + kVersion +
                            ", model format " + std::to_string(kModelFormatVersion) + ", query " + fingerprint + ")";

  std::string config = "materialized='table'";
  if (options.dialect == SqlDialect::Postgres) config += ", pre_hook=\"SET jit = off\"";

  std::vector<DbtFile> files;
  files.push_back({"dbt_project.yml", "# " + about +
                                          ".\n"
                                          "name: leadscore_scores\n"
                                          "version: \"1.0.0\"\n"
                                          "config-version: 2\n"
                                          "require-dbt-version: \">=1.7.0\"\n"
                                          "# The connection profile to use (profiles.yml); rename it to yours.\n"
                                          "profile: leadscore\n"
                                          "model-paths: [\"models\"]\n"});
  std::string sources = "version: 2\nsources:\n  - name: " + yaml_text(source) + "\n";
  if (parts.size() >= 3) sources += "    database: " + yaml_text(parts[parts.size() - 3]) + "\n";
  sources += "    schema: " + (schema.empty() ? std::string("\"{{ target.schema }}\"") : yaml_text(schema)) + "\n";
  sources += "    tables:\n      - name: " + yaml_text(table) + "\n        description: \"One lead a row.\"\n";
  files.push_back({"models/sources.yml", sources});
  files.push_back({"models/lead_scores.sql", "{{ config(" + config + ") }}\n{% raw %}" + body + "{% endraw %}\n"});

  std::string schema_yml =
      "version: 2\nmodels:\n  - name: lead_scores\n    description: " + yaml_text(about) + "\n    columns:\n";
  const std::vector<std::string> keys = sql_keys(options);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    schema_yml += "      - name: " + yaml_text(keys[i]) + "\n        quote: true\n";
    if (i == 0) schema_yml += "        tests:\n          - not_null\n";
  }
  schema_yml +=
      "      - name: lead_score\n        description: \"0-100: fit and engagement, weighted.\"\n"
      "        tests:\n          - not_null\n"
      "      - name: lead_fit\n      - name: lead_engagement\n"
      "      - name: lead_temperature\n        tests:\n          - not_null\n          - accepted_values:\n"
      "              values: [\"cold\", \"warm\", \"hot\"]\n"
      "      - name: lead_reasons\n        description: \"Why, biggest first, separated by '; '.\"\n";
  files.push_back({"models/schema.yml", schema_yml});
  files.push_back(
      {"README.md", "# leadscore_scores\n\n" + about +
                        ".\n\n"
                        "1. Name your connection profile in `dbt_project.yml` (`profile:`).\n"
                        "2. Check the source in `models/sources.yml`: the table with one lead a row.\n"
                        "3. `dbt run` builds the table `lead_scores`; `dbt test` checks it.\n\n"
                        "`models/lead_scores.sql` is the query `leadscore sql` writes, reading the source.\n"});
  return files;
}

}  // namespace leadscore
