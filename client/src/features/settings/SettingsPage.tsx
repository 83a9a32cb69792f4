import { usePageTitle } from '../../app/usePageTitle.ts';
import { BlockedPeople } from './BlockedPeople.tsx';
import { DeleteAccount } from './DeleteAccount.tsx';
import { ExportData } from './ExportData.tsx';
import './settings.css';

export function SettingsPage() {
  usePageTitle('Settings');
  return (
    <div className="page settings">
      <h1>Settings</h1>
      <BlockedPeople />
      <ExportData />
      <DeleteAccount />
    </div>
  );
}
