/**
 * Masks CodeDeliveryDetails.Destination the way Cognito does (cognito-local returns it in clear):
 * an email keeps the first character of the local part and of the domain (`a***@e***`), a phone
 * number keeps its `+` and last four digits (`+*******1234`).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CodeDeliveryDetailsType.html
 */
export function maskDestination(destination: string): string {
  const at = destination.indexOf('@');
  if (at > 0) {
    return `${destination.slice(0, 1)}***@${destination.slice(at + 1, at + 2)}***`;
  }
  const digits = destination.replace(/^\+/, '');
  if (digits.length > 4) return `+${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return '***';
}
