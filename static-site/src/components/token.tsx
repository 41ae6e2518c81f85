import { useState } from 'preact/hooks';
import { setToken, token } from '../api';

/** Asked once when the API answers 401; the token stays in this browser (localStorage). */
export function TokenPrompt(props: { onDone(): void; onCancel(): void }) {
  const [value, setValue] = useState('');
  // A token kept from before that the API now refuses (rotated, or mistyped last time).
  const [refused] = useState(() => token() !== null);
  return (
    <div class="modal-backdrop">
      <form
        class="modal"
        data-testid="token-prompt"
        onSubmit={(e) => {
          e.preventDefault();
          if (!value.trim()) return;
          setToken(value.trim());
          props.onDone();
        }}
      >
        <h2>This lake needs a token</h2>
        <p class="muted">
          The query API answered <code>401 Unauthorized</code>. Paste the query token of your deployment (
          <code>agentlake</code> prints it after deploying). It is kept in this browser only.
        </p>
        {refused && <p class="note note-warn small" data-testid="token-refused">The token this browser had was refused.</p>}
        <input type="password" name="token" autoFocus placeholder="query token" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        <div class="modal-actions">
          <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
          <button type="submit" class="btn btn-primary">Use token</button>
        </div>
      </form>
    </div>
  );
}
