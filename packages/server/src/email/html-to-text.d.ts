// html-to-text 10 ships no types; these are the parts Parley uses (email/reply-text.ts).
declare module 'html-to-text' {
  export type SelectorDefinition = {
    selector: string;
    format?: string;
    options?: Record<string, unknown>;
  };
  export type HtmlToTextOptions = {
    wordwrap?: number | false | null;
    limits?: { maxDepth?: number };
    selectors?: SelectorDefinition[];
  };
  export function convert(html: string, options?: HtmlToTextOptions): string;
}
