import { DEFAULT_SETTINGS_MODEL, type SessionSettings } from '../../../shared/index.js';

/** What a new chat starts with before the user's defaults (Settings) apply; also what an unreadable stored field exports as. */
export const DEFAULT_SETTINGS: SessionSettings = {
  ...DEFAULT_SETTINGS_MODEL,
  systemPrompt: '',
  temperature: null,
  topP: null,
  maxOutputTokens: null,
  thinking: null,
  // Every configured tool server; a chat can narrow this to some servers, or none.
  enabledTools: ['*'],
  maxSteps: 10,
  fallbacks: [],
};
