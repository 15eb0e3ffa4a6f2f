'use client';
// "Are you sure?" for what cannot be undone (discarding changes, deleting a branch, stopping or
// deleting an environment): the dialog names what is lost; Cancel has the focus.
import { Button } from './Button';
import { Dialog } from './Dialog';

export interface Confirmation {
  title: string;
  text: string;
  action: string;
  run(): void;
}

export function ConfirmDialog({
  confirmation,
  onClose,
  testId,
}: {
  confirmation: Confirmation | null;
  onClose(): void;
  /** The dialog's test id; its action button is `${testId}-action`. */
  testId: string;
}) {
  return (
    <Dialog open={confirmation !== null} onClose={onClose} title={confirmation?.title ?? ''} testId={testId}>
      <p className="whitespace-pre-wrap text-sm text-gray-300">{confirmation?.text}</p>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose} autoFocus>
          Cancel
        </Button>
        <Button
          variant="danger"
          data-testid={`${testId}-action`}
          onClick={() => {
            confirmation?.run();
            onClose();
          }}
        >
          {confirmation?.action}
        </Button>
      </div>
    </Dialog>
  );
}
