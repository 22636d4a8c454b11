/**
 * How the sandbox checks a contact's email the way HubSpot does. HubSpot states its rules once: the address must be
 * "valid according to RFC 2822", the local part may not be quoted, and "the domain part must end in a valid TLD"
 * from IANA's list (https://legacydocs.hubspot.com/docs/faq/how-does-hubspot-validate-email-addresses, repeated by
 * HubSpot staff in community.hubspot.com/t5/APIs-Integrations/contacts-integration-invalid-e-mails/td-p/833439).
 * Refused in the wild: `…@ymail.con` (HubspotCommunity/hubspot-ruby#231), `…@dsadsa.dasdas` (mautic/mautic#1074),
 * `tb.tb@yahoo.comtttt` (the community thread above), each for its TLD.
 *
 * Each rule says whether a plain syntax check can know it (`syntax`) or it needs what HubSpot knows (`hubspot`: the
 * TLD list), and whether HubSpot states it or the sandbox infers it from the RFC it names. The first rule broken is
 * reported; the message is HubSpot's `Email address {value} is invalid` (as seen in its answers;
 * https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis documents the shape).
 */
import { domainToUnicode } from "node:url";
import { TOP_LEVEL_DOMAINS } from "./tlds.js";

export const EMAIL_RULES = {
  oneAt: { kind: "syntax", source: "RFC 2822 addr-spec (HubSpot: valid per RFC 2822)" },
  noSpaceOrControl: { kind: "syntax", source: "RFC 2822 atext has no spaces or control characters" },
  unquotedLocal: { kind: "syntax", source: "HubSpot: local parts cannot be quoted" },
  localCharacters: {
    kind: "syntax",
    source: "RFC 2822 dot-atom: atext and dots only (ASCII; inferred for UTF-8)",
  },
  localDots: { kind: "syntax", source: "RFC 2822 dot-atom: no leading, trailing or consecutive dots" },
  domainLabels: {
    kind: "syntax",
    source: "RFC 2822 dot-atom: no empty label (leading, trailing, double dot)",
  },
  domainCharacters: { kind: "syntax", source: "hostname letters, digits, hyphens (RFC 1123; inferred)" },
  labelHyphens: { kind: "syntax", source: "a label may not start or end with '-' (RFC 1123; inferred)" },
  twoLabels: {
    kind: "syntax",
    source: "a domain of one label is refused (inferred from 'end in a valid TLD')",
  },
  knownTld: { kind: "hubspot", source: "HubSpot: the domain must end in a TLD on IANA's list" },
} as const;

export type EmailRule = keyof typeof EMAIL_RULES;

/** RFC 2822 `atext` (letters, digits and these symbols). */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** A domain label: letters (any script, for internationalized names), digits and hyphens. */
const LABEL = /^[\p{L}\p{M}\p{N}-]+$/u;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

/** The first rule the address breaks, or undefined when HubSpot would take it. */
export function emailProblem(value: string): EmailRule | undefined {
  if (SPACE_OR_CONTROL.test(value)) return "noSpaceOrControl";
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return "oneAt";
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.startsWith('"') || local.endsWith('"')) return "unquotedLocal";
  if (local.includes("@")) return "oneAt";
  const localParts = local.split(".");
  if (localParts.some((part) => part === "")) return "localDots";
  if (!localParts.every((part) => ATEXT.test(part))) return "localCharacters";
  const labels = domain.split(".");
  if (labels.some((label) => label === "")) return "domainLabels";
  if (!labels.every((label) => LABEL.test(label))) return "domainCharacters";
  if (labels.some((label) => label.startsWith("-") || label.endsWith("-"))) return "labelHyphens";
  if (labels.length < 2) return "twoLabels";
  const last = (labels.at(-1) as string).toLowerCase();
  const tld = last.startsWith("xn--") ? domainToUnicode(last) : last;
  if (!TOP_LEVEL_DOMAINS.has(tld)) return "knownTld";
  return undefined;
}
