/**
 * A seeded generator of dirty contact batches keyed by email: in each batch of `batchSize` distinct keys, pairs of a
 * contact's primary and secondary addresses, the same key twice (in another case), values of `external_id` that
 * another contact holds, and good records. It answers the contacts HubSpot holds beforehand, the records, and what
 * a correct write leaves: each contact's values (later records winning) and the records rejected.
 */
import { seeded } from "./random.js";

export interface IdentityBatchOptions {
  seed: number;
  batches: number;
  batchSize?: number;
  pairs?: number;
  duplicates?: number;
  collisions?: number;
}

export interface IdentityBatches {
  /** Contacts to create before the run. */
  existing: Record<string, string>[];
  /** The records' data, in input order. */
  records: Record<string, string>[];
  /** Primary address → the values the contact must hold after the run. */
  expected: Map<string, Record<string, string>>;
  /** The keys of the records that must be rejected as UNIQUE_VALUE_TAKEN. */
  collided: string[];
}

/** A record and the contact (by primary address) it must end up in; none for one that collides. */
interface Planned {
  data: Record<string, string>;
  contact: string | undefined;
}

export function identityBatches(options: IdentityBatchOptions): IdentityBatches {
  const { seed, batches, batchSize = 100, pairs = 3, duplicates = 3, collisions = 2 } = options;
  const random = seeded(seed);
  const result: IdentityBatches = { existing: [], records: [], expected: new Map(), collided: [] };
  const good = batchSize - 2 * pairs - duplicates - collisions - 1;
  let serial = 0;
  const value = () => `v${(serial++).toString(36)}`;
  for (let batch = 0; batch < batches; batch += 1) {
    const planned: Planned[] = [];
    for (let i = 0; i < good; i += 1) {
      const email = `g${batch}-${i}@example.com`;
      planned.push({ data: { email, firstname: value(), external_id: `X-${batch}-${i}` }, contact: email });
    }
    for (let i = 0; i < pairs; i += 1) {
      const [primary, secondary] = [`p${batch}-${i}@example.com`, `s${batch}-${i}@example.com`];
      result.existing.push({ email: primary, hs_additional_emails: secondary, lastname: "before" });
      planned.push({ data: { email: primary, firstname: value(), lastname: value() }, contact: primary });
      planned.push({ data: { email: secondary, lastname: value() }, contact: primary });
    }
    for (let i = 0; i < duplicates; i += 1) {
      const email = `d${batch}-${i}@example.com`;
      planned.push({ data: { email, firstname: value(), lastname: value() }, contact: email });
      planned.push({ data: { email: email.toUpperCase(), firstname: value() }, contact: email });
    }
    for (let i = 0; i < collisions; i += 1) {
      const held = `H-${batch}-${i}`;
      result.existing.push({ email: `h${batch}-${i}@example.com`, external_id: held });
      planned.push({ data: { email: `c${batch}-${i}@example.com`, external_id: held }, contact: undefined });
    }
    shuffle(planned, random);
    // A fresh key last: the batch fills with it, so every record above is in this batch.
    const last = `z${batch}@example.com`;
    planned.push({ data: { email: last, firstname: value() }, contact: last });
    for (const { data, contact } of planned) {
      result.records.push(data);
      if (contact === undefined) result.collided.push(data.email as string);
      else {
        const { email: _key, ...values } = data;
        result.expected.set(contact, { ...result.expected.get(contact), ...values });
      }
    }
  }
  return result;
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
