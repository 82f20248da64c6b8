import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/index.js';
import { ModelPicker } from '../models/ModelPicker.js';
import { PresetSettings } from '../presets/PresetSettings.js';
import { AppearanceSettings } from './AppearanceSettings.js';
import { DataSettings } from './DataSettings.js';
import { ExportSettings } from '../export/ExportSettings.js';
import { ImportSettings } from '../export/ImportSettings.js';
import { PriceOverrides } from './PriceOverrides.js';
import { RecallSettings } from './RecallSettings.js';
import { SettingsNav, SettingsSection } from './SettingsSections.js';
import { ShortcutSettings } from './ShortcutSettings.js';
import { ToolsSettings } from './ToolsSettings.js';
import { UsageSettings } from '../usage/UsageSettings.js';
import { SummarySettingsForm } from '../summaries/SummarySettingsForm.js';
import { useSettings } from './settings-store.js';

type Provider = MethodOutput<'providers.list'>['providers'][number];

export function SettingsView() {
  const { page, error, load, setDefaults } = useSettings();
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="settings" aria-label="Settings" data-testid="settings">
      <header className="chat-header">
        <h1>Settings</h1>
      </header>
      <div className="settings-layout">
        <SettingsNav />
        <div className="settings-body">
          {error ? (
            <div className="banner banner-error" role="alert" data-testid="settings-error">
              {error}
            </div>
          ) : null}
          {page?.storageWarning ? (
            <div className="banner banner-warn" role="alert">
              {page.storageWarning}
            </div>
          ) : null}
          <SettingsSection id="providers" title="Providers">
            {page && !page.canStoreKeys ? (
              <p className="hint">
                Here keys come from the environment (serve mode and the CLI cannot keep them safely): set the variable shown for a provider, then restart Coda.
              </p>
            ) : null}
            <ul className="provider-list">
              {page?.providers.map((provider) => (
                <ProviderCard key={provider.id} provider={provider} canStoreKeys={page.canStoreKeys} />
              ))}
            </ul>
          </SettingsSection>
          <SettingsSection id="models" title="Models and prices">
            {page ? (
              <>
                <label className="field">
                  <span>Model new chats start with</span>
                  <ModelPicker
                    provider={page.defaults.provider}
                    model={page.defaults.model}
                    label="Model new chats start with"
                    testId="default-model"
                    onChange={(provider, model) => void setDefaults({ provider, model })}
                  />
                </label>
                <p className="hint">New chats start with the model you picked last, here or in any chat.</p>
                <DefaultSystemPrompt
                  key={page.defaults.systemPrompt}
                  saved={page.defaults.systemPrompt}
                  onSave={(systemPrompt) => void setDefaults({ systemPrompt })}
                />
                <h3>Summaries of long chats</h3>
                <SummarySettingsForm start={page.defaults} />
                <h3>Prices</h3>
                <p className="hint">USD per million tokens, used for models the built-in price table does not know or prices differently.</p>
                <PriceOverrides overrides={page.priceOverrides} defaults={page.defaults} />
              </>
            ) : null}
          </SettingsSection>
          <SettingsSection id="recall" title="Recall">
            <RecallSettings />
          </SettingsSection>
          <SettingsSection id="presets" title="Presets">
            <PresetSettings />
          </SettingsSection>
          <SettingsSection id="tools" title="Tools">
            <ToolsSettings />
          </SettingsSection>
          <SettingsSection id="usage" title="Usage and budgets">
            <UsageSettings />
          </SettingsSection>
          <SettingsSection id="appearance" title="Appearance">
            <AppearanceSettings />
          </SettingsSection>
          <SettingsSection id="shortcuts" title="Shortcuts">
            <ShortcutSettings />
          </SettingsSection>
          <SettingsSection id="data" title="Data">
            <DataSettings />
          </SettingsSection>
          <SettingsSection id="export" title="Export">
            <ExportSettings />
          </SettingsSection>
          <SettingsSection id="import" title="Import">
            <ImportSettings />
          </SettingsSection>
        </div>
      </div>
    </section>
  );
}

