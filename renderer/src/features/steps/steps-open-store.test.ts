import { describe, expect, it } from 'vitest';
import { REMEMBERED_MESSAGES, withPanel, type PanelState } from './steps-open-store.js';

describe('remembered Steps panels', () => {
  it('keeps sections toggled before, and the open state, when one changes', () => {
    let panels: Record<string, PanelState> = {};
    panels = withPanel(panels, 'm1', () => ({ open: true }), 1);
    panels = withPanel(panels, 'm1', (p) => ({ sections: { ...p.sections, 'step-0': false } }), 2);
    expect(panels['m1']).toEqual({ open: true, side: false, sections: { 'step-0': false }, touchedAt: 2 });
  });

  it('forgets the least recently touched answers beyond the limit', () => {
    let panels: Record<string, PanelState> = {};
    for (let i = 0; i <= REMEMBERED_MESSAGES; i++) panels = withPanel(panels, `m${i}`, () => ({ open: true }), i);
    expect(Object.keys(panels)).toHaveLength(REMEMBERED_MESSAGES);
    expect(panels['m0']).toBeUndefined();
    expect(panels[`m${REMEMBERED_MESSAGES}`]?.open).toBe(true);
  });
});
