import { DEFAULT_BUREAUS, InvalidBureauSettingError, bureausFromSetting } from '#domain/furnishing-bureaus';

describe('bureausFromSetting', () => {
  test('unset or blank: the default single bureau', () => {
    expect(bureausFromSetting(undefined)).toEqual(['equifax']);
    expect(bureausFromSetting('  ')).toBe(DEFAULT_BUREAUS);
  });

  test('a comma-separated list, trimmed, in order', () => {
    expect(bureausFromSetting('equifax, experian,transunion')).toEqual(['equifax', 'experian', 'transunion']);
  });

  test.each(['../etc', 'Equifax', 'equi fax', 'equifax,', '-equifax', 'equifax,equifax', 'a/b'])(
    'refuses %j: a name that could leave the folder or a repeated bureau',
    (setting) => {
      expect(() => bureausFromSetting(setting)).toThrow(InvalidBureauSettingError);
      expect(() => bureausFromSetting(setting)).toThrow(expect.objectContaining({ name: 'InvalidBureauSetting' }));
    },
  );
});
