import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPersonalData, maskPhone } from './masking.js';

describe('masking personal data', () => {
  it('keeps the region and last four of an identity number', () => {
    expect(maskIdNumber('350102199001011234')).toBe('3501**********1234');
    expect(maskIdNumber('1234')).toBe('****');
  });

  it('keeps the prefix and last four of a mobile number, the last two of a short one', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('8765-4321')).toBe('******21');
    expect(maskPhone('12345')).toBe('***45');
  });

  it('masks identity numbers and phones anywhere, and complainants whole', () => {
    const input = {
      partyPerson: { name: '赵六', idNumber: '350102199001011234', phone: '13812345678' },
      replacement: {
        complaintReceived: { summary: 's', complainant: { name: '王五', phone: '13900000000' } },
      },
      officers: [{ name: '张明', certificateNo: 'GSJ-0001' }],
    };
    const { value, masked } = maskPersonalData(input);
    expect(masked).toBe(true);
    expect(value).toEqual({
      partyPerson: { name: '赵六', idNumber: '3501**********1234', phone: '138****5678' },
      replacement: { complaintReceived: { summary: 's', complainant: { name: '***', phone: '***' } } },
      officers: [{ name: '张明', certificateNo: 'GSJ-0001' }],
    });
    expect(input.partyPerson.idNumber).toBe('350102199001011234');
  });

  it('says when there was nothing to mask', () => {
    expect(maskPersonalData({ inspectionId: 'INS-1' })).toEqual({
      value: { inspectionId: 'INS-1' },
      masked: false,
    });
  });

  it('copies only what holds personal data', () => {
    const officers = [{ name: '张明', certificateNo: 'GSJ-0001' }];
    const plain = { inspectionId: 'INS-1', officers };
    expect(maskPersonalData(plain).value).toBe(plain);
    const { value } = maskPersonalData({ officers, partyPerson: { idNumber: '350102199001011234' } });
    expect(value.officers).toBe(officers);
  });
});
