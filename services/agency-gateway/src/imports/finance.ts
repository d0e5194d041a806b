import { paymentMapping } from './mapping.js';

/**
 * 县财政局 非税收入缴款明细: the finance bureau's export of fines paid into the treasury through a
 * bank (缴罚分离). Every agency service accepts it for its own departments' decisions.
 */
export const FINANCE_PAYMENT_MAPPING = paymentMapping({
  id: 'czj-payment',
  agency: 'CZJ',
  title: '县财政局 非税收入缴款明细 (finance bureau: fines paid to the treasury)',
  system: 'czj-fssr',
  headers: { recordId: ['缴款流水号'] },
});
