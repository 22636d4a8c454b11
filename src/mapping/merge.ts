/**
 * Two writes of one record in one batch become one input, so they must merge the way HubSpot would apply them one
 * after the other (https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide): a later value replaces
 * an earlier one, except a multiple-checkbox value starting with `;`, which adds its options to whatever the earlier
 * write left.
 */

const options = (value: string) => value.split(";").filter((part) => part !== "");

/** The value that has the effect of writing `earlier` and then `later` to a multiple-checkbox property. */
export function mergeCheckboxValue(earlier: string | undefined, later: string): string {
  if (!later.startsWith(";") || earlier === undefined) return later;
  const union = [...new Set([...options(earlier), ...options(later)])].join(";");
  // An earlier append is still an append to the stored value; an earlier replacement (or clear) is not.
  return earlier.startsWith(";") ? `;${union}` : union;
}
