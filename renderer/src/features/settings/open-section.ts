import { useNavigation } from '../../app/navigation.js';
import { showSection, type SectionId } from './SettingsSections.js';

/** Opens Settings at one section (from a link elsewhere in the app), once the page has drawn it. */
export function openSettingsSection(id: SectionId): void {
  useNavigation.getState().show('settings');
  const reveal = (tries: number) => {
    if (document.getElementById(`settings-${id}`)) showSection(id);
    else if (tries > 0) requestAnimationFrame(() => reveal(tries - 1));
  };
  requestAnimationFrame(() => reveal(30));
}
