import { runAgencyServiceMain } from '@hub/agency-gateway';
import { PUBLIC_SAFETY } from './index.js';

await runAgencyServiceMain(PUBLIC_SAFETY);
