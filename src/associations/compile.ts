/**
 * Checks the config's `associations` against the run and the portal before any record is read, and compiles each
 * entry into a LinkSpec. Everything wrong is the user's to fix, a ConfigError naming the entry:
 *
 * 1. The stream must be configured (in raw pipe mode it is `stdin`) and write CRM records; a `soft_delete` stream
 *    needs no links (HubSpot removes an archived record's links), so its entries are skipped with a warning.
 * 2. The field must not be the stream's matching key (it is never written as a property).
 * 3. `to_key` must be a unique-value property of `to_object` (or `email` for contacts), or `hs_object_id`: the
 *    record id, looked up by id so that a merged id links to its survivor (hubspot/read-by-key.ts).
 * 4. The pair must be one HubSpot can associate, and a label must be one of the pair's (read once per pair).
 */
import { ConfigError } from "../errors.js";
import type { WriteTarget } from "../contract.js";
import type { Property } from "../hubspot/types.js";
import { streamKey } from "../protocol/stream-key.js";
import { converterFor } from "../mapping/convert-value.js";
import { convertEmail } from "../mapping/email.js";
import { parseRecordId, RECORD_ID_PROPERTY } from "../mapping/record-id.js";
import type { AssociationEntryConfig } from "../config/associations.js";
import { describeLabels, findLabel, type PairTypes } from "./labels.js";
import type { AssociationTypeRef, LinkSpec } from "./types.js";

/** What compiling needs of the run: its targets, the objects it may link to, and a way to read a pair's types. */
export interface CompileContext {
  /** The run's targets by stream key. */
  targets: ReadonlyMap<string, WriteTarget>;
  /** Objects by the name the config uses (as `resolveObjects` answers them). */
  objects: ReadonlyMap<string, { objectType: string; properties: readonly Property[] }>;
  dateTimeZone: string;
  readPairTypes(from: string, to: string): Promise<PairTypes>;
  warn(message: string): void;
}

const streamKeyOf = (entry: AssociationEntryConfig) => streamKey(entry.stream, entry.namespace);

export const entryName = (entry: AssociationEntryConfig, index: number) =>
  `associations[${index}] (${streamKeyOf(entry)}.${entry.field} → ${entry.to_object})`;

/** The compiled entries by stream key, in config order. */
export async function compileAssociations(
  entries: readonly AssociationEntryConfig[],
  context: CompileContext,
): Promise<Map<string, LinkSpec[]>> {
  const pairs = new Map<string, Promise<PairTypes>>();
  const typesOf = (from: string, to: string) => {
    const key = `${from}>${to}`;
    if (!pairs.has(key)) pairs.set(key, context.readPairTypes(from, to));
    return pairs.get(key) as Promise<PairTypes>;
  };
  const compiled = new Map<string, LinkSpec[]>();
  for (const [index, entry] of entries.entries()) {
    const spec = await compileEntry(entry, entryName(entry, index), context, typesOf);
    if (spec) compiled.set(spec.streamKey, [...(compiled.get(spec.streamKey) ?? []), spec]);
  }
  return compiled;
}

async function compileEntry(
  entry: AssociationEntryConfig,
  name: string,
  context: CompileContext,
  typesOf: (from: string, to: string) => Promise<PairTypes>,
): Promise<LinkSpec | undefined> {
  const problem = (text: string) => new ConfigError(`${name}: ${text}`);
  const streamKey = streamKeyOf(entry);
  const target = context.targets.get(streamKey);
  if (!target) {
    const known = [...context.targets.keys()].join(", ");
    throw problem(
      `no configured stream is ${streamKey} (the streams are ${known}; in raw pipe mode the stream is stdin).`,
    );
  }
  if (!target.linkable)
    throw problem(`stream ${streamKey} sends ${target.objectName}, not CRM records, so it cannot be linked.`);
  if (target.mode === "archive") {
    context.warn(
      `${name} is skipped: stream ${streamKey} archives its records, and HubSpot removes an archived record's links itself.`,
    );
    return undefined;
  }
  if (entry.field === target.idProperty) {
    throw problem(
      `${entry.field} is the stream's matching key; an association field is never written as a property, so map the key twice in the source and link by the copy.`,
    );
  }
  const object = context.objects.get(entry.to_object);
  if (!object) throw problem(`HubSpot has no object ${entry.to_object}.`);
  const convertKey = keyConverter(entry, object.properties, context.dateTimeZone, problem);
  const types = await typesOf(target.objectType, object.objectType);
  const { unlabeled, type, labelName } = entryType(entry, target.objectName, types, problem);
  return {
    name,
    streamKey,
    field: entry.field,
    fromObjectType: target.objectType,
    toObjectName: entry.to_object,
    toObjectType: object.objectType,
    toKey: entry.to_key,
    convertKey,
    type,
    labelled: type.typeId !== unlabeled.typeId,
    labelName,
    unlabeled,
    replace: entry.replace,
  };
}

const plain = ({ category, typeId }: AssociationTypeRef): AssociationTypeRef => ({ category, typeId });

/** Rule 4: the pair's unlabeled type, and the type the entry writes (its label's, when it names one). */
function entryType(
  entry: AssociationEntryConfig,
  fromObject: string,
  types: PairTypes,
  problem: (text: string) => ConfigError,
): { unlabeled: AssociationTypeRef; type: AssociationTypeRef; labelName: string | undefined } {
  if (!types.unlabeled) {
    const answer = types.refusal ? ` (HubSpot answered: ${types.refusal})` : "";
    throw problem(`HubSpot cannot associate ${fromObject} with ${entry.to_object}${answer}.`);
  }
  const unlabeled = plain(types.unlabeled);
  if (entry.label === undefined) return { unlabeled, type: unlabeled, labelName: undefined };
  const found = findLabel(types, entry.label);
  if (!found) {
    throw problem(
      `${JSON.stringify(entry.label)} is not an association label from ${fromObject} to ${entry.to_object}; its labels are ${describeLabels(types)}.`,
    );
  }
  const labelName = types.labels.find((label) => label.typeId === found.typeId)?.label;
  return { unlabeled, type: plain(found), labelName };
}

/** The to_key property's converter, as the target stream's mapper applies it to its matching key. */
function keyConverter(
  entry: AssociationEntryConfig,
  properties: readonly Property[],
  zone: string,
  problem: (text: string) => ConfigError,
): LinkSpec["convertKey"] {
  // A record id links to the record with that id (the lookup follows a merged id to its survivor).
  if (entry.to_key === RECORD_ID_PROPERTY) return parseRecordId;
  const property = properties.find((candidate) => candidate.name === entry.to_key);
  const contactEmail = entry.to_object.toUpperCase() === "CONTACT" && entry.to_key === "email";
  if (property && (property.hasUniqueValue === true || contactEmail)) {
    return entry.to_key === "email" ? convertEmail : converterFor(property, zone);
  }
  const unique = properties
    .filter((candidate) => candidate.hasUniqueValue === true)
    .map((candidate) => candidate.name);
  if (entry.to_object.toUpperCase() === "CONTACT") unique.unshift("email");
  unique.push(RECORD_ID_PROPERTY);
  const choices = unique.length > 0 ? unique.join(", ") : "none; create one in HubSpot";
  throw problem(
    `${entry.to_key} is ${property ? "not a unique-value property" : "not a property"} of ${entry.to_object}, so records cannot be found by it. Its unique-value properties: ${choices}.`,
  );
}
