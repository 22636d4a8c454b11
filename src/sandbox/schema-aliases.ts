/**
 * Which of HubSpot's schemas a request is checked against when the directory given to the sandbox has no file for
 * its own path family, and which served paths stay unchecked (the startup line names them).
 *
 * HubSpot publishes each family under several paths: the numbered one (`/crm/v3/objects/…`) and the dated ones
 * (`/crm/objects/2026-03/…`, `/crm/objects/2026-09/…`). Where the request schemas of every operation of a family are
 * the same in each (compared after dropping descriptions and examples: the 11 CRM objects operations of
 * crm-objects-v3.json, 2026-03/objects.json and 2026-09/objects.json; the 5 association batch operations of
 * crm-associations-v4.json and the dated associations.json), a request on one path is checked against the schema of
 * another. Lists and properties are not aliased: their create bodies differ between versions. Answers are never
 * aliased: the 2026-09 batch answers have no 207, the older ones do (crm-inputs.ts).
 */
import { API_VERSIONS } from "./paths.js";
import { OPERATIONS } from "./operations.js";

interface Alias {
  from: RegExp;
  /** Replacement templates, the preferred first. */
  to: readonly string[];
}

const DATED = [...API_VERSIONS].reverse();

const ALIASES: readonly Alias[] = [
  { from: /^\/crm\/v3\/objects\//, to: DATED.map((version) => `/crm/objects/${version}/`) },
  { from: /^\/crm\/objects\/[^/]+\//, to: DATED.map((version) => `/crm/objects/${version}/`) },
  {
    from: /^\/crm\/(?:v4\/associations|associations\/[^/]+)\/([^/]+)\/([^/]+)\/batch\//,
    to: ["v4/associations", ...DATED.map((version) => `associations/${version}`)].map(
      (prefix) => `/crm/${prefix}/$1/$2/batch/`,
    ),
  },
];

/** Other paths whose schemas may stand for `path`'s, the preferred first. */
export function aliasesOf(path: string): string[] {
  const alias = ALIASES.find((entry) => entry.from.test(path));
  if (!alias) return [];
  return alias.to.map((to) => path.replace(alias.from, to)).filter((other) => other !== path);
}

/** A served path template made concrete for matching, with its family, once per date version it stands for. */
function concrete(template: string): Array<{ family: string; path: string }> {
  const versions = template.includes("{version}") ? API_VERSIONS : [undefined];
  return versions.map((version) => {
    const dated = version ? template.replace("{version}", version) : template;
    const path = dated
      .replace(/\{(listId|associationTypeId)\}/g, "1")
      .replace(/\{(objectType|fromObjectType)\}/g, "contacts")
      .replace(/\{[^}]+\}/g, "companies");
    return { family: dated.split("/{")[0] as string, path };
  });
}

/**
 * The served path families (the path up to its first parameter, `/crm/v3/lists`) not every operation of which a
 * schema covers, as `/crm/v3/lists (0 of 14 operations checked)`, given a way to tell whether a path is covered.
 */
export function uncheckedFamilies(covers: (method: string, path: string) => boolean): string[] {
  const families = new Map<string, { checked: number; total: number }>();
  for (const operation of OPERATIONS) {
    for (const template of operation.paths) {
      for (const { family, path } of concrete(template)) {
        const counts = families.get(family) ?? { checked: 0, total: 0 };
        counts.total += 1;
        if (covers(operation.method, path)) counts.checked += 1;
        families.set(family, counts);
      }
    }
  }
  return [...families]
    .filter(([, counts]) => counts.checked < counts.total)
    .map(([family, { checked, total }]) => `${family} (${checked} of ${total} operations checked)`)
    .sort();
}
