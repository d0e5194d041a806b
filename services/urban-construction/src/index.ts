/** 城市建设与运行管理 (urban construction and operation): 城管局, 城规局, 房管局, 发改建设局, 国土资源局, 水务局. */
import { agenciesOfService } from '@hub/domain';
import type { AgencyServiceDefinition } from '@hub/agency-gateway';
import { MAPPINGS } from './mappings.js';

export const URBAN_CONSTRUCTION: AgencyServiceDefinition = Object.freeze({
  service: 'urban-construction',
  agencies: agenciesOfService('urban-construction'),
  mappings: MAPPINGS,
});
