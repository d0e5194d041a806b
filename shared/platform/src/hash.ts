/**
 * The domain's hash port backed by node:crypto: the same digests as the domain's pure
 * fallback (tested), at a small fraction of the cost. Pass `NODE_PORTS` wherever the domain
 * takes `ports` (the coordination rules, catalogue parsing).
 *
 * @example
 * evolveCoordination(state, event, settings, NODE_PORTS);
 */
import crypto from 'node:crypto';
import type { DomainPorts, Sha256 } from '@hub/domain';

/** Hex sha256 of a string's UTF-8 bytes (one-shot `crypto.hash` where the runtime has it). */
export const sha256Hex: Sha256 =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

export const NODE_PORTS: DomainPorts = Object.freeze({ sha256: sha256Hex });
