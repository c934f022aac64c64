import { parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js/max';

/** A mobile number in E.164 (`+84912345678`), the only form the service stores. */
export type E164 = string & { readonly __brand: 'E164' };

export class InvalidPhoneError extends Error {
  readonly code = 'invalid_phone';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Parses a number typed in any common human format; numbers without a country code are read in
 * `defaultRegion`. Only mobile numbers are accepted: DingTalk accounts are registered on mobiles.
 * The full metadata (`/max`) is needed to tell mobile from fixed-line numbers.
 */
export function normalisePhone(input: string, defaultRegion: string): E164 {
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(input, { defaultCountry: defaultRegion as CountryCode });
  } catch {
    throw new InvalidPhoneError('phone cannot be parsed as a phone number');
  }
  if (!parsed.isValid()) throw new InvalidPhoneError('phone is not a valid number');
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') throw new InvalidPhoneError('phone is not a mobile number');
  return parsed.number as E164;
}

/**
 * DingTalk's mobile form. Mainland China numbers are the bare 11 digits; every other number is
 * `+CC-NATIONAL` without the trunk `0` (`+84912345678` → `+84-912345678`). DingTalk documents this form for
 * its mobile fields but not explicitly for `getbymobile`: this is the one place to change if that proves wrong.
 */
export function toDingTalkMobile(phone: E164): string {
  const parsed = parsePhoneNumberWithError(phone);
  if (parsed.countryCallingCode === '86') return parsed.nationalNumber;
  return `+${parsed.countryCallingCode}-${parsed.nationalNumber}`;
}

/** For logs: enough to tell two numbers apart, never enough to dial (`+8491******78`). */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return phone.slice(0, 5) + '*'.repeat(phone.length - 7) + phone.slice(-2);
}
