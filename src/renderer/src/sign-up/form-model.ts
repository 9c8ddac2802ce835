/**
 * The sign-up form's state and how it becomes the SignUpInput main receives. Error paths from
 * validateSignUpInput (and main's "invalid" results) are indexes into the built input; `fieldKey`
 * turns them back into the form field that produced them, so each message lands next to its field.
 */
import { STANDARD_ATTRIBUTES, type SignUpInput } from '@shared/signup-rules';
import type { Row } from '../lib/rows';

/** Shown as fields from the start; the other standard attributes are added from a picker. */
export const COMMON_ATTRIBUTES = [
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'birthdate',
  'locale',
] as const;

export const OTHER_ATTRIBUTES: readonly string[] = STANDARD_ATTRIBUTES.filter(
  (name) => !(COMMON_ATTRIBUTES as readonly string[]).includes(name),
);

export const CUSTOM_PREFIX = 'custom:';

export interface SignUpForm {
  username: string;
  password: string;
  /** Standard attribute name → value; empty values are not sent. */
  standard: Record<string, string>;
  /** Standard attributes added from the picker, in the order added. */
  added: string[];
  /** Custom attributes; `name` is what follows "custom:". */
  custom: Row[];
  validationData: Row[];
  clientMetadata: Row[];
  analyticsEndpointId: string;
  ipAddress: string;
  encodedData: string;
}

export function emptyForm(): SignUpForm {
  return {
    username: '',
    password: '',
    standard: Object.fromEntries(COMMON_ATTRIBUTES.map((name) => [name, ''])),
    added: [],
    custom: [],
    validationData: [],
    clientMetadata: [],
    analyticsEndpointId: '',
    ipAddress: '',
    encodedData: '',
  };
}

export interface Built {
  input: SignUpInput;
  /** Maps an error path of `input` to the form's field key. */
  fieldKey: (path: string) => string;
}

/** Field keys: `username`, `password`, `attr.<name>`, `custom.<rowKey>.name|value`, and the input's own paths otherwise. */
export function buildInput(form: SignUpForm): Built {
  const attributes: { name: string; value: string }[] = [];
  const origins: { name: string; value: string }[] = [];
  for (const name of [...COMMON_ATTRIBUTES, ...form.added]) {
    const value = form.standard[name] ?? '';
    if (value.length === 0) continue;
    attributes.push({ name, value });
    origins.push({ name: `attr.${name}`, value: `attr.${name}` });
  }
  for (const row of form.custom) {
    const suffix = row.name.startsWith(CUSTOM_PREFIX) ? row.name.slice(CUSTOM_PREFIX.length) : row.name;
    attributes.push({ name: `${CUSTOM_PREFIX}${suffix}`, value: row.value });
    origins.push({ name: `custom.${row.key}.name`, value: `custom.${row.key}.value` });
  }
  const input: SignUpInput = {
    username: form.username,
    password: form.password,
    attributes,
    validationData: form.validationData.map(({ name, value }) => ({ name, value })),
    clientMetadata: form.clientMetadata.map(({ name, value }) => ({ name, value })),
  };
  if (form.analyticsEndpointId.length > 0) input.analyticsEndpointId = form.analyticsEndpointId;
  if (form.ipAddress.length > 0 || form.encodedData.length > 0) {
    input.userContextData = {};
    if (form.ipAddress.length > 0) input.userContextData.ipAddress = form.ipAddress;
    if (form.encodedData.length > 0) input.userContextData.encodedData = form.encodedData;
  }
  const fieldKey = (path: string): string => {
    const match = /^attributes\.(\d+)\.(name|value)$/.exec(path);
    if (match === null) return path;
    const origin = origins[Number(match[1])];
    if (origin === undefined) return path;
    return match[2] === 'name' ? origin.name : origin.value;
  };
  return { input, fieldKey };
}

/** Re-keys an error map (input paths → messages) by form field; the first message per field wins. */
export function byField(
  errors: Record<string, string>,
  fieldKey: (path: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) out[fieldKey(path)] ??= message;
  return out;
}

/** Field keys that live in the collapsed "advanced" section. */
export function isAdvanced(key: string): boolean {
  return /^(validationData|clientMetadata|analyticsEndpointId|userContextData)/.test(key);
}
