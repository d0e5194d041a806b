/** 公共安全监管 (public safety): 公安局, 公安消防大队, 安全监管局, 交通运输局. */
import { agenciesOfService } from '@hub/domain';
import type { AgencyServiceDefinition } from '@hub/agency-gateway';
import { MAPPINGS } from './mappings.js';

export const PUBLIC_SAFETY: AgencyServiceDefinition = Object.freeze({
  service: 'public-safety',
  agencies: agenciesOfService('public-safety'),
  mappings: MAPPINGS,
});
