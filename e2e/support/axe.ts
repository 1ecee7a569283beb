import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Frame, Page } from 'playwright-core';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** One failed axe rule: its id and the elements that fail it, as CSS selectors. */
export type AxeViolation = { rule: string; nodes: string[] };

/**
 * What axe-core finds wrong on the page or frame once its transitions have ended, with every
 * rule axe runs by default. Injected by evaluation, which the pages' CSP (scripts from 'self') does not stop.
 * `include` narrows the check to part of the page (the widget on a site that is not ours);
 * frames are checked each on their own.
 */
export async function axeViolations(
  target: Page | Frame,
  include?: string,
): Promise<AxeViolation[]> {
  await target.evaluate(axeSource);
  const violations = await target.evaluate(async (selector) => {
    // Colours are checked as they end, not halfway through a transition (a button that has
    // just become enabled fades to its colour).
    // Endless ones (a spinner) are left alone.
    const ending = document
      .getAnimations()
      .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(ending.map((a) => a.finished.catch(() => undefined)));
    const { axe } = window as unknown as { axe: typeof import('axe-core') };
    const results: AxeResults = await axe.run(selector ? { include: [selector] } : document, {
      resultTypes: ['violations'],
      iframes: false,
    });
    return results.violations;
  }, include);
  return violations.map((v) => ({
    rule: v.id,
    nodes: v.nodes.map((n) => n.target.map(String).join(' ')),
  }));
}
