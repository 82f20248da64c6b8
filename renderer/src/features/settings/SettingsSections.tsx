import type { ReactNode } from 'react';

/** Settings' sections, in page order: the navigation lists them and each is a titled part of the page. */
export const SETTINGS_SECTIONS = [
  { id: 'providers', title: 'Providers' },
  { id: 'models', title: 'Models and prices' },
  { id: 'recall', title: 'Recall' },
  { id: 'presets', title: 'Presets' },
  { id: 'tools', title: 'Tools' },
  { id: 'usage', title: 'Usage and budgets' },
  { id: 'appearance', title: 'Appearance' },
  { id: 'shortcuts', title: 'Shortcuts' },
  { id: 'data', title: 'Data' },
  { id: 'export', title: 'Export' },
  { id: 'import', title: 'Import' },
] as const;

export type SectionId = (typeof SETTINGS_SECTIONS)[number]['id'];

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Jumps to a section, and moves the keyboard focus there so Tab continues inside it. */
export function showSection(id: SectionId): void {
  const heading = document.getElementById(`settings-${id}`);
  if (!heading) return;
  // Only Settings' own scrolling pane moves (scrollIntoView would scroll the app's frame too, hiding its top).
  const pane = heading.closest('.settings-body');
  if (pane && pane.scrollHeight > pane.clientHeight) {
    const top = heading.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop - 8;
    pane.scrollTo({ top, behavior: reducedMotion() ? 'auto' : 'smooth' });
  } else heading.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'start' });
  heading.focus({ preventScroll: true });
}

export function SettingsNav() {
  return (
    <nav className="settings-nav" aria-label="Settings sections">
      <ul>
        {SETTINGS_SECTIONS.map((section) => (
          <li key={section.id}>
            <button type="button" className="link-button" onClick={() => showSection(section.id)} data-testid={`settings-nav-${section.id}`}>
              {section.title}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function SettingsSection({ id, title, children }: { id: SectionId; title: string; children: ReactNode }) {
  return (
    <section className="settings-section" aria-labelledby={`settings-${id}`} data-testid={`settings-section-${id}`}>
      <h2 id={`settings-${id}`} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}
