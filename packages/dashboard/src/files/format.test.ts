import { describe, expect, it } from 'vitest';
import { formatSize, kindOf, oversizeReason, pastedName, thumbnailSize, typeLabel } from './format';

const MB = 1024 * 1024;

describe('file sizes', () => {
  it('are said as a file manager says them', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(1.2 * MB)).toBe('1.2 MB');
    expect(formatSize(10 * MB)).toBe('10 MB');
    expect(formatSize(14.3 * MB)).toBe('14 MB');
    expect(formatSize(3 * 1024 * MB)).toBe('3 GB');
  });
  it('never show a thousand and twenty-four of a unit', () => {
    expect(formatSize(MB - 10)).toBe('1 MB');
  });
});

describe('the size check before an upload', () => {
  it('refuses at once a file over the admin’s limit, naming both', () => {
    expect(oversizeReason({ name: 'report.zip', size: 14 * MB }, 10)).toBe(
      'report.zip is 14 MB; files may be up to 10 MB',
    );
    expect(oversizeReason({ name: 'big.pdf', size: 2.5 * MB }, 0.5)).toBe(
      'big.pdf is 2.5 MB; files may be up to 0.5 MB',
    );
  });
  it('lets through a file of exactly the limit, as the server does', () => {
    expect(oversizeReason({ name: 'a.png', size: 10 * MB }, 10)).toBeNull();
    expect(oversizeReason({ name: 'a.png', size: 10 * MB + 1 }, 10)).not.toBeNull();
  });
});

describe('what kind of file it is', () => {
  it('is named in the words agents use', () => {
    expect(typeLabel('application/pdf', 'invoice.pdf')).toBe('PDF');
    expect(
      typeLabel(
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'letter.docx',
      ),
    ).toBe('Word');
    expect(
      typeLabel('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'q3.xlsx'),
    ).toBe('Excel');
    expect(typeLabel('application/zip', 'logs.zip')).toBe('ZIP');
    expect(typeLabel('text/plain', 'notes.txt')).toBe('Text');
    expect(typeLabel('image/png', 'shot.png')).toBe('PNG image');
  });
  it('tells old Office files apart by their names, which share one type', () => {
    expect(typeLabel('application/x-cfb', 'old.DOC')).toBe('Word');
    expect(typeLabel('application/x-cfb', 'budget.xls')).toBe('Excel');
    expect(typeLabel('application/x-cfb', 'mystery')).toBe('Office');
  });
  it('falls back to the extension, or just "File"', () => {
    expect(typeLabel('application/x-unknown', 'data.bin')).toBe('BIN');
    expect(typeLabel('application/x-unknown', 'README')).toBe('File');
  });
  it('picks an icon, from the name alone while the upload runs', () => {
    expect(kindOf('application/pdf', 'x')).toBe('pdf');
    expect(kindOf('application/zip', 'x.zip')).toBe('archive');
    expect(kindOf('text/csv', 'x.csv')).toBe('sheet');
    expect(kindOf('', 'photo.JPG')).toBe('image');
    expect(kindOf('application/octet-stream', 'x')).toBe('other');
  });
});

describe('an image’s thumbnail', () => {
  it('fits in 240 × 240 in its own proportions, and is never enlarged', () => {
    expect(thumbnailSize(1920, 1080)).toEqual({ width: 240, height: 135 });
    expect(thumbnailSize(600, 1200)).toEqual({ width: 120, height: 240 });
    expect(thumbnailSize(100, 50)).toEqual({ width: 100, height: 50 });
    expect(thumbnailSize(10_000, 2)).toEqual({ width: 240, height: 1 });
  });
  it('keeps a box of its own when the size is not known', () => {
    expect(thumbnailSize(null, null)).toEqual({ width: 240, height: 180 });
  });
});

describe('a pasted screenshot', () => {
  const at = new Date(2026, 2, 5, 9, 4, 7);
  it('is named for when it was pasted, not "image.png"', () => {
    expect(pastedName('image.png', 'image/png', at)).toBe('screenshot-2026-03-05-090407.png');
    expect(pastedName('', 'image/jpeg', at)).toBe('screenshot-2026-03-05-090407.jpg');
  });
  it('keeps the name of a pasted file that has one', () => {
    expect(pastedName('plan.pdf', 'application/pdf', at)).toBe('plan.pdf');
  });
});