function ProviderCard({ provider, canStoreKeys }: { provider: Provider; canStoreKeys: boolean }) {
  const { update, test, tests } = useSettings();
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl ?? '');
  const result = tests[provider.id];
  const showsAddress = provider.kind !== 'anthropic' && provider.kind !== 'gemini' ? true : provider.baseUrl !== provider.defaultBaseUrl;

  return (
    <li className="provider-card" data-testid={`provider-${provider.id}`}>
      <div className="provider-head">
        <strong>{provider.label}</strong>
        <span className={`badge ${provider.configured ? 'badge-ok' : ''}`} data-testid="provider-status">
          {provider.configured ? 'Configured' : 'Not set up'}
        </span>
        <span className="hint">{keyDescription(provider)}</span>
      </div>
      {provider.keyNotice ? (
        <div className="banner banner-warn" role="alert" data-testid="key-notice">
          {provider.keyNotice}
        </div>
      ) : null}
      {provider.needsKey || provider.keyEnv ? (
        canStoreKeys ? (
          <form
            className="provider-row"
            onSubmit={(event) => {
              event.preventDefault();
              if (key.trim()) void update({ id: provider.id, apiKey: key.trim() }).then((saved) => saved && setKey(''));
            }}
          >
            <input
              type="password"
              autoComplete="off"
              placeholder={provider.keySource === 'settings' ? 'Replace the saved key' : 'API key'}
              value={key}
              onChange={(event) => setKey(event.target.value)}
              aria-label={`${provider.label} API key`}
            />
            <button type="submit" disabled={!key.trim()}>
              Save key
            </button>
            {provider.keySource === 'settings' ? (
              <button type="button" onClick={() => void update({ id: provider.id, apiKey: null })}>
                Remove
              </button>
            ) : null}
          </form>
        ) : provider.keyEnv ? (
          <p className="hint">
            Key: set <code>{provider.keyEnv}</code>.
          </p>
        ) : null
      ) : null}
      {showsAddress ? (
        <form
          className="provider-row"
          onSubmit={(event) => {
            event.preventDefault();
            void update({ id: provider.id, baseUrl: baseUrl.trim() ? baseUrl.trim() : null });
          }}
        >
          <input
            type="url"
            placeholder={provider.defaultBaseUrl ?? 'https://…'}
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
            aria-label={`${provider.label} address`}
          />
          <button type="submit">Save address</button>
        </form>
      ) : null}
      {showsAddress && provider.keySource ? (
        <p className="hint" data-testid="address-hint">
          A key is sent only to the address it was set for: a server elsewhere gets no key until you give one for it.
        </p>
      ) : null}
      <div className="provider-row">
        <button
          type="button"
          onClick={() => void test(provider.id)}
          disabled={!provider.configured || (result !== undefined && 'pending' in result)}
          data-testid="test-connection"
        >
          Test connection
        </button>
        {result && !('pending' in result) ? (
          <span className={result.ok ? 'test-ok' : 'test-failed'} role="status" data-testid="test-result">
            {result.text}
          </span>
        ) : null}
      </div>
    </li>
  );
}

function keyDescription(provider: Provider): string {
  if (provider.keySource === 'settings') return `Key saved${provider.keyLast4 ? `, ends in ${provider.keyLast4}` : ''}`;
  if (provider.keySource === 'environment')
    return `Key from ${provider.keyEnv ?? 'the environment'}${provider.keyLast4 ? `, ends in ${provider.keyLast4}` : ''}`;
  if (!provider.needsKey) return provider.configured ? `At ${provider.baseUrl}` : 'Runs on your machine; no key needed';
  return 'No key';
}

/** The system prompt every new chat starts with (each chat can change its own in Chat settings). */
function DefaultSystemPrompt({ saved, onSave }: { saved: string; onSave(systemPrompt: string): void }) {
  const [draft, setDraft] = useState(saved);
  return (
    <label className="field-column">
      <span>System prompt</span>
      <textarea
        rows={3}
        value={draft}
        maxLength={100_000}
        placeholder="Instructions every new chat gives the model before the conversation (none by default)"
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => draft !== saved && onSave(draft)}
        data-testid="default-system-prompt"
      />
    </label>
  );
}
