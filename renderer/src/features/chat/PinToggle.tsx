import { useState } from 'react';
import type { Message } from '../../../../shared/index.js';
import { api } from '../../api/client.js';
import { useChat } from './chat-store.js';
import './pin.css';

/** Pin or unpin a message: a pinned one goes with every later request of this branch, however long the chat gets. */
export function PinButton({ message }: { message: Message }) {
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    try {
      const updated = await api.call('messages.pin', { messageId: message.id, pinned: !message.pinned });
      useChat.setState((state) => ({ messages: state.messages.map((m) => (m.id === updated.id ? updated : m)) }));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <button
        type="button"
        className="link"
        aria-pressed={message.pinned}
        title={message.pinned ? 'Pinned: always sent to the model. Press to unpin.' : 'Always send this message to the model, however long the chat gets'}
        onClick={() => void toggle()}
        data-testid="pin-message"
      >
        {message.pinned ? 'Unpin' : 'Pin'}
      </button>
      {error ? (
        <span className="pin-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

/** Beside a pinned message's name. */
export function PinnedMarker() {
  return (
    <span className="pinned-marker" title="Pinned: always sent to the model" data-testid="pinned-marker">
      Pinned
    </span>
  );
}
