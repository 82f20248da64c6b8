import { describe, expect, it } from 'vitest';
import { comboOf, effectiveShortcuts, formatCombo } from './shortcuts.js';

const press = (key: string, code: string, mods: Partial<{ metaKey: boolean; ctrlKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key,
  code,
  metaKey: false,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('reads Cmd as Mod on macOS and Ctrl as Mod elsewhere, letters by their physical key', () => {
    expect(comboOf(press('k', 'KeyK', { metaKey: true }), true)).toBe('Mod+K');
    expect(comboOf(press('k', 'KeyK', { ctrlKey: true }), false)).toBe('Mod+K');
    expect(comboOf(press('k', 'KeyK', { ctrlKey: true }), true)).toBe('Ctrl+K');
    // Alt changes the character on a Mac; the binding stays the same.
    expect(comboOf(press('˚', 'KeyK', { metaKey: true, altKey: true }), true)).toBe('Mod+Alt+K');
    expect(comboOf(press('ArrowUp', 'ArrowUp', { ctrlKey: true, altKey: true }), false)).toBe('Mod+Alt+ArrowUp');
    expect(comboOf(press('Escape', 'Escape', { shiftKey: true }), false)).toBe('Shift+Escape');
    expect(comboOf(press('Shift', 'ShiftLeft', { shiftKey: true }), false)).toBeNull();
  });

  it('writes combinations as each platform does, and fills in defaults for actions the user did not bind', () => {
    expect(formatCombo('Mod+Shift+O', true)).toBe('⌘⇧O');
    expect(formatCombo('Mod+Shift+O', false)).toBe('Ctrl+Shift+O');
    expect(formatCombo('Mod+Alt+ArrowDown', false)).toBe('Ctrl+Alt+↓');
    const bindings = effectiveShortcuts({ search: 'Mod+P' });
    expect(bindings.search).toBe('Mod+P');
    expect(bindings.newChat).toBe('Mod+Shift+O');
  });
});
