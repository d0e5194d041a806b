import { runAgencyServiceMain } from '@hub/agency-gateway';
import { MARKET_SUPERVISION } from './index.js';

await runAgencyServiceMain(MARKET_SUPERVISION);
