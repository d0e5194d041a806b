/**
 * The gateway signs each event on behalf of its agency, with that agency's key
 * (`<HUB_DATA_DIR>/signing/<AGENCY>.pem`, created on first use): the signature covers the exact
 * bytes published, so the projector and an auditor can check them without trusting the gateway
 * after the fact.
 */
import { loadOrCreateSigningKey, signatureHeaders, type SigningKey } from '@hub/platform';

export interface EventSigner {
  sign(this: void, subject: string, body: Uint8Array): readonly (readonly [string, string])[];
  /** The keys in use, for registration by the committee office. */
  keys(): SigningKey[];
}

export function createEventSigner(dataDir: string, agencies: readonly string[]): EventSigner {
  const keys = new Map(agencies.map((a) => [a, loadOrCreateSigningKey(dataDir, a)]));
  return {
    sign(subject, body) {
      // enf.evt.<AGENCY>.<type>.<uscc>
      const agency = subject.split('.', 3)[2] ?? '';
      let key = keys.get(agency);
      if (key === undefined) {
        key = loadOrCreateSigningKey(dataDir, agency);
        keys.set(agency, key);
      }
      return signatureHeaders(key, body);
    },
    keys: () => [...keys.values()],
  };
}
