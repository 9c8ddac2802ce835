/**
 * Cognito's input rules for SignUp, checked before anything is sent — by the form (next to each
 * field), by main (which never trusts the renderer) and by the bulk import's dry run.
 * What each rule relies on: docs/cognito.md (#username, #password, #attributes, #validation-data).
 * Limits: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
 * Attributes: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
 */

/** The standard (OIDC) attributes a user pool can hold; anything else needs the `custom:` prefix. */
export const STANDARD_ATTRIBUTES = [
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'birthdate',
  'gender',
  'locale',
  'zoneinfo',
  'address',
  'picture',
  'profile',
  'website',
  'updated_at',
] as const;
export type StandardAttribute = (typeof STANDARD_ATTRIBUTES)[number];

export const LIMITS = {
  usernameMax: 128,
  passwordMax: 256,
  attributeNameMax: 32,
  /** After `custom:`. */
  customNameMax: 20,
  attributeValueMax: 2048,
} as const;

/** SignUp's Username pattern: letters, marks, symbols, numbers and punctuation only. */
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
/** The first character outside that pattern (whitespace, control, format, unassigned…). */
const NOT_USERNAME = /[^\p{L}\p{M}\p{S}\p{N}\p{P}]/u;
const WHITESPACE = /\s/u;
/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;
/** Deliberately loose: Cognito itself only checks the shape, the mailbox is proven by the code. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BIRTHDATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** OIDC's updated_at: seconds since 1970-01-01T00:00:00Z, a whole number. */
const EPOCH_SECONDS = /^\d{1,12}$/;

/** Names of characters a person cannot see, so a message can say which one is there. */
const INVISIBLE_NAMES: Record<number, string> = {
  0x00ad: 'soft hyphen',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x2060: 'word joiner',
  0xfeff: 'zero-width no-break space (BOM)',
};

/** "U+200B (zero-width space)", "U+0009 (tab)", "a space". */
function describeCharacter(char: string): string {
  if (char === ' ') return 'a space';
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name =
    INVISIBLE_NAMES[code] ??
    (code === 9
      ? 'tab'
      : code === 10 || code === 13
        ? 'line break'
        : code < 32 || code === 127
          ? 'control character'
          : /\s/u.test(char)
            ? 'whitespace'
            : 'invisible character');
  return `${hex} (${name})`;
}

const STANDARD_ATTRIBUTE_SET: ReadonlySet<string> = new Set(STANDARD_ATTRIBUTES);

export function isStandardAttribute(name: string): name is StandardAttribute {
  return STANDARD_ATTRIBUTE_SET.has(name);
}

/** Each check returns a message saying what to fix, or null when the value is fine. */
export function checkUsername(value: string): string | null {
  if (value.length === 0) return 'Enter a username.';
  if (value.length > LIMITS.usernameMax)
    return `A username can be at most ${LIMITS.usernameMax} characters (this one has ${value.length}).`;
  if (USERNAME.test(value)) return null;
  const bad = NOT_USERNAME.exec(value);
  const where =
    bad === null
      ? ''
      : ` It has ${describeCharacter(bad[0])} at position ${[...value.slice(0, bad.index)].length + 1}.`;
  if (bad !== null && WHITESPACE.test(bad[0]))
    return `A username cannot contain spaces or other whitespace.${where}`;
  return `A username can hold only letters, marks, numbers, symbols and punctuation — no invisible or control characters.${where}`;
}

/**
 * Cognito counts a space inside a password as a special character, so only leading or trailing
 * whitespace is refused (docs/cognito.md#password).
 */
export function checkPassword(value: string): string | null {
  if (value.length === 0) return 'Enter a password.';
  if (value.length > LIMITS.passwordMax) return `A password can be at most ${LIMITS.passwordMax} characters.`;
  if (WHITESPACE.test(value.charAt(0)) || WHITESPACE.test(value.charAt(value.length - 1)))
    return 'A password cannot start or end with a space or other whitespace.';
  return null;
}

export function checkAttributeName(name: string): string | null {
  if (name.length === 0) return 'Enter the attribute name.';
  if (name.length > LIMITS.attributeNameMax)
    return `An attribute name can be at most ${LIMITS.attributeNameMax} characters.`;
  if (isStandardAttribute(name)) return null;
  if (!name.startsWith('custom:'))
    return `"${name}" is not a standard attribute: custom attributes need the "custom:" prefix (custom:${name}).`;
  if (name.length === 'custom:'.length) return 'Name the custom attribute after "custom:".';
  if (name.length - 'custom:'.length > LIMITS.customNameMax)
    return `A custom attribute's name can be at most ${LIMITS.customNameMax} characters after "custom:".`;
  return null;
}

export interface PhoneProblem {
  message: string;
  /** A corrected value when the mangling can be undone with confidence. */
  suggestion?: string;
}

