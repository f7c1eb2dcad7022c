/** The bureaus of a stage that has not chosen: one file a month. */
export const DEFAULT_BUREAUS: readonly string[] = ['equifax'];

/** A bureau's name becomes a file name and an S3 key: lower-case letters, digits and inner hyphens only. */
const BUREAU_NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

export class InvalidBureauSettingError extends Error {
  constructor(readonly setting: string) {
    super(`FURNISHING_BUREAUS must list distinct bureau names (a-z, 0-9, inner hyphens), comma-separated: ${setting}`);
    this.name = 'InvalidBureauSetting';
  }
}

/** The stage setting as a list: unset or blank means the default; a bad or repeated name is refused, never skipped. */
export const bureausFromSetting = (setting: string | undefined): readonly string[] => {
  if (setting === undefined || setting.trim() === '') return DEFAULT_BUREAUS;
  const bureaus = setting.split(',').map((name) => name.trim());
  if (!bureaus.every((name) => BUREAU_NAME.test(name)) || new Set(bureaus).size !== bureaus.length)
    throw new InvalidBureauSettingError(setting);
  return bureaus;
};
