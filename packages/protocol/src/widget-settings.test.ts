import { describe, expect, it } from 'vitest';
import { defaultWidgetSettings, VisitorPatchBody, WidgetSettings } from './index.js';

const field = {
  id: 'plan',
  label: 'Your plan',
  type: 'select',
  required: true,
  options: ['Free', 'Pro'],
} as const;

describe('widget settings: languages and pre-chat questions', () => {
  it('the defaults parse; languages and translations are checked', () => {
    expect(WidgetSettings.parse(defaultWidgetSettings)).toEqual(defaultWidgetSettings);
    const withFrench = {
      ...defaultWidgetSettings,
      defaultLocale: 'fr',
      translations: { fr: { greeting: 'Bonjour !', fields: { plan: 'Votre forfait' } } },
    };
    expect(WidgetSettings.safeParse(withFrench).success).toBe(true);
    expect(WidgetSettings.safeParse({ ...withFrench, defaultLocale: 'xx' }).success).toBe(false);
    expect(
      WidgetSettings.safeParse({ ...withFrench, translations: { xx: { greeting: 'Hi' } } }).success,
    ).toBe(false);
  });

  it("a select's choices are worded per language, by question and option", () => {
    const choices = (options: unknown) =>
      WidgetSettings.safeParse({
        ...defaultWidgetSettings,
        preChatFields: [field],
        translations: { de: { options } },
      });
    const parsed = choices({ plan: { Free: ' Kostenlos ', Pro: 'Profi' } });
    expect(parsed.data?.translations.de?.options).toEqual({
      plan: { Free: 'Kostenlos', Pro: 'Profi' },
    });
    expect(choices({ plan: { Pro: 'x'.repeat(101) } }).success).toBe(false);
    expect(choices({ plan: { Pro: 42 } }).success).toBe(false);
    expect(choices({ plan: ['Kostenlos', 'Profi'] }).success).toBe(false);
  });

  it('questions: a key of their own, options for a select, no two alike', () => {
    const parse = (preChatFields: unknown[]) =>
      WidgetSettings.safeParse({ ...defaultWidgetSettings, preChatFields }).success;
    expect(parse([field, { ...field, id: 'terms', type: 'checkbox', options: [] }])).toBe(true);
    expect(parse([{ ...field, options: [] }])).toBe(false);
    expect(parse([field, field])).toBe(false);
    expect(parse([{ ...field, id: 'email' }])).toBe(false);
    expect(parse([{ ...field, id: 'Plan name' }])).toBe(false);
    expect(parse([{ ...field, label: '  ' }])).toBe(false);
  });

  it('a visitor patch may carry answers by key, and nothing else', () => {
    expect(VisitorPatchBody.parse({ attributes: { plan: ' Pro ' } })).toEqual({
      attributes: { plan: 'Pro' },
    });
    expect(VisitorPatchBody.safeParse({ attributes: { 'Bad key': 'x' } }).success).toBe(false);
    expect(VisitorPatchBody.safeParse({ attributes: { plan: 'x'.repeat(501) } }).success).toBe(
      false,
    );
    expect(VisitorPatchBody.safeParse({}).success).toBe(false);
  });
});
