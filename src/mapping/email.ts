/**
 * Email addresses: normalised as HubSpot stores them (trimmed, lower-cased), and refused locally only when HubSpot
 * would surely refuse them too. A refused address in an email-keyed contact batch fails the whole request
 * ("Partial upserts are not supported when using email as the idProperty",
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis), so every address caught here saves
 * a request; an address HubSpot might accept must never be caught here (a new top-level domain, an unusual but valid
 * local part), so the checks are plain syntax.
 *
 * HubSpot states its rule: the address must be valid according to RFC 2822, its local part may not be quoted,
 * and its domain must end in a TLD on IANA's list (legacydocs.hubspot.com "How does HubSpot validate email
 * addresses?"). Refused here, as surely invalid under that rule: no `@`, or more than one (a second `@` needs
 * quotes, which HubSpot refuses); nothing before or after the `@`; a quoted local part; whitespace or control
 * characters; a local part with a leading, trailing or doubled dot or one of RFC 2822's specials `()<>[]:;,\"`;
 * a domain with no dot, or with an empty label (`a@x..com`, `a@.x.com`, `a@x.com.`); over 254 characters (RFC
 * 5321's path limit). Left to HubSpot: the TLD list (new TLDs appear), and anything RFC 2822 allows.
 */
import { isRawNumber } from "../exact-json.js";
import { describeValue, problem, REJECTION_CODES as CODES, type ValueProblem } from "./codes.js";
import { checkString, exactNumberText } from "./convert-value.js";

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
export const MAX_EMAIL_LENGTH = 254;

// Any Unicode white space or control character: HubSpot's address check refuses them (a pasted tab, a NUL).
const SPACE_OR_CONTROL = /[\s\p{Cc}]/u;

// RFC 2822's specials that an unquoted local part cannot hold (besides `@`, `.` and white space).
const LOCAL_SPECIALS = /[()<>[\]:;,\\"]/;

/** Why an address is surely invalid, or undefined when HubSpot may accept it. */
export function emailSyntaxProblem(address: string): string | undefined {
  const at = address.lastIndexOf("@");
  if (at < 0) return "it has no @";
  if (at === 0) return "nothing comes before the @";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (domain === "") return "nothing comes after the @";
  if (SPACE_OR_CONTROL.test(address)) return "it contains white space or a control character";
  if (address.length > MAX_EMAIL_LENGTH) return `it is longer than ${MAX_EMAIL_LENGTH} characters`;
  if (local.startsWith('"')) return "its local part is quoted, which HubSpot does not accept";
  if (local.includes("@")) return "it has more than one @";
  if (local.split(".").some((part) => part === ""))
    return "its local part has a leading, trailing or double dot";
  if (LOCAL_SPECIALS.test(local)) return "its local part holds a character RFC 2822 allows only in quotes";
  if (!domain.includes(".")) return "its domain has no dot";
  if (domain.split(".").some((label) => label === "")) return "its domain has an empty label";
  return undefined;
}

/**
 * The email property's converter: only a string (or a number, which fails the syntax check with a clear reason)
 * is taken, so a JSON object is never turned into text by its own `toString` (which a record can booby-trap).
 */
export function convertEmail(value: unknown): string | ValueProblem {
  if (typeof value !== "string" && typeof value !== "number") {
    const what =
      value === null
        ? "null"
        : Array.isArray(value)
          ? "an array"
          : isRawNumber(value)
            ? "a number"
            : `a ${typeof value}`;
    return problem(CODES.INVALID_EMAIL, `is ${what}, not an email address`);
  }
  const text = typeof value === "string" ? value : exactNumberText(value);
  if (typeof text !== "string") return problem(CODES.INVALID_EMAIL, `is a number, not an email address`);
  const checked = checkString(text.trim().toLowerCase());
  if (typeof checked !== "string") return checked;
  const why = emailSyntaxProblem(checked);
  if (why === undefined) return checked;
  return problem(CODES.INVALID_EMAIL, `Email address ${describeValue(checked)} is invalid: ${why}`);
}
