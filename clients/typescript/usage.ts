// What the frontend team's code relies on, written against the generated types: if a change to
// the API breaks this file, `scripts/client-check` (run by CI) fails before their build does.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/api";

type Schemas = components["schemas"];

// The frontend's calls are written from the types alone (openapi-fetch checks paths, parameters,
// bodies and answers against them).
const api = createClient<paths>({ baseUrl: "https://api.example.org" });

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

// A 422 names every invalid field at once; the website shows each beside its field, in its own
// words where it has them (by the stable `code`), else the service's English `message`.
const ownWords: Partial<Record<Schemas["FieldCode"], string>> = {
  required: "Please fill this in.",
  invalid_email: "Please check the email address.",
  invalid_url: "Please give a full link, starting with https://.",
  invalid_length: "This is too long or too short.",
  consent_required: "Please tick the box to go on.",
};

export function fieldErrors(problem: Schemas["Problem"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problem.errors ?? []) {
    out[e.field] = ownWords[e.code] ?? e.message;
  }
  return out;
}

// What the registration page tells a person, each refusal told apart by its problem `type`.
export type RegistrationOutcome =
  | { ok: true; code: string; waitlisted: boolean }
  | { ok: false; message: string; fields?: Record<string, string>; retryAfterSeconds?: number };

export async function register(
  slug: string,
  body: Schemas["RegistrationInput"],
  idempotencyKey: string,
): Promise<RegistrationOutcome> {
  const { data, error, response } = await api.POST("/api/v1/conferences/{slug}/registrations", {
    params: { path: { slug }, header: { "Idempotency-Key": idempotencyKey } },
    body,
  });
  if (data) {
    return { ok: true, code: data.code, waitlisted: data.status === "waitlisted" };
  }
  const type: Schemas["ProblemType"] = error.type;
  switch (type) {
    case "/problems/already-registered":
      return { ok: false, message: "You are already registered: your confirmation email has your code." };
    case "/problems/sales-not-started":
      return { ok: false, message: "Registration of this type has not opened yet." };
    case "/problems/sales-ended":
      return { ok: false, message: "Registration of this type has closed; another type may still be open." };
    case "/problems/conference-not-open":
      return { ok: false, message: "Registration for this conference is not open." };
    case "/problems/request-in-flight":
      return register(slug, body, idempotencyKey); // the same key answers the first request's outcome
    case "/problems/validation-failed":
      return { ok: false, message: "Please check the highlighted fields.", fields: fieldErrors(error) };
    case "/problems/form-limit-reached":
      return {
        ok: false,
        message: "Too many tries from here; please wait a moment.",
        retryAfterSeconds: Number(response.headers.get("Retry-After") ?? "60"),
      };
    default:
      // A type the website does not know yet: told by its status, in the service's words.
      return { ok: false, message: error.detail };
  }
}

// The newsletter: always 202 for a valid form (whether or not the address is known), then the
// confirmation link's token.
export async function subscribe(email: string): Promise<Record<string, string> | "check your inbox"> {
  const { error } = await api.POST("/api/v1/newsletter/subscriptions", {
    body: { email, consent: true },
  });
  if (error) {
    return error.type === "/problems/validation-failed" ? fieldErrors(error) : { email: error.detail };
  }
  return "check your inbox";
}

export async function confirm(token: string): Promise<boolean> {
  const { data } = await api.POST("/api/v1/newsletter/confirm", { body: { token } });
  return data?.status === "subscribed";
}

// The library page: a search with its sidebar (facets with counts, the vocabularies' own words).
export async function libraryPage(q: string, topic: string[]): Promise<string[]> {
  const [list, taxonomy] = await Promise.all([
    api.GET("/api/v1/resources", { params: { query: { q, topic, include: "facets", per_page: 20 } } }),
    api.GET("/api/v1/taxonomy"),
  ]);
  if (!list.data || !taxonomy.data) {
    return [];
  }
  const headings = taxonomy.data.vocabularies.map((v) => v.heading);
  return [...headings, ...sidebar(list.data), `page ${list.data.meta.page} of ${list.data.meta.total_pages}`];
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
