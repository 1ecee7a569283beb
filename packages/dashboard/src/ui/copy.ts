import toast from 'react-hot-toast';

/**
 * Copies `text` to the clipboard and says whether it worked, in the words of what was copied;
 * where the browser refuses, the toast says what to do instead. Resolves to whether it worked.
 */
export function copyText(text: string, said: { done: string; failed: string }): Promise<boolean> {
  return navigator.clipboard.writeText(text).then(
    () => {
      toast.success(said.done);
      return true;
    },
    () => {
      toast.error(said.failed);
      return false;
    },
  );
}

/** A signing secret's copy, the same for webhooks and identity. */
export const secretCopied = { done: 'Secret copied', failed: 'Copy it by hand' };
