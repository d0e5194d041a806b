/**
 * The market-supervision service exactly as its main.ts runs it, but publishing unsigned: the
 * "signatures off" side of the signed-ingest figure (hub-signatures). Started by the bench only.
 */
import { runAgencyServiceMain } from '@hub/agency-gateway';
import { MARKET_SUPERVISION } from '@hub/market-supervision';

await runAgencyServiceMain(MARKET_SUPERVISION, { signEvents: false });
