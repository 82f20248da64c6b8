import type { MethodOutput, SessionSettings } from '../../../../shared/index.js';
import { useNavigation } from '../../app/navigation.js';

type Providers = MethodOutput<'app.info'>['providers'];

/**
 * Above a new chat's composer: how to set up a provider when none is (with a way to Settings), else what the chat
 * will start with and how the composer works.
 */
export function NewChatStart({ settings, providers }: { settings: SessionSettings | null; providers: Providers | null }) {
  const show = useNavigation((s) => s.show);
  if (providers !== null && providers.every((p) => !p.configured)) {
    return (
      <div className="chat-start" data-testid="provider-guide">
        <div className="empty-state">
          <h2>Set up a model to start</h2>
          <p>
            Coda Agent answers with your own key for OpenAI, Anthropic or Google Gemini, or with any OpenAI-compatible server (Ollama, LM Studio, vLLM,
            OpenRouter…).
          </p>
          <ol>
            <li>Open Settings › Providers and add a key, or the address of your server.</li>
            <li>Or set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY before starting Coda Agent.</li>
            <li>Come back here and ask.</li>
          </ol>
          <button type="button" className="primary" onClick={() => show('settings')} data-testid="open-provider-settings">
            Open Settings › Providers
          </button>
        </div>
      </div>
    );
  }
  const provider = providers?.find((p) => p.id === settings?.provider);
  return (
    <div className="chat-start" data-testid="new-chat-start">
      <div className="empty-state">
        <h2>What can I help with?</h2>
        {settings ? (
          <p>
            This chat answers with {provider?.label ?? settings.provider} {settings.model}
            {settings.systemPrompt ? ', with your default system prompt' : ''}. Pick another model below, or change its settings before you send.
          </p>
        ) : null}
        {provider && !provider.configured ? (
          <p className="hint" data-testid="provider-not-set-up">
            {provider.label} is not set up yet: pick a model of a provider that is, or{' '}
            <button type="button" className="link" onClick={() => show('settings')}>
              set it up in Settings
            </button>
            .
          </p>
        ) : null}
        <p className="hint">Enter sends, Shift+Enter starts a new line, “/” lists the prompts your tool servers offer.</p>
      </div>
    </div>
  );
}
