/**
 * The parts of a SignUp request body the checks read. Lenient on purpose: a body that is not a
 * JSON object still gives a request (empty fields) plus the `problem` to answer it with, so a
 * wrapping hook sees every call. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
 */
import { AwsError, isRecord } from './wire';

export interface Attribute {
  name: string;
  value: string;
}

export interface SignUpRequest {
  clientId: string;
  username: string;
  /** Undefined when the request carries none. */
  password: string | undefined;
  secretHash: string | undefined;
  attributes: Attribute[];
  /** Set when the body cannot be a SignUp request at all. */
  problem: AwsError | null;
}

function attributesOf(value: unknown): Attribute[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((a) => ({
    name: typeof a['Name'] === 'string' ? a['Name'] : '',
    value: typeof a['Value'] === 'string' ? a['Value'] : '',
  }));
}

export function parseSignUpRequest(body: Buffer): SignUpRequest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    json = null;
  }
  if (!isRecord(json)) {
    return {
      clientId: '',
      username: '',
      password: undefined,
      secretHash: undefined,
      attributes: [],
      problem: new AwsError('SerializationException', 'Malformed request body'),
    };
  }
  const text = (key: string): string | undefined => (typeof json[key] === 'string' ? json[key] : undefined);
  const clientId = text('ClientId');
  const username = text('Username');
  return {
    clientId: clientId ?? '',
    username: username ?? '',
    password: text('Password'),
    secretHash: text('SecretHash'),
    attributes: attributesOf(json['UserAttributes']),
    problem:
      clientId === undefined || username === undefined
        ? new AwsError('InvalidParameterException', 'ClientId and Username are required')
        : null,
  };
}