/**
 * Spreadsheets turn +441234567890 into 4.41235E+11 or 441234567890: say so and, where the digits
 * survived, suggest the fix instead of a generic "invalid phone".
 */
export function checkPhone(value: string): PhoneProblem | null {
  if (E164.test(value)) return null;
  if (/^\d(\.\d+)?E\+\d+$/i.test(value))
    return {
      message: `"${value}" looks like a phone number a spreadsheet turned into scientific notation; the digits are lost. Re-export the column as text (E.164, e.g. +441234567890).`,
    };
  // "+44 (0) 7700 900125": the (0) is the national trunk prefix, never dialled after the country code.
  const digits = value.replace(/\(0\)/g, '').replace(/[\s().-]/g, '');
  if (/^\d{8,15}$/.test(digits) && !digits.startsWith('0'))
    return {
      message: `"${value}" is missing the leading "+" and country code format E.164 needs (a spreadsheet often drops it).`,
      suggestion: `+${digits}`,
    };
  if (/^\+[1-9]\d{1,14}$/.test(digits))
    return {
      message: `"${value}" has spaces or punctuation; E.164 is "+" and digits only.`,
      suggestion: digits,
    };
  return {
    message: `"${value}" is not a phone number in E.164 format (a "+", the country code, then digits).`,
  };
}

export function checkAttributeValue(name: string, value: string): string | null {
  if (value.length > LIMITS.attributeValueMax)
    return `An attribute value can be at most ${LIMITS.attributeValueMax} characters.`;
  if (value.length === 0) return 'Enter a value or remove the attribute.';
  if (name === 'email' && !EMAIL.test(value)) return `"${value}" is not an email address (name@example.com).`;
  if (name === 'phone_number') return checkPhone(value)?.message ?? null;
  if (name === 'birthdate') return checkBirthdate(value);
  if (name === 'updated_at' && !EPOCH_SECONDS.test(value))
    return `"${value}" is not a time for updated_at: it is a number of seconds since 1970-01-01 (e.g. 1735689600).`;
  return null;
}

function checkBirthdate(value: string): string | null {
  const parts = BIRTHDATE.exec(value);
  if (parts === null) return 'A birthdate is written YYYY-MM-DD.';
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return `"${value}" is not a date in the calendar (YYYY-MM-DD).`;
  return null;
}

export interface NameValue {
  name: string;
  value: string;
}

/** What the form and the CLI send; the same shape main validates and the import builds per row. */
export interface SignUpInput {
  username: string;
  /** Absent: a passwordless user, for pools that offer passwordless sign-in (docs/cognito.md#password). */
  password?: string | undefined;
  attributes: NameValue[];
  validationData: NameValue[];
  clientMetadata: NameValue[];
  analyticsEndpointId?: string | undefined;
  userContextData?: { ipAddress?: string | undefined; encodedData?: string | undefined } | undefined;
}

/**
 * Field path → message. Paths: `username`, `password`, `attributes.3.name`, `attributes.3.value`,
 * `validationData.0.name`, `clientMetadata.1.name`, `analyticsEndpointId`, `userContextData.ipAddress`.
 */
export type FieldErrors = Record<string, string>;

export function validateSignUpInput(input: SignUpInput): FieldErrors {
  const errors: FieldErrors = {};
  const put = (path: string, message: string | null): void => {
    if (message !== null && errors[path] === undefined) errors[path] = message;
  };
  put('username', checkUsername(input.username));
  // Password is optional in SignUp (docs/cognito.md#password): checked only when given.
  if (input.password !== undefined) put('password', checkPassword(input.password));
  const seen = new Set<string>();
  input.attributes.forEach((attribute, i) => {
    put(`attributes.${i}.name`, checkAttributeName(attribute.name));
    if (seen.has(attribute.name)) put(`attributes.${i}.name`, `"${attribute.name}" is given twice.`);
    seen.add(attribute.name);
    put(`attributes.${i}.value`, checkAttributeValue(attribute.name, attribute.value));
  });
  for (const list of ['validationData', 'clientMetadata'] as const) {
    input[list].forEach((pair, i) => {
      if (pair.name.trim().length === 0) put(`${list}.${i}.name`, 'Enter a name or remove the row.');
      // ValidationData entries are AttributeType in the service model: names up to 32 characters.
      else if (list === 'validationData' && pair.name.length > LIMITS.attributeNameMax)
        put(
          `${list}.${i}.name`,
          `A validation data name can be at most ${LIMITS.attributeNameMax} characters.`,
        );
    });
  }
  const ip = input.userContextData?.ipAddress;
  if (ip !== undefined && ip !== '' && !isIpAddress(ip))
    put('userContextData.ipAddress', `"${ip}" is not an IPv4 or IPv6 address.`);
  return errors;
}

function isIpAddress(value: string): boolean {
  const v4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
  return v4.test(value) || (/^[0-9a-f:.]+$/i.test(value) && value.includes(':'));
}
