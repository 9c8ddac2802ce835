/**
 * The value formats Cognito holds email and phone_number to (and usernames, in pools whose
 * username is an email or a phone number). phone_number is E.164: `+`, country code, digits.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html
 */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

export function isPhoneNumber(value: string): boolean {
  return /^\+[1-9]\d{4,14}$/.test(value);
}
