/**
 * The rules of the proxy's fast in-memory mode without cognito-local (benchmarks): the registered
 * clients, and for every pool Cognito's defaults with email auto-verified, so answers carry the
 * CodeDeliveryDetails a typical pool gives.
 */
import {
  DEFAULT_PASSWORD_POLICY,
  poolRulesFrom,
  type ClientRules,
} from '../../src/main/sandbox/strict-endpoint/pool-rules';
import type { RulesSource } from '../../src/main/sandbox/strict-endpoint/rules-reader';

export function fastRules(): RulesSource {
  const clients = new Map<string, ClientRules>();
  return {
    client: (clientId) => Promise.resolve(clients.get(clientId) ?? null),
    pool: (poolId) =>
      Promise.resolve(
        poolRulesFrom({
          Id: poolId,
          AutoVerifiedAttributes: ['email'],
          Policies: {
            PasswordPolicy: {
              MinimumLength: DEFAULT_PASSWORD_POLICY.minimumLength,
              RequireUppercase: true,
              RequireLowercase: true,
              RequireNumbers: true,
              RequireSymbols: true,
            },
          },
        }),
      ),
    registerClient: (rules) => {
      clients.set(rules.clientId, { ...rules });
    },
    forget: () => undefined,
  };
}
