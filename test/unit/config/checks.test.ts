import { describe, expect, it } from "vitest";
import { closestKey } from "../../../src/config/closest-key.js";
import { parseConfig } from "../../../src/config/schema.js";
import { ConfigError } from "../../../src/errors.js";
import { pick, seeded } from "../../support/random.js";

const privateApp = { type: "Private App", access_token: "pat-na1-canary-secret" };

function parse(raw: unknown) {
  const warnings: string[] = [];
  const config = parseConfig(raw, (message) => warnings.push(message));
  return { config, warnings };
}

describe("unknown config keys", () => {
  it("are named at every depth with the closest known key, and nothing is warned for a clean config", () => {
    expect(parse({ credentials: privateApp }).warnings).toEqual([]);
    const { warnings } = parse({
      credentials: { ...privateApp, acess_token_x: 1 },
      batch_sise: 5,
      object_storage_config: {
        storage_type: "S3",
        s3_bucket_name: "b",
        s3_bucket_regoin: "eu-west-1",
        format: { format_typ: "CSV" },
      },
      events: { mappings: [{ source_event: "A", event_name: "a", event_propertes: [] }] },
      whatever: true,
    });
    expect(warnings).toEqual([
      "Unknown config key credentials.acess_token_x is ignored; did you mean credentials.access_token?",
      "Unknown config key batch_sise is ignored; did you mean batch_size?",
      "Unknown config key object_storage_config.s3_bucket_regoin is ignored; did you mean object_storage_config.s3_bucket_region?",
      "Unknown config key object_storage_config.format.format_typ is ignored; did you mean object_storage_config.format.format_type?",
      "Unknown config key events.mappings[0].event_propertes is ignored; did you mean events.mappings[0].event_properties?",
      "Unknown config key whatever is ignored.",
    ]);
  });

  it("suggests only keys near enough to be what was meant", () => {
    expect(closestKey("linger", ["linger_ms", "batch_size"])).toBe("linger_ms");
    expect(closestKey("zzz", ["linger_ms", "batch_size"])).toBeUndefined();
    expect(closestKey("BATCH_SIZE", ["batch_size"])).toBe("batch_size");
  });
});

/** Names of Object.prototype's members, which a config may hold as keys like any other. */
const PROTOTYPE_KEYS = [
  "constructor",
  "toString",
  "__proto__",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
] as const;

/** A config with an object at each depth a hostile key can be put in, known keys only. */
const deepConfig = () => ({
  credentials: { type: "Private App", access_token: "pat-na1-canary-secret" },
  object_storage_config: { storage_type: "S3", s3_bucket_name: "b", format: { format_type: "CSV" } },
  events: {
    mappings: [
      { source_event: "Signed Up", event_name: "signed_up", event_properties: [{ source: "plan" }] },
    ],
  },
  associations: [{ stream: "deals", field: "company", to_object: "COMPANY", to_key: "company_external_id" }],
  lists: { create_missing_lists: true },
  guards: { max_creates: 10 },
});

/** Where in `deepConfig()` an object sits, by path (as the warnings spell it) and how to reach it. */
const DEPTHS: { path: string; at: (config: ReturnType<typeof deepConfig>) => object }[] = [
  { path: "", at: (c) => c },
  { path: "credentials", at: (c) => c.credentials },
  { path: "object_storage_config", at: (c) => c.object_storage_config },
  { path: "object_storage_config.format", at: (c) => c.object_storage_config.format },
  { path: "events", at: (c) => c.events },
  { path: "events.mappings[0]", at: (c) => c.events.mappings[0] as object },
  {
    path: "events.mappings[0].event_properties[0]",
    at: (c) => c.events.mappings[0]?.event_properties[0] as object,
  },
  { path: "associations[0]", at: (c) => c.associations[0] as object },
  { path: "lists", at: (c) => c.lists },
  { path: "guards", at: (c) => c.guards },
];

