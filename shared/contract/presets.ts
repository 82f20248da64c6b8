import { z } from 'zod';
import { Id, SessionSettings } from './domain.js';

/** A named starting point for new chats ("assistant"): a system prompt, a model, its parameters and tools. */
export const Preset = z.object({
  id: Id,
  name: z.string().trim().min(1).max(100),
  settings: SessionSettings,
});
export type Preset = z.infer<typeof Preset>;

const PresetList = z.object({ presets: z.array(Preset) });

export const presetMethods = {
  'presets.list': { input: z.object({}).strict(), output: PresetList },
  /** Creates a preset (no id) or replaces one; names are unique, ignoring case. */
  'presets.save': { input: z.object({ id: Id.optional(), name: Preset.shape.name, settings: SessionSettings }).strict(), output: PresetList },
  /** A copy named "<name> (copy)", or "(copy 2)"… when that is taken. */
  'presets.duplicate': { input: z.object({ id: Id }).strict(), output: PresetList },
  'presets.delete': { input: z.object({ id: Id }).strict(), output: PresetList },
} as const;
