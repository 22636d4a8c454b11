/**
 * One record under two keys in one batch: a contact's primary address and one of its secondary addresses
 * (`hs_additional_emails`), which HubSpot resolves like the primary one ("Secondary email addresses can be used to
 * look up contacts in the same way primary email addresses can", https://integrate.hubspot.com/t/email-or-pk-for-contact-api/11846).
 * HubSpot refuses such a batch whole ("Duplicate IDs found in batch input", collisions.ts `sameRecordKeys`), and
 * only that refusal tells the connector which keys they are.
 *
 * 1. Inputs whose keys are known to name one record are merged into one input before sending: the earliest's key,
 *    each later one's values applied after it with the stream's merge rule (so later values win, as if HubSpot had
 *    written them one after the other). The same key twice is merged so too, without a request.
 * 2. A refusal naming keys of the batch that name one record teaches them, and the batch is sent again merged: one
 *    extra request per refusal, and each refusal names at least one such pair. Never a bisection.
 * 3. Each input of a merged one has its outcome (a later one `updated`: the earlier one made or found the record).
 * What is learnt lasts for one batch (with its isolation), never longer: addresses move between contacts.
 */
import type { RecordMapper, WireInput, WriteTarget } from "../../contract.js";
import { sameRecordKeys } from "../../hubspot/collisions.js";
import { asRefusal, type Outcomes } from "../../hubspot/isolate.js";

type Send = (inputs: readonly WireInput[]) => Promise<Outcomes>;
type Merge = NonNullable<RecordMapper["merge"]>;

const replace: Merge = (into, later) => Object.assign(into, later);

/** Whether a target's keys are email addresses, which HubSpot compares trimmed and lower-cased. */
const keyedByEmail = (target: WriteTarget) => target.idProperty === "email";

export const keyOf = (target: WriteTarget) =>
  keyedByEmail(target) ? (key: string) => key.trim().toLowerCase() : (key: string) => key;

/**
 * The properties sent for an input. An email-keyed write never sends `email` equal to its key: the key already
 * says which contact (and a new one gets it as its address), while the address sent may be one of the contact's
 * secondary ones, and what HubSpot does with a contact's email set to its own secondary address is unknown (HubSpot's
 * own upsert example sends no `email`: https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis).
 */
export function sentProperties(target: WriteTarget, input: WireInput): Record<string, string> {
  if (!keyedByEmail(target)) return input.properties;
  const { email, ...rest } = input.properties;
  return email === undefined || keyOf(target)(email) === keyOf(target)(input.id) ? rest : input.properties;
}

/** A batch's inputs grouped by record: each group's first input leads, the others were later in the batch. */
type Group = WireInput[];

/** A sender that merges the inputs of a batch that name one record, learning which do from HubSpot's refusals. */
export function mergingSameRecord(
  target: WriteTarget,
  send: Send,
  merge: Merge = replace,
  onExtraRequest?: () => void,
): Send {
  const normalize = keyOf(target);
  /** Key → the key of the earliest input of the batch that names the same record. */
  const leaders = new Map<string, string>();
  const leaderOf = (input: WireInput) => leaders.get(normalize(input.id)) ?? normalize(input.id);
  return async (inputs) => {
    for (;;) {
      const groups = new Map<string, Group>();
      for (const input of inputs) {
        const group = groups.get(leaderOf(input));
        if (group) group.push(input);
        else groups.set(leaderOf(input), [input]);
      }
      const merged = [...groups.values()].map((group) => mergeGroup(target, group, merge));
      try {
        return spread(await send(merged), groups);
      } catch (error) {
        const refusal = asRefusal(error);
        const keys = refusal && sameRecordKeys(refusal.body ?? {}, refusal.status, merged, normalize);
        if (!keys) throw error;
        learn(
          leaders,
          keys,
          merged.map((input) => normalize(input.id)),
        );
        onExtraRequest?.();
      }
    }
  };
}

/** Every key of `keys` (and whatever already followed one of them) now follows the earliest of them in `order`. */
function learn(leaders: Map<string, string>, keys: ReadonlySet<string>, order: readonly string[]): void {
  const leader = order.find((key) => keys.has(key)) as string;
  for (const [key, current] of leaders) if (keys.has(current)) leaders.set(key, leader);
  for (const key of keys) if (key !== leader) leaders.set(key, leader);
}

/** One input for a group: the leader's key and trace id, each later input's values applied in order. */
function mergeGroup(target: WriteTarget, group: Group, merge: Merge): WireInput {
  const [first, ...later] = group as [WireInput, ...WireInput[]];
  if (later.length === 0) return first;
  const properties = { ...first.properties };
  for (const input of later) {
    // A later input's key is another name of the record, not a new value for it.
    const { [target.idProperty]: _key, ...values } = input.properties;
    merge(properties, values);
  }
  return { traceId: first.traceId, id: first.id, properties };
}

/** Each input's outcome from its group's. */
function spread(outcomes: Outcomes, groups: ReadonlyMap<string, Group>): Outcomes {
  for (const [first, ...later] of groups.values() as Iterable<[WireInput, ...WireInput[]]>) {
    const outcome = outcomes.get(first.traceId);
    if (!outcome) continue;
    const follows = outcome.status === "written" ? { ...outcome, effect: "updated" as const } : outcome;
    for (const input of later) outcomes.set(input.traceId, follows);
  }
  return outcomes;
}
