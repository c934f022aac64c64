import { describe, expect, it } from 'vitest';
import { InvalidPhoneError, maskPhone, normalisePhone, toDingTalkMobile, type E164 } from '../../lib/core/phone.js';

describe('normalisePhone', () => {
  it.each([
    ['0912 345 678', 'VN', '+84912345678'],
    ['0912345678', 'VN', '+84912345678'],
    ['+84 912-345-678', 'VN', '+84912345678'],
    ['(+84) 912.345.678', 'VN', '+84912345678'],
    ['138 0013 8000', 'CN', '+8613800138000'],
    ['+86 138 0013 8000', 'VN', '+8613800138000'],
  ])('reads %s (region %s) as %s', (input, region, expected) => {
    expect(normalisePhone(input, region)).toBe(expected);
  });

  it.each([
    ['not a phone', 'text'],
    ['12', 'too short'],
    ['0912 345 678 999 999', 'too long'],
    ['024 3825 3535', 'a Hanoi fixed line'],
  ])('refuses %s (%s)', (input) => {
    expect(() => normalisePhone(input, 'VN')).toThrow(InvalidPhoneError);
  });
});

describe('toDingTalkMobile', () => {
  it.each([
    ['+84912345678', '+84-912345678'],
    ['+8613800138000', '13800138000'],
    ['+12015550123', '+1-2015550123'],
    ['+6591234567', '+65-91234567'],
  ])('%s → %s', (phone, expected) => {
    expect(toDingTalkMobile(phone as E164)).toBe(expected);
  });
});

describe('maskPhone', () => {
  it('keeps only enough to tell numbers apart', () => {
    const masked = maskPhone('+84912345678');
    expect(masked).toBe('+8491*****78');
    expect(masked).not.toContain('345');
  });
});
