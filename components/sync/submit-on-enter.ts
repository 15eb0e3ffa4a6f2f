// Enter submits a dialog's form from any of its controls: browsers submit only from text fields,
// not from a focused <select>, checkbox or radio.
import type { KeyboardEvent } from 'react';

export function submitOnEnter(event: KeyboardEvent<HTMLFormElement>): void {
  if (event.key !== 'Enter' || event.defaultPrevented || event.nativeEvent.isComposing) return;
  const target = event.target;
  const choice =
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio'));
  if (!choice) return;
  event.preventDefault();
  event.currentTarget.requestSubmit();
}
