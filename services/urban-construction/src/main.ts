import { runAgencyServiceMain } from '@hub/agency-gateway';
import { URBAN_CONSTRUCTION } from './index.js';

await runAgencyServiceMain(URBAN_CONSTRUCTION);
