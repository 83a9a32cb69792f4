import { usePageTitle } from '../../app/usePageTitle.ts';

export function ExchangesPage() {
  usePageTitle('Exchanges');
  return (
    <div className="page">
      <h1>Your exchanges</h1>
    </div>
  );
}
