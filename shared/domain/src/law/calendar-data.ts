/**
 * China's statutory holidays and adjusted working days (调休) as the State Council's General
 * Office published them, one version per notice. Each version carries every year known when it
 * was published, so the calendar in force at an act's time answers for the years then known.
 *
 * - 2025: 国办发明电〔2024〕12号 (published 2024-11-12).
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知 (published 2025-11-04).
 * - 2027: not published in the data the hub ships; a deadline that reaches 2027 falls back to
 *   Monday–Friday and says so, until the committee office publishes a version with 2027.
 */
import type { CalendarInput } from './calendar.js';

const Y2025 = {
  year: 2025,
  holidays: [
    { name: '元旦', from: '2025-01-01', to: '2025-01-01' },
    { name: '春节', from: '2025-01-28', to: '2025-02-04' },
    { name: '清明节', from: '2025-04-04', to: '2025-04-06' },
    { name: '劳动节', from: '2025-05-01', to: '2025-05-05' },
    { name: '端午节', from: '2025-05-31', to: '2025-06-02' },
    { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08' },
  ],
  adjustedWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
};

const Y2026 = {
  year: 2026,
  holidays: [
    { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
    { name: '春节', from: '2026-02-15', to: '2026-02-23' },
    { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
    { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
    { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
    { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
    { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
  ],
  adjustedWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

/** The versions the hub ships, oldest first. `effectiveFrom` is the notice's publication. */
export const BUILT_IN_CALENDARS: readonly CalendarInput[] = [
  { version: '2025.1', effectiveFrom: '2024-11-12T00:00:00+08:00', years: [Y2025] },
  { version: '2026.1', effectiveFrom: '2025-11-04T00:00:00+08:00', years: [Y2025, Y2026] },
];
