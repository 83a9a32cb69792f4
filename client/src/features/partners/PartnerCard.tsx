import { Link } from 'react-router-dom';
import { therapistPath } from '../../lib/links.ts';
import type { PartnerCard as Card } from '@kneadback/shared/schemas/profile';
import { MODALITY_LABELS } from '@kneadback/shared/vocabulary';
import { Avatar } from './Avatar.tsx';
import { distanceLabel, languageList, modalityList } from './labels.ts';

export function PartnerCard({ partner }: { partner: Card }) {
  const complementary = new Set(partner.complementary);
  const where = [partner.city, distanceLabel(partner.distanceBand)].filter(Boolean).join(' · ');
  return (
    <li className="partner-card card">
      <Avatar name={partner.displayName} userId={partner.id} photoVersion={partner.photoVersion} />
      <div className="partner-card__body">
        <h3 className="partner-card__name">
          <Link to={therapistPath(partner.id)}>{partner.displayName}</Link>
        </h3>
        {where && <p className="partner-card__where">{where}</p>}
        {partner.modalities.length > 0 && (
          <ul className="partner-card__tags" aria-label="Modalities">
            {partner.modalities.map((m) => (
              <li key={m} className={complementary.has(m) ? 'tag tag--new' : 'tag'}>
                {MODALITY_LABELS[m]}
                {complementary.has(m) && <span className="visually-hidden"> (new to you)</span>}
              </li>
            ))}
          </ul>
        )}
        {partner.teaches.length > 0 && (
          <p className="partner-card__teaches">Certified to teach {modalityList(partner.teaches)}</p>
        )}
        {(partner.languages.length > 0 || partner.specialties.length > 0) && (
          <p className="partner-card__more">
            {[languageList(partner.languages), partner.specialties.join(', ')].filter(Boolean).join(' · ')}
          </p>
        )}
      </div>
    </li>
  );
}
