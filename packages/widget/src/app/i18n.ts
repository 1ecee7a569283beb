import { RTL_LOCALES, WIDGET_LOCALES, type WidgetLocaleCode } from '@parley/protocol/widget-frame';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type Texts } from './locales/en.js';

// The widget's languages. English is bundled; every other language is a chunk of its own (about
// 1 KB gzipped), fetched when a visitor needs it, so the app stays the same size for everyone.
const loaders: Record<Exclude<WidgetLocaleCode, 'en'>, () => Promise<{ default: Texts }>> = {
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  de: () => import('./locales/de.js'),
  pt: () => import('./locales/pt.js'),
  it: () => import('./locales/it.js'),
  nl: () => import('./locales/nl.js'),
  pl: () => import('./locales/pl.js'),
  tr: () => import('./locales/tr.js'),
  ja: () => import('./locales/ja.js'),
  zh: () => import('./locales/zh.js'),
  ar: () => import('./locales/ar.js'),
};

export type Language = { locale: WidgetLocaleCode; t: Texts };

const isLocale = (code: string): code is WidgetLocaleCode =>
  (WIDGET_LOCALES as readonly string[]).includes(code);

/**
 * The first of `wanted` (BCP 47 tags such as 'pt-BR', most wanted first) that the widget speaks,
 * matched by language alone; `fallback` when none is.
 */
export function pickLocale(
  wanted: ReadonlyArray<string | undefined>,
  fallback: WidgetLocaleCode,
): WidgetLocaleCode {
  for (const tag of wanted) {
    const base = tag?.toLowerCase().split(/[-_]/)[0] ?? '';
    if (isLocale(base)) return base;
  }
  return fallback;
}

/** The texts of `locale`; English when its chunk cannot be fetched (the chat still works). */
export async function loadLanguage(locale: WidgetLocaleCode): Promise<Language> {
  if (locale === 'en') return { locale, t: en };
  try {
    return { locale, t: (await loaders[locale]()).default };
  } catch {
    return { locale: 'en', t: en };
  }
}

export const directionOf = (locale: WidgetLocaleCode): 'ltr' | 'rtl' =>
  RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr';

/** `template` with each `{key}` replaced by its value. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (marker, key: string) =>
    key in values ? String(values[key]) : marker,
  );

export const LanguageContext = createContext<Language>({ locale: 'en', t: en });
export const useLanguage = (): Language => useContext(LanguageContext);
