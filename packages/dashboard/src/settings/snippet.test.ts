import { describe, expect, it } from 'vitest';
import { snippetFor } from './snippet';

describe('the install snippet', () => {
  it('names no site for the default one, as snippets from before there were sites', () => {
    const snippet = snippetFor('https://chat.example.com');
    expect(snippet).toContain('LiveChatWidget.init({ apiUrl: "https://chat.example.com" });');
    expect(snippet).not.toContain('site:');
  });

  it('names another site by its key', () => {
    expect(snippetFor('https://chat.example.com', 'outdoor-shop')).toContain(
      'LiveChatWidget.init({ apiUrl: "https://chat.example.com", site: "outdoor-shop" });',
    );
  });
});
