import {
  defaultWidgetSettings,
  WIDGET_LOCALES,
  type PreChatCustomField,
  type WidgetConfig,
} from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { directionOf, fill, loadLanguage, pickLocale } from './i18n.js';
import { mergeLook } from './look.js';
import { en } from './locales/en.js';

const { allowedOrigins: _omitted, ...settings } = defaultWidgetSettings;
const config: WidgetConfig = {
  ...settings,
  agentsOnline: true,
  email: true,
  files: { maxMb: 10, types: [] },
  site: { id: 'site', key: 'default', name: 'Website' },
  hours: null,
  departments: [],
};
const markers = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the widget in the visitor language', () => {
  it('picks the first language it speaks, by language alone, else the default', () => {
    expect(pickLocale(['pt-BR', 'en'], 'en')).toBe('pt');
    expect(pickLocale(['ko-KR', 'de-AT'], 'en')).toBe('de');
    expect(pickLocale([undefined, 'zh_TW'], 'en')).toBe('zh');
    expect(pickLocale(['ko', 'sv'], 'fr')).toBe('fr');
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('ja')).toBe('ltr');
  });

  it('every language has every text, with the same markers as English', async () => {
    for (const locale of WIDGET_LOCALES) {
      const { locale: loaded, t } = await loadLanguage(locale);
      expect(loaded).toBe(locale);
      expect(Object.keys(t).sort(), locale).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as Array<keyof typeof en>) {
        expect(markers(t[key]), `${locale}.${key}`).toEqual(markers(en[key]));
        if (locale !== 'en') expect(t[key].trim(), `${locale}.${key}`).not.toBe('');
      }
    }
    expect(fill(en.typing, { name: 'Alice' })).toBe('Alice is typing…');
  });

  it("Parley's default texts are translated; the admin's own words and overrides are kept", async () => {
    // en.ts holds the default settings' texts: they must stay in step with the protocol's.
    expect(en.title).toBe(defaultWidgetSettings.title);
    expect(en.greeting).toBe(defaultWidgetSettings.greeting);
    expect(en.awayMessage).toBe(defaultWidgetSettings.awayMessage);

    const fr = await loadLanguage('fr');
    const stock = mergeLook(config, {}, fr);
    expect(stock.text.greeting).toBe(fr.t.greeting);
    expect(stock.text.title).toBe(fr.t.title);
    expect(stock.label('name')).toBe('Nom');

    const field: PreChatCustomField = {
      id: 'plan',
      label: 'Plan',
      type: 'text',
      required: false,
      options: [],
    };
    const own = mergeLook(
      {
        ...config,
        greeting: 'Welcome to Acme!',
        preChatFields: [field],
        translations: { fr: { title: 'Acme en direct', fields: { plan: 'Forfait' } } },
      },
      { text: { inputPlaceholder: 'Écrivez ici' } },
      fr,
    );
    expect(own.text.greeting).toBe('Welcome to Acme!');
    expect(own.text.title).toBe('Acme en direct');
    expect(own.text.launcherLabel).toBe('Acme en direct');
    expect(own.text.inputPlaceholder).toBe('Écrivez ici');
    expect(own.label(field)).toBe('Forfait');
    expect(mergeLook(config, {}, await loadLanguage('de')).label(field)).toBe('Plan');
  });

  it("shows a select's options in the admin's words for the language, each else as set", async () => {
    const plan: PreChatCustomField = {
      id: 'plan',
      label: 'Your plan',
      type: 'select',
      required: true,
      options: ['Free', 'Pro', 'Enterprise'],
    };
    const withChoices: WidgetConfig = {
      ...config,
      preChatFields: [plan],
      translations: { de: { options: { plan: { Free: 'Kostenlos', Pro: 'Profi' } } } },
    };
    const german = mergeLook(withChoices, {}, await loadLanguage('de'));
    expect(plan.options.map((o) => german.option(plan, o))).toEqual([
      'Kostenlos',
      'Profi',
      'Enterprise',
    ]);
    const french = mergeLook(withChoices, {}, await loadLanguage('fr'));
    expect(plan.options.map((o) => french.option(plan, o))).toEqual(plan.options);
  });
});
