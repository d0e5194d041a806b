/**
 * The gateway signs events on behalf of their agency, with that agency's key
 * (`<HUB_DATA_DIR>/signing/<AGENCY>.pem`, created on first use): a signature covers the exact
 * bytes published, so the projector and an auditor can check them without trusting the gateway
 * after the fact. The relay signs what it sends together in batches per agency (one Ed25519
 * signature over a Merkle root, a proof per message); other senders sign message by message.
 */
import { loadOrCreateSigningKey, signatureHeaders, signTogether, type SigningKey } from '@hub/platform';

export type SignatureHeaders = readonly (readonly [string, string])[];

export interface EventSigner {
  /** One message signed alone. */
  sign(this: void, subject: string, body: Uint8Array): SignatureHeaders;
  /** Messages sent together: one batch per agency; the headers of each message, in order. */
  signBatch(this: void, messages: readonly { subject: string; body: Uint8Array }[]): SignatureHeaders[];
  /** The keys in use, for registration by the committee office. */
  keys(): SigningKey[];
}

// enf.evt.<AGENCY>.<type>.<uscc>
const agencyOf = (subject: string): string => subject.split('.', 3)[2] ?? '';

export function createEventSigner(dataDir: string, agencies: readonly string[]): EventSigner {
  const keys = new Map(agencies.map((a) => [a, loadOrCreateSigningKey(dataDir, a)]));
  const keyOf = (agency: string) => {
    let key = keys.get(agency);
    if (key === undefined) {
      key = loadOrCreateSigningKey(dataDir, agency);
      keys.set(agency, key);
    }
    return key;
  };
  return {
    sign: (subject, body) => signatureHeaders(keyOf(agencyOf(subject)), body),
    signBatch: (messages) =>
      signTogether(messages.map((m) => ({ key: keyOf(agencyOf(m.subject)), body: m.body }))),
    keys: () => [...keys.values()],
  };
}
