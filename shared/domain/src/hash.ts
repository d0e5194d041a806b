/**
 * The hash port of the domain: sha256 of a string's UTF-8 bytes, as lowercase hex. Alert ids,
 * joint inspection ids and the catalogue checksum are taken through it. The domain imports no
 * runtime module, so services pass the runtime's own implementation (`sha256Hex` of
 * `@hub/platform`, node:crypto); without one the domain falls back to its plain TypeScript
 * SHA-256 (`catalogue/sha256.ts`), which gives the same digests, only slower.
 *
 * @example
 * const ports: DomainPorts = { sha256: (text) => crypto.hash('sha256', text, 'hex') };
 * evolveCoordination(state, event, settings, ports);
 */
import { sha256Hex } from './catalogue/sha256.js';

export type Sha256 = (text: string) => string;

/** What the domain needs from the runtime. */
export interface DomainPorts {
  readonly sha256: Sha256;
}

/** The pure fallback: for tests, tools and callers that pass no port. */
export const PURE_PORTS: DomainPorts = Object.freeze({ sha256: (text: string) => sha256Hex(text) });