const HOSTILE_VALUES = [1, "x", null, true, [], {}, { type: "OAuth" }, { def: {} }, [{ a: 1 }]];

describe("config keys named like Object.prototype's members", () => {
  it.each([1, 2, 3, 4, 5])(
    "are unknown keys warned about at every depth, never a crash, and change nothing (seed %i)",
    (seed) => {
      const random = seeded(seed);
      const config = deepConfig();
      const expected: string[] = [];
      for (let count = 0; count < 6; count += 1) {
        const depth = pick(random, DEPTHS);
        const key = pick(random, PROTOTYPE_KEYS);
        const target = depth.at(config) as Record<string, unknown>;
        if (Object.hasOwn(target, key)) continue;
        // An own data property, as JSON.parse makes one (an assignment to __proto__ would set the prototype).
        Object.defineProperty(target, key, { value: pick(random, HOSTILE_VALUES), enumerable: true });
        expected.push(`${depth.path ? `${depth.path}.` : ""}${key}`);
      }
      const raw: unknown = JSON.parse(JSON.stringify(config));
      const { config: parsed, warnings } = parse(raw);
      expect(parsed).toEqual(parse(deepConfig()).config);
      const named = warnings.map((warning) => /^Unknown config key (\S+) is ignored/.exec(warning)?.[1]);
      expect(named.sort()).toEqual(expected.sort());
    },
  );
});

describe("credentials without a type", () => {
  it("are OAuth when they hold OAuth fields, as Airbyte's spec defaults it", () => {
    const { config } = parse({ credentials: { client_id: "i", client_secret: "s", refresh_token: "r" } });
    expect(config.credentials.type).toBe("OAuth");
  });

  it("are a private app when they hold only an access token", () => {
    expect(parse({ credentials: { access_token: "pat-1" } }).config.credentials.type).toBe("Private App");
  });

  it("are OAuth, and so refused naming the missing fields, when they hold both kinds", () => {
    expect(() => parse({ credentials: { access_token: "pat-1", client_id: "i" } })).toThrow(
      /credentials\.client_secret/,
    );
  });
});

describe("secrets as pasted", () => {
  it("are trimmed of surrounding whitespace with a warning naming the field, never the value", () => {
    const { config, warnings } = parse({
      credentials: { ...privateApp, access_token: " pat-na1-canary-secret\r\n" },
    });
    expect(config.credentials).toMatchObject({ access_token: "pat-na1-canary-secret" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("credentials.access_token had surrounding whitespace (a line break (\\n))");
    expect(warnings.join()).not.toContain("canary");
  });

  it("trim S3 keys too", () => {
    const { config } = parse({
      credentials: privateApp,
      object_storage_config: {
        storage_type: "S3",
        s3_bucket_name: "b",
        access_key_id: "AKIA1\n",
        secret_access_key: "s\n",
      },
    });
    expect(config.object_storage_config).toMatchObject({ access_key_id: "AKIA1", secret_access_key: "s" });
  });

  it.each([
    [
      "access_token",
      { ...privateApp, access_token: "pat-na1\ncanary" },
      "credentials.access_token contains a line break (\\n) at character 8",
    ],
    [
      "client_secret",
      { type: "OAuth", client_id: "i", client_secret: "s\u0007t", refresh_token: "r" },
      "credentials.client_secret contains a control character (U+0007) at character 2",
    ],
    [
      "refresh_token",
      { type: "OAuth", client_id: "i", client_secret: "s", refresh_token: "r\u2014t" },
      "credentials.refresh_token contains a character outside Latin-1 (U+2014)",
    ],
    ["an empty token", { ...privateApp, access_token: " \n" }, "credentials.access_token: must not be empty"],
  ])(
    "refuse %s with a character a header cannot carry as a ConfigError naming the field",
    (_name, credentials, message) => {
      let error: unknown;
      try {
        parse({ credentials });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toContain("canary");
    },
  );
});
