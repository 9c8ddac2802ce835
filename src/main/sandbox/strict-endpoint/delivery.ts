/**
 * Where Cognito sends the confirmation code of a new user: to an attribute the pool auto-verifies
 * that the user gave (phone first when both are auto-verified, as Cognito prefers SMS), answered as
 * CodeDeliveryDetails with the destination masked. No such attribute: no code is sent, no details.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html
 * and docs/cognito.md#response
 */
import type { PoolRules } from './pool-rules';
import type { SignUpRequest } from './sign-up-request';
import { maskDestination } from './mask-destination';

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  AttributeName: 'email' | 'phone_number';
}

function valueOf(
  request: SignUpRequest,
  pool: PoolRules,
  name: 'email' | 'phone_number',
): string | undefined {
  const given = request.attributes.find((a) => a.name === name && a.value !== '')?.value;
  // A pool whose username is an email (phone number) stores the username in that attribute.
  return given ?? (pool.usernameAttributes.includes(name) ? request.username : undefined);
}

export function codeDeliveryFor(pool: PoolRules, request: SignUpRequest): CodeDeliveryDetails | null {
  const phone = pool.autoVerifiedAttributes.includes('phone_number')
    ? valueOf(request, pool, 'phone_number')
    : undefined;
  if (phone !== undefined) {
    return { Destination: maskDestination(phone), DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  }
  const email = pool.autoVerifiedAttributes.includes('email') ? valueOf(request, pool, 'email') : undefined;
  if (email !== undefined) {
    return { Destination: maskDestination(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  }
  return null;
}
