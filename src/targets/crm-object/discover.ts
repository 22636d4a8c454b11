/**
 * `discover`: the operations this HubSpot account can take, as a DESTINATION_CATALOG.
 *
 * 1. Read, side by side, the properties of CONTACT, COMPANY, DEAL and PRODUCT (`/crm/v3/properties/{typeId}`) and
 *    the custom object schemas (`/crm/v3/schemas`, properties inline).
 * 2. A failure that concerns one object (403 missing scope, 404, 5xx after retries) leaves that object out with a
 *    warning naming it and the reason; a failed schema list leaves out the custom objects (e.g. not Enterprise).
 * 3. A failure that concerns every object (the token rejected, the OAuth refresh refused) ends discover.
 * 4. Each object's properties become its operations (`operations.ts`): upserts, updates and archives by each
 *    matching key, updates and archives by record id (`by-id/discover.ts`), and a create (`append`,
 *    create-operation.ts) with the properties a create requires marked required; a deal's and ticket's pipeline
 *    and stage list their labels beside their ids. An object without a unique-value key gets no upsert, with a
 *    note saying how to give it one.
 * 5. If nothing could be read at all, the first failure ends discover instead of an empty catalog.
 * The objects read are answered too: the lists (segments) discover offers hold them (targets/list/operations.ts).
 */
import { type AnyConnectorError, isConnectorError } from "../../errors.js";
import { HubSpotApiError } from "../../hubspot/api-errors.js";
import { toConnectorError } from "../../hubspot/classify.js";
import type { HubSpotLog } from "../../hubspot/client.js";
import { describeObject, type ObjectDescription } from "../../mapping/json-schema.js";
import type { DiscoveredObject } from "../kind.js";
import { withRecordIdKey } from "./by-id/discover.js";
import { type DestinationOperation, objectOperations } from "./operations.js";
import { acceptPipelineLabels, createOperation } from "./create-operation.js";
import {
  PIPELINE_PROPERTIES,
  REQUIRED_LINKS_ON_CREATE,
  REQUIRED_ON_CREATE,
  STANDARD_OBJECT_NAMES,
  STANDARD_OBJECTS,
  type StandardObjectName,
} from "../../hubspot/policies.js";
import type { ObjectSchema, Property } from "../../hubspot/types.js";

/** What discover needs of the client. */
export interface CatalogSource {
  listProperties(objectType: string): Promise<Property[]>;
  listSchemas(): Promise<ObjectSchema[]>;
}

type ObjectRead = {
  objectName: string;
  objectTypeId: string | undefined;
  properties: Property[];
  builtInKey?: string | undefined;
  /** A custom object's schema's `requiredProperties`. */
  requiredProperties?: string[] | undefined;
};

/** Failures not tied to one object: the credentials themselves. */
function concernsEveryObject(error: unknown): boolean {
  return isConnectorError(error) || (error instanceof HubSpotApiError && error.status === 401);
}

export async function discoverOperations(
  source: CatalogSource,
  log: HubSpotLog,
): Promise<DestinationOperation[]> {
  return (await discoverObjects(source, log)).operations;
}

/** The operations, and the objects they were made from (which the lists discover offers hold). */
export async function discoverObjects(
  source: CatalogSource,
  log: HubSpotLog,
): Promise<{ operations: DestinationOperation[]; objects: DiscoveredObject[] }> {
  const { reads, failures } = await readObjects(source, log);
  const operations: DestinationOperation[] = [];
  const objects: DiscoveredObject[] = [];
  const seen = new Set<string>();
  for (const read of reads) {
    if (seen.has(read.objectName)) {
      log("WARN", `Discover left out a second object named ${read.objectName}: object names must be unique.`);
      continue;
    }
    seen.add(read.objectName);
    const description = describeObject(read.objectName, read.properties, { builtInKey: read.builtInKey });
    for (const { name, type } of description.unknownTypes) {
      log(
        "WARN",
        `Discover left out property ${name} of ${read.objectName}: its HubSpot type ${type} is not supported.`,
      );
    }
    objects.push({ objectName: read.objectName, objectTypeId: read.objectTypeId, description });
    operations.push(...withCreate(read, description, log));
  }
  const [firstFailure] = failures;
  if (operations.length === 0 && firstFailure !== undefined) throw firstFailure;
  return { operations, objects };
}

const standardName = (objectName: string) =>
  Object.hasOwn(STANDARD_OBJECTS, objectName) ? (objectName as StandardObjectName) : undefined;

/**
 * Step 4: the object's keyed operations, those by record id, then its create (`append`); the pipeline properties take labels. The
 * description the lists discover offers is left as read: labels are for the object's own operations.
 */
function withCreate(
  read: ObjectRead,
  description: ObjectDescription,
  log: HubSpotLog,
): DestinationOperation[] {
  const standard = standardName(read.objectName);
  const own = structuredClone(description);
  acceptPipelineLabels(own, read.properties, standard ? PIPELINE_PROPERTIES[standard] : undefined);
  const needs = standard
    ? {
        ...REQUIRED_ON_CREATE[standard],
        links: (REQUIRED_LINKS_ON_CREATE[standard] ?? []).map(
          (id) => STANDARD_OBJECT_NAMES.find((name) => STANDARD_OBJECTS[name].objectTypeId === id) ?? id,
        ),
      }
    : { all: read.requiredProperties ?? [] };
  const keyed = objectOperations(own);
  if (keyed.length === 0) {
    log(
      "INFO",
      `Discover offers no upsert of ${read.objectName}, only creates, and updates and archives by record id (hs_object_id): it has no writable unique-value property to upsert records by. Create one in HubSpot (a property with "Require unique values") to upsert.`,
    );
  }
  return [...withRecordIdKey(own, keyed), createOperation(own, needs)];
}

/** Steps 1-3: every object that could be read, and the failures that left the others out (each said). */
async function readObjects(
  source: CatalogSource,
  log: HubSpotLog,
): Promise<{ reads: ObjectRead[]; failures: AnyConnectorError[] }> {
  const standard = STANDARD_OBJECT_NAMES.map(async (objectName): Promise<ObjectRead[]> => {
    const { objectTypeId, builtInKey } = STANDARD_OBJECTS[objectName];
    return [{ objectName, objectTypeId, properties: await source.listProperties(objectTypeId), builtInKey }];
  });
  const custom = source.listSchemas().then((schemas) =>
    schemas.map((schema): ObjectRead => ({
      objectName: schema.name,
      objectTypeId: schema.objectTypeId,
      properties: schema.properties,
      requiredProperties: schema.requiredProperties,
    })),
  );
  const labels = [...STANDARD_OBJECT_NAMES, "custom objects"];
  const settled = await Promise.allSettled([...standard, custom]);
  const reads: ObjectRead[] = [];
  const failures: AnyConnectorError[] = [];
  settled.forEach((outcome, index) => {
    const label = labels[index] as string;
    if (outcome.status === "fulfilled") {
      reads.push(...outcome.value);
      return;
    }
    const isCustom = index === STANDARD_OBJECT_NAMES.length;
    const error = toConnectorError(outcome.reason, {
      operation: isCustom ? "listing the custom object schemas" : `reading the properties of ${label}`,
      objectName: isCustom ? undefined : label,
    });
    if (concernsEveryObject(outcome.reason)) throw error;
    failures.push(error);
    log("WARN", `Discover left out ${label}: ${error.message}`);
  });
  return { reads, failures };
}
