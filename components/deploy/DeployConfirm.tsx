'use client';
// "Are you sure?" for what cannot be undone: stopping or deleting an environment.
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';

export interface DeployConfirmation {
  title: string;
  text: string;
  action: string;
  run(): void;
}

export function DeployConfirm({ confirmation, onClose }: { confirmation: DeployConfirmation | null; onClose(): void }) {
  return (
    <Dialog open={confirmation !== null} onClose={onClose} title={confirmation?.title ?? ''} testId="deploy-confirm">
      <p className="whitespace-pre-wrap text-sm text-gray-300">{confirmation?.text}</p>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose} autoFocus>
          Cancel
        </Button>
        <Button
          variant="danger"
          data-testid="deploy-confirm-action"
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
