import { describe, expect, it } from 'vitest';
import { exportFileName } from './export-name';

const today = new Date('2026-05-04T12:00:00Z');

describe('exportFileName', () => {
  it("names the file by the person's name, else their email, and the day", () => {
    expect(exportFileName({ id: 'v1', name: 'Zoë Müller', email: null }, today)).toBe(
      'contact-zoe-muller-2026-05-04.zip',
    );
    expect(exportFileName({ id: 'v1', name: null, email: 'nora@shop.example' }, today)).toBe(
      'contact-nora-shop-example-2026-05-04.zip',
    );
  });

  it('keeps nothing a file name should not hold, and falls back to the id', () => {
    expect(exportFileName({ id: 'v1', name: '../../etc/passwd', email: null }, today)).toBe(
      'contact-etc-passwd-2026-05-04.zip',
    );
    expect(exportFileName({ id: '0199aabbccdd', name: '李雷', email: null }, today)).toBe(
      'contact-0199aabb-2026-05-04.zip',
    );
  });
});
