import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_LOOKBACK,
  configurationItem,
  suspiciousRuleNames,
  toServerSettings,
  type SettingGetter,
} from '../src/settings.ts';

const getter =
  (values: Record<string, unknown>): SettingGetter =>
  (key) =>
    values[key];

describe('toServerSettings', () => {
  it('maps the extension settings to the server contract', () => {
    const s = toServerSettings(
      getter({
        'rules.select': ['event-outside-window', 'placeholder'],
        'rules.ignore': ['mojibake'],
        lookback: 10,
        fixAllOnSave: true,
      }),
    );
    assert.deepEqual(s, {
      rules: { select: ['event-outside-window', 'placeholder'], ignore: ['mojibake'] },
      lookback: 10,
      fixAllOnSave: true,
    });
  });

  it('uses defaults for missing or mistyped values', () => {
    assert.deepEqual(toServerSettings(getter({})), {
      rules: { select: [], ignore: [] },
      lookback: DEFAULT_LOOKBACK,
      fixAllOnSave: false,
    });
    const s = toServerSettings(getter({ lookback: -3, fixAllOnSave: 'yes', 'rules.select': 7 }));
    assert.equal(s.lookback, DEFAULT_LOOKBACK);
    assert.equal(s.fixAllOnSave, false);
    assert.deepEqual(s.rules.select, []);
    assert.equal(toServerSettings(getter({ lookback: 12.7 })).lookback, 12);
    assert.equal(toServerSettings(getter({ lookback: 0 })).lookback, 0);
  });

  it('trims, dedupes and accepts a comma-separated string', () => {
    const s = toServerSettings(getter({ 'rules.ignore': ' mojibake , placeholder,mojibake,' }));
    assert.deepEqual(s.rules.ignore, ['mojibake', 'placeholder']);
    assert.deepEqual(toServerSettings(getter({ 'rules.select': ['a', 1, ' a ', ''] })).rules.select, ['a']);
  });

  it('produces plain JSON', () => {
    const s = toServerSettings(getter({ 'rules.select': ['x'] }));
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  });
});

describe('suspiciousRuleNames', () => {
  it('flags names that are not kebab-case', () => {
    const s = toServerSettings(getter({ 'rules.select': ['placeholder', 'EventOutsideWindow'], 'rules.ignore': ['all', 'mo jibake'] }));
    assert.deepEqual(suspiciousRuleNames(s), ['EventOutsideWindow', 'mo jibake']);
  });
});

describe('configurationItem', () => {
  const s = toServerSettings(getter({ 'rules.select': ['placeholder'], lookback: 5 }));
  it('answers workspace/configuration sections', () => {
    assert.deepEqual(configurationItem(s, 'twirl'), s);
    assert.deepEqual(configurationItem(s, undefined), { twirl: s });
    assert.deepEqual(configurationItem(s, 'twirl.rules'), s.rules);
    assert.deepEqual(configurationItem(s, 'twirl.rules.select'), ['placeholder']);
    assert.equal(configurationItem(s, 'twirl.lookback'), 5);
    assert.equal(configurationItem(s, 'twirl.nope'), null);
    assert.equal(configurationItem(s, 'editor'), null);
  });
});
