/**
 * Secret scrubbing shared by every place that shows text to people: the protocol writer, HTTP errors, logs.
 * A secret is replaced in its raw, URL-encoded, URL-decoded and JSON-escaped forms.
 */

export const REDACTED = "[redacted]";

/** Secrets shorter than this are not scrubbed: replacing "a" everywhere would mangle messages and protect nothing. */
const MIN_SECRET_LENGTH = 4;

export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  return [
    ...new Set([secret, safeDecode(secret), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]),
  ];
}

/** Every form of every secret, worked out once for callers that scrub many texts (the stdout writer). */
export function allSecretForms(secrets: readonly (string | undefined)[]): string[] {
  return [...new Set(secrets.flatMap((secret) => (secret ? secretForms(secret) : [])))];
}

/** Replaces every occurrence of the given forms in a text. */
export function scrubForms(text: string, forms: readonly string[]): string {
  let result = text;
  for (const form of forms) {
    if (form && result.includes(form)) result = result.split(form).join(REDACTED);
  }
  return result;
}

/** Replaces every occurrence of the secrets in a text. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  return scrubForms(text, allSecretForms(secrets));
}

/**
 * The set of secrets a run must never show, growing as it learns them (an OAuth access token obtained mid-run):
 * one per run, shared by the stdout writer, the stderr log and the rejects store's reasons.
 */
export class SecretMask {
  private forms: string[] = [];

  add(...secrets: readonly (string | undefined)[]): void {
    this.forms = [...new Set([...this.forms, ...allSecretForms(secrets)])];
  }

  apply(text: string): string {
    return this.forms.length === 0 ? text : scrubForms(text, this.forms);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
