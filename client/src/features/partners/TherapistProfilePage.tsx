import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { profileViewResponseSchema, type ProfileView } from '@kneadback/shared/schemas/profile';
import { MODALITY_LABELS } from '@kneadback/shared/vocabulary';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { LoadFailed, Loading } from '../../app/ui/QueryStatus.tsx';
import { requestExchangePath } from '../../lib/links.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { Avatar } from './Avatar.tsx';
import { BlockButton } from './BlockButton.tsx';
import { EndorsementsList } from '../partnership/EndorsementsList.tsx';
import { availabilityText, distanceLabel, languageList, yearsText } from './labels.ts';
import './partners.css';

export function TherapistProfilePage() {
  const { userId = '' } = useParams();
  const profile = useQuery(
    apiQuery(queryKeys.profiles.one(userId), `/api/profiles/${encodeURIComponent(userId)}`, profileViewResponseSchema),
  );
  usePageTitle(profile.data?.profile.displayName ?? 'Therapist');

  if (profile.isPending) return <Loading what="the profile" />;
  if (profile.error) {
    return (
      <div className="page">
        {profile.error.status === 404 ? (
          <>
            <h1>Therapist not found</h1>
            <p className="lead">
              This profile does not exist or is not shown to you.{' '}
              <Link className="touch-link" to="/partners">
                Find partners
              </Link>
            </p>
          </>
        ) : (
          <LoadFailed what="the profile" query={profile} />
        )}
      </div>
    );
  }
  return <TherapistProfile profile={profile.data.profile} />;
}

function TherapistProfile({ profile: p }: { profile: ProfileView }) {
  const where = [p.city, distanceLabel(p.distanceBand)].filter(Boolean).join(' · ');
  const teaching = (p.certifications ?? []).filter((c) => c.qualifiesToTeach);
  return (
    <div className="page therapist">
      <header className="therapist__head">
        <Avatar name={p.displayName} userId={p.id} photoVersion={p.photoVersion} size="lg" />
        <div>
          <h1>{p.displayName}</h1>
          {where && <p className="therapist__where">{where}</p>}
          <p className="therapist__status">
            {p.openToExchanges ? 'Open to exchanges' : 'Not looking for new exchanges'}
            {p.exchangeCount !== undefined &&
              ` · ${p.exchangeCount} exchange${p.exchangeCount === 1 ? '' : 's'} completed on Kneadback`}
          </p>
          {teaching.length > 0 && (
            <p className="therapist__teaches">
              Certified instructor: {teaching.map((c) => MODALITY_LABELS[c.modality]).join(', ')}
            </p>
          )}
        </div>
      </header>

      {p.relationship === 'self' ? (
        <p className="lead">
          This is how partners see your profile.{' '}
          <Link className="touch-link" to="/profile">
            Edit your profile
          </Link>
        </p>
      ) : (
        <div className="therapist__actions">
          <Link className="button button--primary" to={requestExchangePath(p.id)}>
            Request an exchange
          </Link>
          <BlockButton userId={p.id} name={p.displayName} />
        </div>
      )}

      <div className="therapist__parts">
        {p.bio && (
          <Part title="About">
            <p className="therapist__bio">{p.bio}</p>
          </Part>
        )}
        {p.modalities && p.modalities.length > 0 && (
          <Part title="Modalities">
            <ul>
              {p.modalities.map((m) => (
                <li key={m.modality}>
                  {MODALITY_LABELS[m.modality]}, {yearsText(m.years)}
                </li>
              ))}
            </ul>
          </Part>
        )}
        {p.specialties && p.specialties.length > 0 && (
          <Part title="Specialties">
            <p>{p.specialties.join(', ')}</p>
          </Part>
        )}
        {p.certifications && p.certifications.length > 0 && (
          <Part title="Certifications">
            <ul>
              {p.certifications.map((c, i) => (
                <li key={i}>
                  {c.title}, {MODALITY_LABELS[c.modality]} ({c.issuer}, {c.year})
                  {c.qualifiesToTeach && <strong> · qualified to teach</strong>}
                </li>
              ))}
            </ul>
          </Part>
        )}
        {p.languages && p.languages.length > 0 && (
          <Part title="Languages">
            <p>{languageList(p.languages)}</p>
          </Part>
        )}
        {p.availability && p.availability.length > 0 && (
          <Part title="Usually available">
            <p>{availabilityText(p.availability)}</p>
          </Part>
        )}
      </div>
      <EndorsementsList userId={p.id} />
    </div>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card therapist__part">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
