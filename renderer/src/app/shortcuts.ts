import { DEFAULT_SHORTCUTS, type ShortcutAction, type ShortcutBindings } from '../../../shared/index.js';

export { DEFAULT_SHORTCUTS };

/** What each action is called in Settings › Shortcuts, in the order listed there. */
export const SHORTCUT_LABELS: Record<ShortcutAction, string> = {
  newChat: 'New chat',
  focusComposer: 'Focus the message field',
  search: 'Search all chats (command palette)',
  toggleSidebar: 'Show or hide the sidebar',
  regenerate: 'Answer the last message again',
  previousChat: 'Previous chat',
  nextChat: 'Next chat',
  conversationTree: 'Show or hide the conversation tree',
};

export const isMac = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** The binding in effect for every action: the user's, else the default. */
export function effectiveShortcuts(user: ShortcutBindings): Record<ShortcutAction, string> {
  return { ...DEFAULT_SHORTCUTS, ...user };
}

interface KeyEventLike {
  key: string;
  code: string;
  metaKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const MODIFIER_KEYS = new Set(['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'CapsLock']);

/**
 * The combination a key press makes, as bindings are written ("Mod+Shift+K"), or null for a lone modifier.
 * Letters and digits come from the physical key (`code`), so Alt or Shift, which change `key` (Alt+K is "˚" on a Mac),
 * do not change the combination.
 */
export function comboOf(event: KeyEventLike, mac = isMac()): string | null {
  if (MODIFIER_KEYS.has(event.key)) return null;
  const letter = /^Key([A-Z])$/.exec(event.code)?.[1] ?? /^Digit([0-9])$/.exec(event.code)?.[1];
  const key = letter ?? (event.key === ' ' ? 'Space' : event.key.length === 1 ? event.key.toUpperCase() : event.key);
  const mod = mac ? event.metaKey : event.ctrlKey;
  const parts = [mod ? 'Mod' : '', mac && event.ctrlKey ? 'Ctrl' : '', event.altKey ? 'Alt' : '', event.shiftKey ? 'Shift' : '', key].filter(Boolean);
  return parts.join('+');
}

/** A combination as the platform writes it: ⌘⇧K on macOS, Ctrl+Shift+K elsewhere. */
export function formatCombo(combo: string, mac = isMac()): string {
  const names: Record<string, [string, string]> = {
    Mod: ['⌘', 'Ctrl'],
    Ctrl: ['⌃', 'Ctrl'],
    Alt: ['⌥', 'Alt'],
    Shift: ['⇧', 'Shift'],
    ArrowUp: ['↑', '↑'],
    ArrowDown: ['↓', '↓'],
    ArrowLeft: ['←', '←'],
    ArrowRight: ['→', '→'],
    Escape: ['Esc', 'Esc'],
  };
  const parts = combo.split('+').map((part) => names[part]?.[mac ? 0 : 1] ?? part);
  return mac ? parts.join('') : parts.join('+');
}
