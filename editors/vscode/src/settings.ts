/**
 * Maps the extension's `twirl.*` settings to the settings object the server
 * reads (`initializationOptions`, and `{"settings": {"twirl": S}}` in
 * `workspace/didChangeConfiguration`).
 *
 * Pure: the caller passes a getter over the `twirl` configuration section.
 */

export interface ServerSettings {
  rules: { select: string[]; ignore: string[] };
  lookback: number;
  fixAllOnSave: boolean;
}

export const DEFAULT_LOOKBACK = 25;

/** Reads one key of the `twirl` section, e.g. `rules.select`. */
export type SettingGetter = (key: string) => unknown;

const RULE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function stringList(value: unknown): string[] {
  if (typeof value === 'string') value = value.split(',');
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const name = item.trim();
    if (name.length > 0 && !out.includes(name)) out.push(name);
  }
  return out;
}

export function toServerSettings(get: SettingGetter): ServerSettings {
  const lookback = get('lookback');
  return {
    rules: {
      select: stringList(get('rules.select')),
      ignore: stringList(get('rules.ignore')),
    },
    lookback:
      typeof lookback === 'number' && Number.isFinite(lookback) && lookback >= 0
        ? Math.floor(lookback)
        : DEFAULT_LOOKBACK,
    fixAllOnSave: get('fixAllOnSave') === true,
  };
}

/** Rule names that are not kebab-case: most likely typos worth a warning. */
export function suspiciousRuleNames(settings: ServerSettings): string[] {
  return [...settings.rules.select, ...settings.rules.ignore].filter(
    (name) => name !== 'all' && !RULE_NAME.test(name),
  );
}

/**
 * Answers one item of a `workspace/configuration` request. `section` is
 * `twirl`, a key inside it (`twirl.rules`), or absent (everything).
 */
export function configurationItem(settings: ServerSettings, section: string | undefined): unknown {
  if (section === undefined || section === '') return { twirl: settings };
  if (section === 'twirl') return settings;
  if (!section.startsWith('twirl.')) return null;
  let value: unknown = settings;
  for (const key of section.slice('twirl.'.length).split('.')) {
    if (value === null || typeof value !== 'object' || !(key in value)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
