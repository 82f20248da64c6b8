import type { ProviderPreset } from '../../../shared/index.js';
import { cleartextRemoteHost, defaultBaseUrl, originOf } from '../providers/config.js';

/**
 * A provider key goes only to the origin (scheme, host, port) it was given for, so changing an address can never
 * hand a key to another server (the pattern of LobeChat's CVE-2024-37895). A key saved in Settings is bound to the
 * origin in use when it was saved; a key from the environment to the address the environment pairs it with (its
 * `*_BASE_URL`, else the provider's own). Neither is sent over plain http to another machine, except an environment
 * pair: both halves were set by the user in their own shell, which is how a LAN server with a key is reached.
 */
export interface KeyState {
  preset: ProviderPreset;
  /** The address in use: Settings' over the environment's; the default when neither sets one. */
  address: string | undefined;
  /** A saved key this process can decrypt, and the origin it was saved for (kept after the key is removed). */
  savedKey: string | undefined;
  keyOrigin: string | undefined;
  env: { apiKey: string | undefined; baseUrl: string | undefined };
  /** Whether keys can be saved here (the desktop app), so the advice can offer it. */
  canSaveKeys: boolean;
}

export type KeyDecision =
  | { kind: 'none' }
  | { kind: 'send'; apiKey: string }
  /** A key is set but may not go to this address: requests are refused with the reason. */
  | { kind: 'withhold'; reason: string }
  /** The saved key was removed when the address moved; nothing to send, and the reason says why. */
  | { kind: 'dropped'; reason: string };

export function decideKey(state: KeyState): KeyDecision {
  const { preset, savedKey, keyOrigin, env } = state;
  const origin = originOf(state.address);
  const here = origin ?? 'no address';
  if (savedKey !== undefined) {
    if (keyOrigin !== (origin ?? undefined)) {
      const given = keyOrigin ? `given for ${keyOrigin}` : 'saved before any address was set';
      return {
        kind: 'withhold',
        reason: `The saved ${preset.label} key was ${given}; it is not sent to ${here}. Save the key again to use it with this address.`,
      };
    }
    const host = cleartextRemoteHost(state.address);
    if (host) return { kind: 'withhold', reason: `Coda does not send a saved key over plain http to ${host}: use an https address, or one on this machine.` };
    return { kind: 'send', apiKey: savedKey };
  }
  if (env.apiKey) {
    const variable = preset.baseUrlEnv ?? 'the address variable';
    const paired = originOf(env.baseUrl ?? defaultBaseUrl(preset));
    if (paired !== null && paired === origin) return { kind: 'send', apiKey: env.apiKey };
    const where = env.baseUrl
      ? `${paired ?? env.baseUrl}, the address ${variable} gives`
      : paired
        ? `${paired}, ${preset.label}'s own address`
        : `the address ${variable} gives, which is not set`;
    const advice = `Set ${variable} to use another address with it${state.canSaveKeys ? ', or save a key for this address here' : ''}.`;
    return { kind: 'withhold', reason: `The key in ${preset.keyEnv} is sent only to ${where}; it is not sent to ${here}. ${advice}` };
  }
  if (keyOrigin !== undefined && keyOrigin !== origin) {
    return {
      kind: 'dropped',
      reason: `The saved key was removed because the address changed from ${keyOrigin} to ${here}: enter the key again to use it there.`,
    };
  }
  return { kind: 'none' };
}

/** Refuses a key that would travel in plain http to another machine, at the moment it is saved. */
export function cleartextRefusal(address: string | undefined): string | null {
  const host = cleartextRemoteHost(address);
  return host
    ? `Coda will not send a key over plain http to ${host}: anyone on the network in between could read it. Use an https address, or one on this machine.`
    : null;
}
