import { useState } from 'react';
import { accountExportSchema } from '@kneadback/shared/schemas/account';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { api, toApiRequestError } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';

/** Fetches the export and hands it to the browser as a file. */
export function ExportData() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const data = await api.get('/api/account/export', accountExportSchema);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `kneadback-export-${data.exportedAt.slice(0, 10)}.json`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setProblem(asSentence(toApiRequestError(err).message));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack settings__section" aria-labelledby="export-heading">
      <h2 id="export-heading">Download your data</h2>
      <p className="settings__text">
        One JSON file with your account, profile, blocked people, exchanges, and the marks and thread replies you wrote.
      </p>
      {problem && <Alert tone="error">{problem}</Alert>}
      <div>
        <Button variant="secondary" busy={busy} onClick={() => void download()}>
          Download my data
        </Button>
      </div>
    </section>
  );
}
