/**
 * Where HubSpot's live behaviour, as its own documentation shows it, differs from its published OpenAPI schemas. This
 * is the one list of them: the schema check (schema-check.ts) drops exactly these problems, for requests (the
 * sandbox accepts what HubSpot documents it accepts) and for answers (the sandbox answers what HubSpot documents it
 * answers). Every entry names its source.
 */

export interface Deviation {
  direction: "request" | "response";
  /** The spec operation, matched against `METHOD /template` (`POST /crm/v3/objects/{objectType}/search`). */
  operation: RegExp;
  /** Where the problem is: matched against its JSON pointer, array indexes replaced by `*` (`/inputs/*` + `/id`). */
  at: RegExp;
  /** The JSON Schema keywords that fail (`required`, `type`, several as `required|oneOf`). */
  keyword: string;
  /** What HubSpot does instead, in a sentence. */
  behaviour: string;
  source: string;
}

const SEARCH = /^POST \/crm\/(v3\/objects|objects\/[^/]+)\/[^/]+\/search$/;
const CREATE = /^POST \/crm\/(v3\/objects|objects\/[^/]+)\/[^/]+(\/batch\/create)?$/;
const SEARCH_GUIDE = "https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm";
/** Every association v4 operation: the batch, labels and one-record paths, legacy and dated. */
const ASSOCIATIONS =
  /^(PUT|GET|POST|DELETE) \/crm\/(v4\/|associations\/|objects\/[^/]+\/[^/]+\/[^/]+\/associations)/;
const ASSOCIATIONS_GUIDE =
  "https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associations-v4/guide";

export const SCHEMA_DEVIATIONS: readonly Deviation[] = [
  {
    direction: "request",
    operation: SEARCH,
    at: /^\/(after|limit|properties|sorts|filterGroups)$/,
    keyword: "required",
    behaviour:
      "A search body needs none of after, limit, properties, sorts or filterGroups: the guide's examples send only filterGroups, or only query.",
    source: SEARCH_GUIDE,
  },
  {
    direction: "request",
    operation: SEARCH,
    at: /^\/sorts\/\*$/,
    keyword: "type",
    behaviour:
      'A sort is an object, {"propertyName": "createdate", "direction": "DESCENDING"}, not a string.',
    source: SEARCH_GUIDE,
  },
  {
    direction: "request",
    operation: CREATE,
    at: /^(\/inputs\/\*)?\/associations$/,
    keyword: "required",
    behaviour: "A create needs no associations: the objects guides create records with properties alone.",
    source: "https://developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/guide",
  },
  {
    direction: "response",
    operation: /batch\/(read|upsert|update|create)$/,
    at: /^\/errors\/\*\/(errors|links)$/,
    keyword: "required",
    behaviour:
      "The error items of a batch answer carry status, category, message and context only; HubSpot says every error field 'should be treated as optional' and its live 207s omit errors and links.",
    source: "https://developers.hubspot.com/docs/api-reference/error-handling",
  },
  {
    direction: "response",
    operation: ASSOCIATIONS,
    at: /(^|\/)(fromObjectId|toObjectId)$/,
    keyword: "type",
    behaviour:
      "Association answers give record ids as numbers (toObjectId: 12345), as the associations guide's examples do.",
    source: ASSOCIATIONS_GUIDE,
  },
  {
    direction: "response",
    operation: ASSOCIATIONS,
    at: /(^|\/)label$/,
    keyword: "type",
    behaviour: "An unlabeled association type has label null, as the associations guide's examples show.",
    source: ASSOCIATIONS_GUIDE,
  },
  {
    direction: "response",
    operation: /^POST \/oauth\/v1\/token$/,
    at: /^(\/token_use)?$/,
    keyword: "required|oneOf",
    behaviour:
      "A v1 refresh answers {token_type, refresh_token, access_token, expires_in}, as the OAuth v1 reference shows, without the token_use the schema requires.",
    source:
      "https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/refresh-oauth-token",
  },
  {
    direction: "response",
    operation: SEARCH,
    at: /^\/results\/\*\/properties\/[^/]+$/,
    keyword: "type",
    behaviour:
      "Search results carry null for an asked property the record has no value for; the 2026-09 schema allows it, the older ones say string.",
    source: SEARCH_GUIDE,
  },
];

/** The problems no deviation covers. */
export function excused<P extends { at: string; keyword: string }>(
  direction: Deviation["direction"],
  operation: string,
  problems: P[],
): P[] {
  const applying = SCHEMA_DEVIATIONS.filter(
    (deviation) => deviation.direction === direction && deviation.operation.test(operation),
  );
  if (applying.length === 0) return problems;
  return problems.filter((problem) => {
    const at = problem.at.replace(/\/\d+(?=\/|$)/g, "/*");
    return !applying.some(
      (deviation) => deviation.keyword.split("|").includes(problem.keyword) && deviation.at.test(at),
    );
  });
}
