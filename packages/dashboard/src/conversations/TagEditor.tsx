import { Tag, X } from 'lucide-react';
import { useState } from 'react';

export function TagEditor({
  tags,
  onChange,
}: {
  tags: string[];
  onChange: (tags: string[]) => void;
}) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim().toLowerCase();
    setDraft('');
    if (tag && !tags.includes(tag)) onChange([...tags, tag]);
  };
  return (
    <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
      <Tag aria-hidden className="h-3.5 w-3.5 text-slate-500" />
      {tags.map((tag) => (
        <span
          key={tag}
          className="inline-flex items-center gap-0.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-800"
        >
          {tag}
          <button
            onClick={() => onChange(tags.filter((t) => t !== tag))}
            aria-label={`Remove tag ${tag}`}
            className="rounded-full p-0.5 hover:bg-slate-200"
          >
            <X aria-hidden className="h-3 w-3" />
          </button>
        </span>
      ))}
      <input
        value={draft}
        maxLength={40}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
        aria-label="Add a tag"
        placeholder="Add tag…"
        className="w-24 rounded border border-transparent px-1 py-0.5 text-xs hover:border-slate-300 focus:border-blue-600 focus:outline-none"
      />
    </div>
  );
}
