/** 市场监管 (market supervision): 工商局, 质监局, 食品药品监管局, 集贸市场管理中心. */
import { agenciesOfService } from '@hub/domain';
import type { AgencyServiceDefinition } from '@hub/agency-gateway';
import { MAPPINGS } from './mappings.js';

export const MARKET_SUPERVISION: AgencyServiceDefinition = Object.freeze({
  service: 'market-supervision',
  agencies: agenciesOfService('market-supervision'),
  mappings: MAPPINGS,
});
