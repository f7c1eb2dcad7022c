/**
 * Metro 2 code lists our writer uses and our validator accepts. Lists moov-io/metro2 checks come
 * from its `pkg/lib/constants.go`; the Compliance Condition and ECOA lists it does not check come from
 * the CDIA CRRG exhibits as cited in docs/decisions/0017.
 */

export const PORTFOLIO_TYPES = new Set(['C', 'I', 'M', 'O', 'R', 'L']);

export const ACCOUNT_TYPES = new Set(
  (
    '00 01 02 03 04 05 06 07 08 0A 0C 0F 0G 10 11 12 13 15 17 18 19 20 25 26 29 2A 2C 37 3A 43 47 48 4D 50 5A 5B ' +
    '65 66 67 68 69 6A 6B 6D 70 71 72 73 74 75 77 7A 7B 89 8A 8B 90 91 92 93 95 9A 9B'
  ).split(' '),
);

export const ACCOUNT_STATUSES = new Set(
  '05 11 13 61 62 63 64 65 71 78 80 82 83 84 88 89 93 94 95 96 97 DA DF'.split(' '),
);

/** Statuses that carry a Payment Rating; every other status leaves it blank. */
export const RATED_STATUSES = new Set(['05', '13', '65', '88', '89', '94', '95']);
export const PAYMENT_RATINGS = new Set(['0', '1', '2', '3', '4', '5', '6', 'G', 'L']);

/** Without moov's extra `Z` and blank, which the CRRG text it quotes does not list. */
export const PROFILE_CHARACTERS = /^[0-6BDEGHJKL]{24}$/;

export const TERMS_FREQUENCIES = new Set(['', 'D', 'P', 'W', 'B', 'E', 'M', 'L', 'Q', 'T', 'S', 'Y']);
export const INTEREST_TYPES = new Set(['', 'F', 'V']);

export const SPECIAL_COMMENTS = new Set(
  (
    ' B C H I M O S V AB AC AH AI AM AN AO AP AS AT AU AV AW AX AZ BA BB BC BD BE BF BG BH BI BJ BK BL BN BO BP BS ' +
    'BT CH CI CJ CK CL CM CN CO CP CS DE'
  )
    .split(' ')
    .map((code) => code.trim()),
);

export const COMPLIANCE_CONDITIONS = new Set(['', 'XA', 'XB', 'XC', 'XD', 'XE', 'XF', 'XG', 'XH', 'XJ', 'XR']);
export const ECOA_CODES = new Set(['1', '2', '3', '5', '7', 'T', 'W', 'X', 'Z']);

/** Past-due statuses by months behind, the same ladder as the profile's `1`–`6`. */
export const PAST_DUE_STATUSES = ['71', '78', '80', '82', '83', '84'] as const;

/** The profile character a month reported with `status` gets in the next month's profile (CRRG practice). */
export const PROFILE_CHARACTER_OF_STATUS: Readonly<Record<string, string>> = {
  '11': '0',
  '71': '1',
  '78': '2',
  '80': '3',
  '82': '4',
  '83': '5',
  '84': '6',
  '93': 'G',
  '97': 'L',
  '94': 'H',
  '95': 'J',
  '96': 'K',
};
