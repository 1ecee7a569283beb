import { Button, FormError } from './controls';

/**
 * The end of a settings form: the server's refusal, if any, then the submit button (disabled
 * and saying so while the change is on its way) and Cancel where the form can be left.
 */
export function FormActions({
  submit,
  busy,
  busyLabel = 'Saving…',
  disabled = false,
  error,
  onCancel,
}: {
  submit: string;
  busy: boolean;
  busyLabel?: string;
  /** Nothing to send yet (no event ticked, say). */
  disabled?: boolean;
  error?: string | null;
  onCancel?: () => void;
}) {
  return (
    <>
      <FormError error={error} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={busy || disabled}>
          {busy ? busyLabel : submit}
        </Button>
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </>
  );
}
