// The built-in model for B2B lead lists: the signals of ../docs/model.md (engagement: visits, pricing
// page, emails, forms, downloads, webinars, demo/contact/quote requests, recency; fit: title
// seniority, buying role, company size, industry, revenue, business email), with the thresholds
// and plays of the cold / warm / hot funnel.
#include "leadscore/model.hpp"

namespace leadscore {

const std::string& default_model_json() {
  static const std::string kJson = R"json({
  "leadscore_model": 1,
  "name": "Default B2B model",
  "description": "Fit to a mid-market B2B profile plus recent engagement. Hot needs both: a buying signal and a decision-maker at a company of the right size.",
  "domain_lists": {
    "competitors": [],
    "staff": []
  },
  "fit": {
    "max_points": 70,
    "rules": [
      {"id": "decision_maker_title", "label": "Decision-maker title", "field": "job_title", "group": "seniority", "points": 25,
       "contains_any": ["chief", "ceo", "cfo", "cto", "cmo", "coo", "cio", "cro", "founder", "co-founder", "cofounder", "owner", "president", "vp", "svp", "evp", "vice president", "head of", "director", "partner", "managing director", "general manager", "entrepreneur", "businessman", "businesswoman"]},
      {"id": "manager_title", "label": "Manager-level title", "field": "job_title", "group": "seniority", "points": 12,
       "contains_any": ["manager", "management", "team lead", "lead engineer", "lead developer", "senior", "supervisor", "principal", "self-employed"]},
      {"id": "professional_title", "label": "Professional title", "field": "job_title", "group": "seniority", "points": 5,
       "contains_any": ["professional", "specialist", "analyst", "engineer", "consultant", "associate", "coordinator", "administrator", "admin", "technician", "developer", "executive"]},
      {"id": "not_in_work", "label": "Not in work", "field": "job_title", "points": -15,
       "contains_any": ["unemployed", "retired", "housewife", "homemaker", "between jobs"]},
      {"id": "no_title", "label": "No job title", "field": "job_title", "present": true, "points": 0, "missing_points": -5},
      {"id": "buyer_role", "label": "Decision-maker or budget holder", "field": "seniority", "group": "buying_role", "points": 20,
       "contains_any": ["decision maker", "budget holder", "executive sponsor", "economic buyer", "champion", "executive", "c-level", "c-suite", "director", "vp", "owner", "partner"]},
      {"id": "influencer_role", "label": "Influences the purchase", "field": "seniority", "group": "buying_role", "points": 10,
       "contains_any": ["influencer", "evaluator", "recommender", "technical buyer", "manager", "senior"]},
      {"id": "company_size", "label": "Company size", "field": "employees",
       "bands": [
         {"at_least": 1000, "points": 25, "label": "Enterprise (1,000+ employees)"},
         {"at_least": 200, "below": 1000, "points": 20, "label": "Mid-market (200-999 employees)"},
         {"at_least": 50, "below": 200, "points": 12, "label": "Growing company (50-199 employees)"},
         {"at_least": 10, "below": 50, "points": 5, "label": "Small company (10-49 employees)"},
         {"below": 10, "points": -10, "label": "Very small company (under 10 employees)"}
       ]},
      {"id": "target_industry", "label": "Target industry", "field": "industry", "points": 15,
       "contains_any": ["software", "saas", "technology", "information technology", "it", "it services", "internet", "computer", "telecommunications", "telecom", "financial services", "finance", "financial", "banking", "fintech", "insurance", "consulting", "professional services", "marketing", "e-commerce", "ecommerce", "e-business"]},
      {"id": "revenue", "label": "Annual revenue", "field": "annual_revenue",
       "bands": [
         {"at_least": 100000000, "points": 15, "label": "Revenue of $100M or more"},
         {"at_least": 10000000, "below": 100000000, "points": 10, "label": "Revenue of $10M-$100M"},
         {"at_least": 1000000, "below": 10000000, "points": 5, "label": "Revenue of $1M-$10M"}
       ]},
      {"id": "company_named", "label": "Company name given", "field": "company", "present": true, "points": 5},
      {"id": "free_mail", "label": "Personal (free-mail) address", "field": "email", "domain_in": ["@free_mail"], "points": -10}
    ]
  },
  "engagement": {
    "max_points": 80,
    "decay": {"half_life_days": 60, "date_field": "last_activity_date"},
    "rules": [
      {"id": "demo_request", "label": "Requested a demo", "field": "demo_requested", "is": true, "points": 30,
       "decay": {"half_life_days": 90, "date_field": "last_activity_date"}},
      {"id": "quote_request", "label": "Asked for a quote", "field": "quote_requested", "is": true, "points": 30,
       "decay": {"half_life_days": 90, "date_field": "last_activity_date"}},
      {"id": "contact_request", "label": "Asked to be contacted", "field": "contact_requested", "is": true, "points": 25,
       "decay": {"half_life_days": 90, "date_field": "last_activity_date"}},
      {"id": "intent_conversion", "label": "Converted on a buying-intent form", "field": "recent_conversion", "group": "intent", "points": 25,
       "contains_any": ["demo", "quote", "pricing", "contact", "trial", "consultation", "meeting", "call", "talk to sales"]},
      {"id": "intent_activity", "label": "Last activity shows buying intent", "field": "last_activity", "group": "intent", "points": 20,
       "contains_any": ["demo", "quote", "pricing", "trial", "form submitted", "phone conversation", "meeting", "call", "converted to lead", "sms sent"]},
      {"id": "engaged_activity", "label": "Last activity shows interest", "field": "last_activity", "group": "intent", "points": 8,
       "contains_any": ["email opened", "email link clicked", "link clicked", "page visited", "chat", "visited booth", "webinar", "download", "resubscribed"]},
      {"id": "negative_activity", "label": "Last activity was negative", "field": "last_activity", "points": -10, "decay": false,
       "contains_any": ["unsubscribed", "bounced", "marked spam", "unreachable"]},
      {"id": "pricing_page", "label": "Visited the pricing page", "field": "pricing_page_visits", "per_unit": 10, "cap": 20},
      {"id": "visits", "label": "Website visits", "field": "sessions", "per_unit": 2, "cap": 16},
      {"id": "page_views", "label": "Page views", "field": "page_views", "per_unit": 0.5, "cap": 8},
      {"id": "pages_per_visit", "label": "Pages per visit", "field": "pages_per_visit",
       "bands": [
         {"at_least": 4, "points": 6, "label": "4+ pages per visit"},
         {"at_least": 2, "below": 4, "points": 3, "label": "2-4 pages per visit"}
       ]},
      {"id": "time_on_site", "label": "Time on site", "field": "time_on_site",
       "bands": [
         {"at_least": 1200, "points": 12, "label": "20+ minutes on the site"},
         {"at_least": 600, "below": 1200, "points": 8, "label": "10-20 minutes on the site"},
         {"at_least": 180, "below": 600, "points": 4, "label": "3-10 minutes on the site"}
       ]},
      {"id": "email_opens", "label": "Email opens", "field": "email_opens", "per_unit": 1, "cap": 6},
      {"id": "email_clicks", "label": "Email clicks", "field": "email_clicks", "per_unit": 3, "cap": 12},
      {"id": "forms", "label": "Form submissions", "field": "form_submissions", "per_unit": 6, "cap": 18},
      {"id": "downloads", "label": "Downloaded content", "field": "content_downloads", "per_unit": 5, "cap": 15},
      {"id": "webinar", "label": "Attended a webinar", "field": "webinar_attended", "is": true, "points": 10},
      {"id": "newsletter", "label": "Newsletter subscriber", "field": "newsletter_subscribed", "is": true, "points": 5},
      {"id": "recently_active", "label": "Active in the last 14 days", "field": "last_activity_date", "within_days": 14, "points": 8, "decay": false},
      {"id": "gone_quiet", "label": "No activity for 6 months", "field": "last_activity_date", "older_than_days": 180, "points": -10, "decay": false},
      {"id": "opted_out", "label": "Opted out of email", "field": "email_opt_out", "is": true, "points": -10, "decay": false},
      {"id": "rejected_by_sales", "label": "Marked unqualified by sales", "field": "lead_status", "points": -15, "decay": false,
       "contains_any": ["unqualified", "disqualified", "not interested", "bad timing", "junk", "closed - not converted", "closed lost"]}
    ]
  },
  "disqualifiers": [
    {"id": "competitor", "label": "Competitor", "field": "email", "domain_in": ["@competitors"], "reason": "Works for a competitor"},
    {"id": "own_staff", "label": "Own staff", "field": "email", "domain_in": ["@staff"], "reason": "Internal address (own staff)"},
    {"id": "disposable_email", "label": "Disposable email", "field": "email", "domain_in": ["@disposable"], "reason": "Disposable or test email address"},
    {"id": "invalid_email", "label": "Invalid email", "field": "email", "invalid_email": true, "reason": "Invalid email address"},
    {"id": "student", "label": "Student", "field": "job_title", "contains_any": ["student", "intern", "internship"], "reason": "Student or intern: not a buyer"}
  ],
  "segments": {
    "method": "thresholds",
    "weights": {"fit": 0.5, "engagement": 0.5},
    "warm": 30,
    "hot": 60,
    "hot_requires": {"fit": 40, "engagement": 40}
  },
  "temperatures": {
    "cold": {"label": "Cold", "stage": "awareness", "next_action": "Educate: blog posts, guides and intro videos; keep in the nurture pool"},
    "warm": {"label": "Warm", "stage": "consideration", "next_action": "Nurture: case studies, webinars, comparisons and an email sequence"},
    "hot": {"label": "Hot", "stage": "decision", "next_action": "Hand to sales: call, personalised demo or trial", "sla_hours": 24}
  }
}
)json";
  return kJson;
}

}  // namespace leadscore
