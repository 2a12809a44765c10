// What the frontend team's code relies on, written against the generated types: if a change to
// the API breaks this file, `scripts/client-check` (run by CI) fails before their build does.
import type { components, paths } from "./generated/api";

type Schemas = components["schemas"];

type ResourceList =
  paths["/api/v1/resources"]["get"]["responses"]["200"]["content"]["application/json"];

export function sidebar(list: ResourceList): string[] {
  const facets = list.meta.facets;
  const domains = facets ? facets.domains.map((f) => `${f.label} (${f.count})`) : [];
  return [...domains, ...list.data.map((r: Schemas["ResourceJson"]) => `${r.title} ${r.resource_type.label}`)];
}

export function citationYear(r: Schemas["ResourceJson"]): number | null {
  const year: number | null | undefined = r.year;
  return year ?? null;
}

export function fieldErrors(problem: Schemas["Problem"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problem.errors ?? []) {
    out[e.field] = e.message;
  }
  return out;
}

export const suggestion: Schemas["SuggestionInput"] = {
  title: "Pipeline programs",
  url: "https://example.org/article",
  why: "It belongs.",
  submitter_name: "Ada",
  submitter_email: "ada@example.org",
  consent_to_contact: true,
};

export const signup: Schemas["SubscribeInput"] = { email: "ada@example.org", consent: true };

export function seatsLeft(edition: Schemas["ConferenceJson"]): number {
  return edition.registration_types.reduce((n, t) => n + t.seats_left, 0);
}

export function waitlisted(receipt: Schemas["RegistrationReceipt"]): boolean {
  return receipt.status === "waitlisted" && receipt.waitlist_position !== null;
}

export function champions(page: paths["/api/v1/champions"]["get"]["responses"]["200"]["content"]["application/json"]): string[] {
  return page.data.map((c) => `${c.name}, ${c.profession.label}`);
}
