import { z } from 'zod';

/** How the app looks: light, dark or the system's; text size in px; how tightly messages and lists are set. */
export const Appearance = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  fontSize: z.number().int().min(12).max(22),
  density: z.enum(['comfortable', 'compact']),
});
export type Appearance = z.infer<typeof Appearance>;

export const DEFAULT_APPEARANCE: Appearance = { theme: 'system', fontSize: 15, density: 'comfortable' };

/** What a keyboard shortcut does. Escape (stop an answer, close a panel) is fixed and not listed here. */
export const ShortcutAction = z.enum(['newChat', 'focusComposer', 'search', 'toggleSidebar', 'regenerate', 'previousChat', 'nextChat', 'conversationTree']);
export type ShortcutAction = z.infer<typeof ShortcutAction>;

/**
 * A key combination as "Mod+Shift+K": modifiers in the order Mod, Ctrl, Alt, Shift (Mod is Cmd on macOS and Ctrl
 * elsewhere), then one key by its name (a letter, a digit, ArrowUp, F2, Enter…).
 */
export const KeyCombo = z
  .string()
  .max(60)
  .regex(
    /^(Mod\+)?(Ctrl\+)?(Alt\+)?(Shift\+)?([A-Z0-9]|F[0-9]{1,2}|Arrow(Up|Down|Left|Right)|Enter|Escape|Backspace|Delete|Home|End|PageUp|PageDown|Tab|Space|[[\]\\;',./`=-])$/,
    'Not a key combination',
  );

/**
 * The default bindings, with Mod as Cmd on macOS and Ctrl elsewhere. Chosen to avoid what browsers and Electron keep
 * for themselves (Ctrl+N, Ctrl+R, Ctrl+W), since serve mode runs in a browser tab.
 */
export const DEFAULT_SHORTCUTS: Record<ShortcutAction, string> = {
  newChat: 'Mod+Shift+O',
  focusComposer: 'Shift+Escape',
  search: 'Mod+K',
  toggleSidebar: 'Mod+Shift+S',
  regenerate: 'Mod+Shift+G',
  previousChat: 'Mod+Alt+ArrowUp',
  nextChat: 'Mod+Alt+ArrowDown',
  conversationTree: 'Mod+Shift+Y',
};

/** The user's own bindings, by action; an action not listed keeps its default. */
export const ShortcutBindings = z.partialRecord(ShortcutAction, KeyCombo);
export type ShortcutBindings = z.infer<typeof ShortcutBindings>;

export const UiSettings = z.object({ appearance: Appearance, shortcuts: ShortcutBindings });
export type UiSettings = z.infer<typeof UiSettings>;

/** Methods for how the app looks and which keys do what: kept by core (electron-store or the data folder's preferences file). */
export const uiMethods = {
  'ui.get': { input: z.object({}).strict(), output: UiSettings },
  'ui.update': {
    input: z
      .object({
        appearance: Appearance.partial().strict().optional(),
        /** Replaces the user's bindings: an action left out goes back to its default. */
        shortcuts: ShortcutBindings.optional(),
      })
      .strict(),
    output: UiSettings,
  },
  /**
   * Writes a backup of the data folder (a consistent snapshot of the database, taken while the app runs, with the
   * preferences and attachments, in one zip with a manifest) to `backups/` in the data folder; `notIncluded` says
   * what it leaves out (saved keys, bound to this machine). `coda restore FILE` restores it.
   */
  'data.backup': {
    input: z.object({}).strict(),
    output: z.object({ file: z.string(), bytes: z.number().int().nonnegative(), notIncluded: z.array(z.string()) }),
  },
  /** Opens the data folder in the system's file manager (the desktop app only; `app.info` says whether it can). */
  'data.openFolder': { input: z.object({}).strict(), output: z.object({ opened: z.literal(true) }) },
} as const;
