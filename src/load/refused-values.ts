/**
 * Values HubSpot refused earlier in the run. A VALIDATION_ERROR that names a property is about that value, so
 * the same value of the same property of the same object will be refused again: such records are rejected
 * locally with HubSpot's own code and reason, without spending a request (and, for email-keyed contacts, without
 * failing a whole batch). Bounded: the oldest entries are forgotten past `capacity`.
 *
 * An email address HubSpot refuses although it passes every syntax rule HubSpot states (RFC 2822, an unquoted
 * local part of plain ASCII characters) can only be refused for its domain (HubSpot: "the domain part must end
 * in a valid TLD"), so its domain is remembered too: `…@gmail.con` refused once refuses the next `…@gmail.con`.
 */
import { isCollisionCode, type Rejection, type WriteTarget } from "../contract.js";
import { emailSyntaxProblem } from "../mapping/email.js";

/** @default 10_000 refused values remembered per run */
export const REFUSED_VALUES_CAPACITY = 10_000;

const NOTE = " (HubSpot refused this value earlier in the run, so it was not sent again)";

export class RefusedValues {
  /** Insertion order doubles as age: the first entry is the oldest. */
  private readonly entries = new Map<string, Rejection>();
  /** Properties with at least one refused value, per object type: the only ones worth looking up. */
  private readonly fields = new Map<string, Set<string>>();
  /** Records rejected locally because of an earlier refusal. */
  hits = 0;

  constructor(private readonly capacity = REFUSED_VALUES_CAPACITY) {}

  /** Remembers the value a HubSpot rejection is about, when it names one. */
  learn(target: WriteTarget, rejection: Rejection, properties: Readonly<Record<string, string>>): void {
    const field = rejection.field;
    if (!target.screensValues || field === undefined || rejection.httpStatus === undefined) return;
    if (rejection.category !== "VALIDATION_ERROR" || isCollisionCode(rejection.code)) return;
    const value = properties[field];
    if (value === undefined || value === "") return;
    this.remember(target.objectType, field, value, rejection);
    const domain = rejection.code === "INVALID_EMAIL" ? refusedDomain(value) : undefined;
    if (domain !== undefined) this.remember(target.objectType, EMAIL_DOMAIN, domain, rejection);
  }

  private remember(objectType: string, field: string, value: string, rejection: Rejection): void {
    const key = entryKey(objectType, field, value);
    this.entries.delete(key);
    this.entries.set(key, rejection);
    let names = this.fields.get(objectType);
    if (!names) this.fields.set(objectType, (names = new Set()));
    names.add(field);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** HubSpot's earlier rejection of one of these values, or undefined. */
  check(target: WriteTarget, properties: Readonly<Record<string, string>>): Rejection | undefined {
    // A list member is written whatever its properties say (they matter only if its record must be created).
    if (!target.screensValues) return undefined;
    const names = this.fields.get(target.objectType);
    if (!names) return undefined;
    for (const field of names) {
      const value = field === EMAIL_DOMAIN ? domainOf(properties.email) : properties[field];
      if (value === undefined || value === "") continue;
      const earlier = this.entries.get(entryKey(target.objectType, field, value));
      if (earlier) {
        this.hits += 1;
        // HubSpot's code, field and category; no HTTP status, since this record was not sent.
        const { httpStatus: _sent, ...reason } = earlier;
        return { ...reason, message: earlier.message + NOTE };
      }
    }
    return undefined;
  }
}

const entryKey = (objectType: string, field: string, value: string) =>
  `${objectType}\u0000${field}\u0000${value}`;

/** The pseudo-field under which refused email domains are remembered (no property can be named so). */
const EMAIL_DOMAIN = "\u0000email-domain";

// RFC 2822 atext and dots only: a local part HubSpot's stated rules cannot refuse.
const PLAIN_LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

const domainOf = (address: string | undefined) => {
  const at = address?.lastIndexOf("@") ?? -1;
  return address !== undefined && at > 0 ? address.slice(at + 1).toLowerCase() : undefined;
};

/** The domain to blame for a refused address, when nothing else about the address can be what HubSpot refused. */
function refusedDomain(address: string): string | undefined {
  if (emailSyntaxProblem(address) !== undefined) return undefined;
  const at = address.lastIndexOf("@");
  return PLAIN_LOCAL_PART.test(address.slice(0, at)) ? domainOf(address) : undefined;
}
