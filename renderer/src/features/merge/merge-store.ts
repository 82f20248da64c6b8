import { create } from 'zustand';

/** Which message "Merge into…" was asked for (the message actions, the tree view's preview); null: the dialog is closed. */
export const useMerge = create<{ request: { sessionId: string; messageId: string } | null }>(() => ({ request: null }));

export const openMerge = (sessionId: string, messageId: string) => useMerge.setState({ request: { sessionId, messageId } });
export const closeMerge = () => useMerge.setState({ request: null });
