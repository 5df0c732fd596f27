#include "leadscore/sample_generator.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "leadscore/csv_writer.hpp"
#include "leadscore/values.hpp"

namespace leadscore {

namespace {

/// xoshiro256** seeded by splitmix64: the same sequence everywhere (std distributions are not).
/// Callers draw once per statement, so no compiler can reorder the draws.
class Random {
 public:
  explicit Random(std::uint64_t seed) {
    for (auto& word : state_) {
      seed += 0x9E3779B97F4A7C15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  /// In [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double p) { return uniform() < p; }
  /// Roughly normal (Irwin-Hall of four uniforms): arithmetic only, so identical on every platform.
  double normalish(double mean, double sd) {
    // One draw per statement: the order of operands in one expression is up to the compiler.
    double sum = uniform();
    sum += uniform();
    sum += uniform();
    sum += uniform();
    return mean + sd * (sum - 2.0) * 1.7320508075688772;
  }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

struct Place {
  const char* country;
  std::vector<const char*> cities;
  const char* legal_form;
  const char* phone_prefix;
};

struct Culture {
  std::vector<const char*> first_names;
  std::vector<const char*> last_names;
  std::vector<Place> places;
};

const std::vector<Culture>& cultures() {
  static const std::vector<Culture> kCultures = {
      {{"James", "Mary", "Michael", "Sarah", "David", "Emily", "Robert", "Jessica", "Daniel", "Laura", "Chris",
        "Olivia"},
       {"Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Davis", "Clark", "Lewis", "Walker", "O'Connor",
        "Hughes"},
       {{"United States", {"New York", "Austin", "Chicago", "Seattle", "Boston"}, "Inc.", "+1"},
        {"United Kingdom", {"London", "Manchester", "Leeds", "Bristol"}, "Ltd", "+44"}}},
      {{"Lukas", "Anna", "Jonas", "Lea", "Felix", "Sophie", "Maximilian", "Hannah"},
       {"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Schäfer"},
       {{"Germany", {"Berlin", "München", "Hamburg", "Köln"}, "GmbH", "+49"},
        {"Austria", {"Wien", "Graz"}, "GmbH", "+43"}}},
      {{"Léa", "Hugo", "Chloé", "Louis", "Camille", "Étienne", "Manon", "Théo"},
       {"Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Fontaine", "Rousseau", "Bernard"},
       {{"France", {"Paris", "Lyon", "Toulouse", "Nantes"}, "SAS", "+33"},
        {"Belgium", {"Bruxelles", "Liège"}, "SA", "+32"}}},
      {{"Lucía", "Mateo", "Sofía", "Diego", "Valentina", "Javier", "Carmen", "Alejandro"},
       {"García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Ortiz", "Núñez"},
       {{"Spain", {"Madrid", "Barcelona", "Valencia"}, "S.L.", "+34"},
        {"Mexico", {"Ciudad de México", "Monterrey", "Guadalajara"}, "S.A. de C.V.", "+52"}}},
      {{"João", "Ana", "Pedro", "Beatriz", "Gabriel", "Mariana"},
       {"Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira"},
       {{"Brazil", {"São Paulo", "Rio de Janeiro", "Curitiba"}, "Ltda", "+55"},
        {"Portugal", {"Lisboa", "Porto"}, "Lda", "+351"}}},
      {{"Priya", "Arjun", "Ananya", "Rahul", "Kavya", "Vikram", "Sneha", "Rohan"},
       {"Sharma", "Patel", "Reddy", "Iyer", "Gupta", "Nair", "Menon", "Singh"},
       {{"India", {"Bengaluru", "Mumbai", "Pune", "Hyderabad"}, "Pvt Ltd", "+91"}}},
      {{"Wei", "Mei", "Jun", "Li Na", "Hao", "Xiu"},
       {"Wang", "Li", "Zhang", "Chen", "Liu", "Huang"},
       {{"China", {"Shanghai", "Shenzhen", "Hangzhou"}, "Co., Ltd.", "+86"},
        {"Singapore", {"Singapore"}, "Pte Ltd", "+65"}}},
      {{"Haruto", "Yui", "Sota", "Aoi", "Ren", "Sakura"},
       {"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito"},
       {{"Japan", {"Tokyo", "Osaka", "Fukuoka"}, "K.K.", "+81"}}},
      {{"Chinedu", "Ngozi", "Oluwaseun", "Amara", "Emeka", "Funmilayo", "Kwame", "Ama"},
       {"Okafor", "Adeyemi", "Okonkwo", "Balogun", "Mensah", "Owusu"},
       {{"Nigeria", {"Lagos", "Abuja"}, "Ltd", "+234"}, {"Ghana", {"Accra", "Kumasi"}, "Ltd", "+233"}}},
      {{"Omar", "Fatima", "Youssef", "Layla", "Karim", "Noor"},
       {"Haddad", "Al-Farsi", "Nasser", "Khalil", "Mansour", "Saleh"},
       {{"United Arab Emirates", {"Dubai", "Abu Dhabi"}, "LLC", "+971"},
        {"Egypt", {"Cairo", "Alexandria"}, "S.A.E.", "+20"}}},
      {{"Lars", "Ingrid", "Erik", "Astrid", "Sven", "Freya"},
       {"Johansson", "Nielsen", "Andersen", "Larsen", "Lindqvist", "Berg"},
       {{"Sweden", {"Stockholm", "Göteborg"}, "AB", "+46"},
        {"Norway", {"Oslo", "Bergen"}, "AS", "+47"},
        {"Denmark", {"København", "Aarhus"}, "ApS", "+45"}}},
      {{"Jakub", "Zofia", "Kacper", "Julia", "Mateusz", "Katarzyna"},
       {"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski"},
       {{"Poland", {"Warszawa", "Kraków", "Wrocław"}, "Sp. z o.o.", "+48"}}},
      {{"Emre", "Elif", "Mehmet", "Zeynep", "Burak", "Ayşe"},
       {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk"},
       {{"Turkey", {"İstanbul", "Ankara", "İzmir"}, "A.Ş.", "+90"}}},
      {{"Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Su-bin"},
       {"Kim", "Lee", "Park", "Choi", "Jung", "Kang"},
       {{"South Korea", {"Seoul", "Busan"}, "Co., Ltd.", "+82"}}},
  };
  return kCultures;
}

struct Industry {
  const char* label;
  const char* company_word;
  bool target;  // in the default model's ICP
};

constexpr std::array<Industry, 20> kIndustries = {{
    {"Software", "Software", true},
    {"Computer Software", "Labs", true},
    {"Information Technology and Services", "Systems", true},
    {"Financial Services", "Capital", true},
    {"Banking", "Bank", true},
    {"Insurance", "Insurance", true},
    {"Telecommunications", "Telecom", true},
    {"Marketing and Advertising", "Media", true},
    {"Management Consulting", "Consulting", true},
    {"Internet", "Cloud", true},
    {"Logistics and Supply Chain", "Logistics", false},
    {"Manufacturing", "Robotics", false},
    {"Retail", "Retail", false},
    {"Hospital & Health Care", "Health", false},
    {"Pharmaceuticals", "Pharma", false},
    {"Education", "Education", false},
    {"Food & Beverages", "Foods", false},
    {"Renewables & Environment", "Energy", false},
    {"Design", "Studio", false},
    {"Construction", "Build", false},
}};

constexpr std::array<const char*, 40> kCompanyWords = {
    "Northwind", "Bluefin",  "Acme",       "Helios",  "Kite",   "Orbit",     "Verde",   "Quantum",
    "Pinewood",  "Lumen",    "Atlas",      "Nimbus",  "Harbor", "Crest",     "Solace",  "Vector",
    "Granite",   "Meridian", "Pixel",      "Aurora",  "Cobalt", "Evergreen", "Falcon",  "Summit",
    "Tidal",     "Zenith",   "Beacon",     "Cascade", "Delta",  "Ember",     "Horizon", "Ironwood",
    "Juniper",   "Keystone", "Lighthouse", "Maple",   "Nova",   "Oakridge",  "Polaris", "Redwood"};

// Headcount bands, from small to large, each written as exports write them.
struct Size {
  std::array<const char*, 2> written;
  const char* revenue;
};
constexpr std::array<Size, 8> kSizes = {{
    {{"1-10", "5"}, "$500K"},
    {{"11-50", "35"}, "$3,500,000"},
    {{"51-200", "120"}, "$12M"},
    {{"201-500", "350"}, "$45M"},
    {{"501-1,000", "800"}, "$120M"},
    {{"1,001-5,000", "2500"}, "$800M"},
    {{"5,001-10,000", "7,400"}, "$2.1B"},
    {{"10,000+", "More than 10,000"}, "$15B"},
}};

// What a free-text title adds: words no title rule of the default model looks for.
constexpr std::array<const char*, 40> kTeams = {"Cloud Infrastructure",
                                                "Payments",
                                                "Data Platform",
                                                "Brand",
                                                "Growth Marketing",
                                                "Field Sales",
                                                "Inside Sales",
                                                "Customer Success",
                                                "Demand Generation",
                                                "Revenue Operations",
                                                "Product Marketing",
                                                "Security",
                                                "Procurement",
                                                "Supply Chain",
                                                "Finance Systems",
                                                "People Operations",
                                                "Digital",
                                                "E-commerce",
                                                "Retail Banking",
                                                "Claims",
                                                "Public Relations",
                                                "Content",
                                                "Events",
                                                "Channel",
                                                "Alliances",
                                                "Strategy",
                                                "Analytics",
                                                "Platform",
                                                "Mobile",
                                                "Networks",
                                                "Compliance",
                                                "Risk",
                                                "Treasury",
                                                "Logistics",
                                                "Facilities",
                                                "Learning",
                                                "Research",
                                                "Quality",
                                                "Pricing",
                                                "Web"};
constexpr std::array<const char*, 16> kRegions = {
    "EMEA", "APAC",       "North America", "LATAM", "DACH",          "Nordics", "UK&I",     "Benelux",
    "ANZ",  "Enterprise", "Mid-Market",    "SMB",   "Public Sector", "Global",  "Americas", "Central Europe"};
// Exact head counts and revenues (dollars) per headcount band, inside the default model's bands
// that the band's written values fall in.
constexpr std::array<std::array<std::uint64_t, 2>, 8> kExactEmployees = {
    {{1, 9}, {11, 49}, {51, 199}, {201, 500}, {501, 999}, {1001, 5000}, {5001, 10000}, {10001, 60000}}};
constexpr std::array<std::array<std::uint64_t, 2>, 8> kExactRevenue = {{{200000, 999000},
                                                                        {1200000, 9800000},
                                                                        {10500000, 30000000},
                                                                        {30000000, 99000000},
                                                                        {100000000, 400000000},
                                                                        {400000000, 1500000000},
                                                                        {1500000000, 5000000000},
                                                                        {5000000000, 40000000000}}};

constexpr std::array<const char*, 12> kDecisionTitles = {"CEO",
                                                         "Chief Marketing Officer",
                                                         "CTO",
                                                         "VP of Sales",
                                                         "VP Marketing",
                                                         "Head of Growth",
                                                         "Director of Operations",
                                                         "Marketing Director",
                                                         "Co-founder",
                                                         "Managing Director",
                                                         "Head of IT",
                                                         "Chief Revenue Officer"};
constexpr std::array<const char*, 8> kManagerTitles = {"Marketing Manager",  "Sales Manager",
                                                       "IT Manager",         "Senior Product Manager",
                                                       "Operations Manager", "Demand Generation Team Lead",
                                                       "Senior Analyst",     "Procurement Manager"};
constexpr std::array<const char*, 10> kJuniorTitles = {"Marketing Coordinator",
                                                       "Sales Representative",
                                                       "Analyst",
                                                       "Software Engineer",
                                                       "Assistant",
                                                       "Consultant",
                                                       "Intern",
                                                       "Student",
                                                       "Freelancer",
                                                       ""};
constexpr std::array<const char*, 9> kSources = {"Organic Search", "Paid Search",    "Referral",
                                                 "Trade Show",     "Webinar",        "Email Marketing",
                                                 "Social Media",   "Direct Traffic", "Partner"};
constexpr std::array<const char*, 4> kFreeMail = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com"};
constexpr std::array<const char*, 4> kHotConversions = {"Demo request", "Contact sales", "Pricing quote request",
                                                        "Free trial signup"};
constexpr std::array<const char*, 4> kWarmConversions = {"Ebook: Lead Scoring 101", "Webinar registration",
                                                         "Case study download", "Newsletter signup"};
constexpr std::array<const char*, 4> kColdConversions = {"Blog subscription", "Checklist download", "",
                                                         "Newsletter signup"};
constexpr std::array<const char*, 9> kNotes = {"",
                                               "",
                                               "",
                                               "",
                                               "Met at the booth, asked about pricing, SSO and the API",
                                               "Wants a call next week.\nPrefers mornings",
                                               "Said \"just browsing\"",
                                               "Budget approved for next quarter, about 40 seats",
                                               "Asked for a reference customer, ideally in the same industry"};

/// ASCII letters for an email address: "Müller" -> "mueller", "Wiśniewski" -> "wisniewski".
std::string email_part(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kFold[] = {
      {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"ß", "ss"}, {"Ö", "oe"}, {"Ü", "ue"}, {"é", "e"}, {"è", "e"},
      {"ê", "e"},  {"É", "e"},  {"á", "a"},  {"à", "a"},  {"ã", "a"},  {"å", "a"},  {"í", "i"}, {"ı", "i"},
      {"İ", "i"},  {"ó", "o"},  {"ø", "o"},  {"ú", "u"},  {"ñ", "n"},  {"ç", "c"},  {"Ç", "c"}, {"ş", "s"},
      {"Ş", "s"},  {"ś", "s"},  {"ń", "n"},  {"ł", "l"},  {"ğ", "g"},  {"ô", "o"}};
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    bool folded = false;
    for (const auto& [from, to] : kFold) {
      if (name.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        folded = true;
        break;
      }
    }
    if (folded) continue;
    const char c = lower_ascii(name[i++]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

enum class Hidden { Cold, Warm, Hot };

std::string us_date(std::int32_t days) {
  const std::string iso = format_date(days);  // YYYY-MM-DD
  return iso.substr(5, 2) + "/" + iso.substr(8, 2) + "/" + iso.substr(0, 4);
}

std::string count(double value) { return std::to_string(static_cast<long long>(value < 0 ? 0 : value)); }

/// 1234567 -> "1,234,567".
std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

/// A title, head count and revenue as a real export has them, drawn from `rng` (its own, so the
/// list's other values are those of the list without free text).
void write_freely(Random& rng, std::size_t size, std::string& title, std::string& employees, std::string& revenue) {
  if (!title.empty() && rng.chance(0.75)) {
    const std::string team = rng.pick(kTeams), region = rng.pick(kRegions);
    switch (rng.below(4)) {
      case 0: title += ", " + team; break;
      case 1: title += " - " + team + ", " + region; break;
      case 2: title += " (" + region + ")"; break;
      default: title += ", " + team + " " + region + " at " + rng.pick(kCompanyWords); break;
    }
  }
  const auto exact = [&](const std::array<std::uint64_t, 2>& range, std::uint64_t step) {
    return range[0] + rng.below(static_cast<std::size_t>((range[1] - range[0]) / step + 1)) * step;
  };
  if (!employees.empty() && rng.chance(0.6)) {
    const std::uint64_t n = exact(kExactEmployees[size], 1);
    employees = rng.chance(0.5) ? std::to_string(n) : grouped(n);
  }
  if (!revenue.empty() && rng.chance(0.6)) {
    const std::uint64_t n = exact(kExactRevenue[size], 1000);
    revenue = rng.chance(0.5) ? std::to_string(n) : "$" + grouped(n);
  }
}

constexpr std::array<const char*, 32> kHeader = {"Record ID",
                                                 "First Name",
                                                 "Last Name",
                                                 "Email",
                                                 "Phone Number",
                                                 "Job Title",
                                                 "Company Name",
                                                 "Website URL",
                                                 "Industry",
                                                 "Number of Employees",
                                                 "Annual Revenue",
                                                 "Country/Region",
                                                 "City",
                                                 "Original Traffic Source",
                                                 "Lifecycle Stage",
                                                 "Lead Status",
                                                 "Number of Pageviews",
                                                 "Number of Sessions",
                                                 "Pricing Page Visits",
                                                 "Time on Site",
                                                 "Marketing emails opened",
                                                 "Marketing emails clicked",
                                                 "Number of Form Submissions",
                                                 "Content Downloads",
                                                 "Webinar Attended",
                                                 "Newsletter",
                                                 "Demo Requested",
                                                 "Recent Conversion",
                                                 "Last Activity Date",
                                                 "Create Date",
                                                 "Unsubscribed",
                                                 "Notes"};

/// Who a lead is: its hidden temperature, name, company, title and email.
struct Person {
  Hidden hidden;
  int k;  // engagement's scale: 1 cold, 3 warm, 6 hot
  const Place* place;
  std::string first, last;
  std::size_t size;  // the company's size band
  const Industry* industry;
  const char* title;
  std::string company, domain, email;
};

Person draw_person(Random& rng) {
  const double roll = rng.uniform();
  const Hidden hidden = roll < 0.55 ? Hidden::Cold : roll < 0.85 ? Hidden::Warm : Hidden::Hot;
  const int k = hidden == Hidden::Cold ? 1 : hidden == Hidden::Warm ? 3 : 6;

  const Culture& culture = rng.pick(cultures());
  const Place& place = rng.pick(culture.places);
  const std::string first = rng.pick(culture.first_names);
  const std::string last = rng.pick(culture.last_names);

  // Fit follows the hidden temperature: hot leads mostly decide, at target companies of size.
  const double fit_roll = rng.uniform();
  const bool good_fit = hidden == Hidden::Hot    ? fit_roll < 0.85
                        : hidden == Hidden::Warm ? fit_roll < 0.45
                                                 : fit_roll < 0.15;
  const Industry* industry = &rng.pick(kIndustries);
  for (int tries = 0; tries < 3 && industry->target != good_fit; ++tries) industry = &rng.pick(kIndustries);
  std::size_t size = good_fit ? 3 + rng.below(5) : rng.below(4);
  if (hidden == Hidden::Cold && rng.chance(0.2)) size = rng.below(8);
  const char* title = good_fit                 ? rng.pick(kDecisionTitles)
                      : hidden == Hidden::Cold ? rng.pick(kJuniorTitles)
                                               : (rng.chance(0.6) ? rng.pick(kManagerTitles) : rng.pick(kJuniorTitles));
  const std::string company_word = rng.pick(kCompanyWords);
  const std::string company = company_word + " " + industry->company_word +
                              (rng.chance(0.5) ? std::string(" ") + place.legal_form : std::string());
  const std::string domain = email_part(company_word) + email_part(industry->company_word) + ".com";

  std::string email = email_part(first) + "." + email_part(last) + "@";
  if (hidden == Hidden::Cold && rng.chance(0.35)) {
    email += rng.pick(kFreeMail);
  } else {
    email += domain;
  }
  if (rng.chance(0.01)) email.erase(email.find('@'), 1);  // a typo that makes it invalid
  return Person{hidden, k, &place, first, last, size, industry, title, company, domain, email};
}

/// What a lead did: visits, emails, forms, downloads, a webinar, a demo, when, and its CRM status.
struct Activity {
  double sessions, pricing, opens, clicks, forms, downloads;
  bool webinar, newsletter, demo;
  std::int32_t last_activity, created;
  const char* conversion;
  const char* status;
  const char* stage;
  std::string time_on_site, phone;
};

Activity draw_activity(Random& rng, const Person& person, std::int32_t as_of) {
  const Hidden hidden = person.hidden;
  const int k = person.k;
  const Place& place = *person.place;
  const double sessions = rng.normalish(2.0 * k, k);
  const double pricing = hidden == Hidden::Cold ? 0 : rng.normalish(hidden == Hidden::Hot ? 1.8 : 0.4, 0.8);
  const double opens = rng.normalish(2.0 * k, 2);
  const double clicks = std::min(opens, rng.normalish(0.8 * k, 1));
  const double forms = rng.normalish(0.5 * k, 0.7);
  const double downloads = rng.normalish(0.4 * k, 0.6);
  const double seconds = rng.normalish(120.0 * k, 60.0 * k);
  const bool webinar = rng.chance(hidden == Hidden::Cold ? 0.05 : hidden == Hidden::Warm ? 0.35 : 0.5);
  const bool newsletter = rng.chance(hidden == Hidden::Cold ? 0.2 : 0.5);
  const bool demo = rng.chance(hidden == Hidden::Hot ? 0.6 : hidden == Hidden::Warm ? 0.04 : 0.01);
  // Days since the last activity: mostly recent for hot leads, long ago for cold ones.
  const double u = rng.uniform();
  const double scale = hidden == Hidden::Hot ? 12 : hidden == Hidden::Warm ? 45 : 200;
  const auto days_ago = static_cast<std::int32_t>(scale * u * u * 2);
  const std::int32_t last_activity = as_of - days_ago;
  const std::int32_t created = last_activity - static_cast<std::int32_t>(5 + rng.below(400));
  const char* conversion = hidden == Hidden::Hot    ? rng.pick(kHotConversions)
                           : hidden == Hidden::Warm ? rng.pick(kWarmConversions)
                                                    : rng.pick(kColdConversions);
  static constexpr std::array<const char*, 3> kColdStatus = {"New", "Open", "Unqualified"};
  static constexpr std::array<const char*, 3> kWarmStatus = {"Open", "In Progress", "Attempted to Contact"};
  static constexpr std::array<const char*, 3> kHotStatus = {"In Progress", "Connected", "Open Deal"};
  const char* status = hidden == Hidden::Hot    ? rng.pick(kHotStatus)
                       : hidden == Hidden::Warm ? rng.pick(kWarmStatus)
                                                : rng.pick(kColdStatus);
  const char* stage = hidden == Hidden::Hot    ? "Sales Qualified Lead"
                      : hidden == Hidden::Warm ? "Marketing Qualified Lead"
                                               : (rng.chance(0.5) ? "Subscriber" : "Lead");
  // Seconds, or minutes:seconds as some exports write it.
  const long long secs = seconds < 0 ? 0 : static_cast<long long>(seconds);
  const std::string time_on_site =
      rng.chance(0.5) ? std::to_string(secs)
                      : std::to_string(secs / 60) + (secs % 60 < 10 ? ":0" : ":") + std::to_string(secs % 60);
  const std::size_t area = 200 + rng.below(800);  // separate statements: see normalish()
  const std::size_t line = 1000000 + rng.below(9000000);
  const std::string phone = std::string(place.phone_prefix) + " " + std::to_string(area) + " " + std::to_string(line);
  return Activity{sessions, pricing,       opens,   clicks,     forms,  downloads, webinar,      newsletter,
                  demo,     last_activity, created, conversion, status, stage,     time_on_site, phone};
}

/// A lead's cells, in kHeader's order (some left empty, as exports have them).
void lead_cells(Random& rng, std::size_t row, const Person& person, const Activity& a,
                std::vector<std::string>& cells) {
  const Hidden hidden = person.hidden;
  const Place& place = *person.place;
  const Industry* industry = person.industry;
  const std::size_t size = person.size;
  const std::string &first = person.first, &last = person.last, &email = person.email, &company = person.company,
                    &domain = person.domain;
  const char* title = person.title;
  const double sessions = a.sessions, pricing = a.pricing, opens = a.opens, clicks = a.clicks, forms = a.forms,
               downloads = a.downloads;
  const bool webinar = a.webinar, newsletter = a.newsletter, demo = a.demo;
  const std::int32_t last_activity = a.last_activity, created = a.created;
  const char *conversion = a.conversion, *status = a.status, *stage = a.stage;
  const std::string &time_on_site = a.time_on_site, &phone = a.phone;
  cells = {std::to_string(100000 + row),
           first,
           last,
           email,
           phone,
           title,
           company,
           rng.chance(0.7) ? "https://www." + domain : std::string(),
           rng.chance(0.95) ? industry->label : "",
           rng.chance(0.9) ? kSizes[size].written[rng.below(2)] : "",
           rng.chance(0.8) ? kSizes[size].revenue : "",
           place.country,
           rng.pick(place.cities),
           rng.pick(kSources),
           stage,
           status,
           count(sessions * (1 + rng.below(4))),
           count(sessions),
           count(pricing),
           time_on_site,
           count(opens),
           count(clicks),
           count(forms),
           count(downloads),
           webinar ? "Yes" : "No",
           newsletter ? "Yes" : "No",
           demo ? "Yes" : "No",
           conversion,
           format_date(last_activity),
           us_date(created),
           rng.chance(hidden == Hidden::Cold ? 0.08 : 0.02) ? "Yes" : "No",
           rng.pick(kNotes)};
}

}  // namespace

void generate_sample(const SampleOptions& options, const std::function<void(std::string_view)>& output) {
  Random rng(options.seed);
  Random free_rng(options.seed ^ 0x9E3779B97F4A7C15ull);  // free text's own draws
  std::string buffer;
  std::vector<std::string> cells;
  auto write_row = [&] {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) buffer.push_back(',');
      append_csv_cell(buffer, cells[i], ',');
    }
    buffer += "\r\n";
    if (buffer.size() >= (1u << 20)) {
      output(buffer);
      buffer.clear();
    }
  };
  cells.assign(kHeader.begin(), kHeader.end());
  if (options.truth_column) cells.emplace_back("Demo Temperature");
  write_row();

  for (std::size_t row = 0; row < options.rows; ++row) {
    const Person person = draw_person(rng);
    const Activity activity = draw_activity(rng, person, options.as_of);
    lead_cells(rng, row, person, activity, cells);
    if (options.free_text) write_freely(free_rng, person.size, cells[5], cells[9], cells[10]);
    if (options.truth_column) {
      cells.emplace_back(person.hidden == Hidden::Hot ? "hot" : person.hidden == Hidden::Warm ? "warm" : "cold");
    }
    write_row();
  }
  if (!buffer.empty()) output(buffer);
}

std::string generate_sample_csv(const SampleOptions& options) {
  std::string out;
  generate_sample(options, [&](std::string_view part) { out.append(part); });
  return out;
}

}  // namespace leadscore
