import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import {
  LANGUAGE_LABELS,
  LANGUAGES,
  type Language,
  type ProfilePart,
  type Visibility,
} from '@kneadback/shared/profile-vocabulary';
import {
  ownProfileResponseSchema,
  profileBodySchema,
  type OwnProfile,
  type ProfileBody,
} from '@kneadback/shared/schemas/profile';
import { useAuth } from '../../app/AuthProvider.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { CheckboxGroup } from '../../app/ui/CheckboxGroup.tsx';
import { LoadFailed, Loading } from '../../app/ui/QueryStatus.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { api } from '../../lib/api.ts';
import { therapistPath } from '../../lib/links.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { useForm } from '../../lib/useForm.ts';
import { AvailabilityField } from './AvailabilityField.tsx';
import { CertificationsField } from './CertificationsField.tsx';
import { LocationField } from './LocationField.tsx';
import { ModalitiesField } from './ModalitiesField.tsx';
import { PhotoField } from './PhotoField.tsx';
import { ProfileSection } from './ProfileSection.tsx';
import './profile.css';

const LANGUAGE_CHOICES = LANGUAGES.map((value) => ({ value, label: LANGUAGE_LABELS[value] }));

export function ProfilePage() {
  usePageTitle('Profile');
  const profile = useQuery(apiQuery(queryKeys.profiles.me(), '/api/profiles/me', ownProfileResponseSchema));
  if (profile.isPending) return <Loading what="your profile" />;
  if (profile.error) {
    return (
      <div className="page">
        <LoadFailed what="your profile" query={profile} />
      </div>
    );
  }
  return <ProfileForm saved={profile.data.profile} />;
}

const bodyOf = ({ id: _id, photoVersion: _photo, ...body }: OwnProfile): ProfileBody => body;

function ProfileForm({ saved }: { saved: OwnProfile }) {
  const { user, refresh } = useAuth();
  const form = useForm<ProfileBody>(bodyOf(saved));
  const [done, setDone] = useState(false);
  const [specialtiesText, setSpecialtiesText] = useState(saved.specialties.join(', '));
  const save = useMutation({
    mutationFn: (body: ProfileBody) => api.put('/api/profiles/me', body, ownProfileResponseSchema),
    meta: { invalidates: [queryKeys.profiles.all, queryKeys.partners.all] },
  });
  const { values, setValue } = form;
  const visibility = (part: ProfilePart) => ({
    part,
    visibility: values.visibility[part],
    onVisibility: (next: Visibility) => setValue('visibility', { ...values.visibility, [part]: next }),
  });

  const submit = form.handleSubmit(profileBodySchema, async (body) => {
    setDone(false);
    const { profile } = await save.mutateAsync(body);
    form.reset(bodyOf(profile));
    setSpecialtiesText(profile.specialties.join(', '));
    await refresh(); // the name in the header
    setDone(true);
  });

  return (
    <div className="page profile">
      <h1>Your profile</h1>
      <p className="lead">
        What other therapists see when they look for someone to trade with. Each part says who sees it: everyone signed
        in, or only partners you have exchanged with.{' '}
        <Link className="touch-link" to={therapistPath(saved.id)}>
          See it as others do
        </Link>
      </p>
      <form className="card stack profile__form" noValidate onChange={() => setDone(false)} onSubmit={submit}>
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        <p className="profile__account">
          Signed in as <strong>{user?.email}</strong>
        </p>
        <label className="choice profile__open">
          <input
            type="checkbox"
            className="choice__input"
            checked={values.openToExchanges}
            onChange={(e) => setValue('openToExchanges', e.target.checked)}
          />
          <span>
            <strong>Open to exchanges.</strong> Therapists can find me in Find partners and see my profile. When off,
            only my partners see it.
          </span>
        </label>
        <TextField
          {...form.textField('displayName')}
          label="Display name"
          autoComplete="name"
          maxLength={60}
          required
        />

        <ProfileSection title="Photo" {...visibility('photo')}>
          <PhotoField userId={saved.id} name={values.displayName} photoVersion={saved.photoVersion} />
        </ProfileSection>

        <ProfileSection title="About you" {...visibility('bio')} error={form.fieldErrors.bio}>
          <label className="field__label" htmlFor="profile-bio">
            A few words for future partners
          </label>
          <textarea
            id="profile-bio"
            className="field__input profile__bio"
            maxLength={1000}
            rows={4}
            value={values.bio}
            onChange={(e) => setValue('bio', e.target.value)}
          />
        </ProfileSection>

        <ProfileSection
          title="Modalities and years in each"
          {...visibility('modalities')}
          error={form.fieldErrors.modalities}
        >
          <ModalitiesField value={values.modalities} onChange={(next) => setValue('modalities', next)} />
        </ProfileSection>

        <ProfileSection title="Specialties" {...visibility('specialties')} error={form.fieldErrors.specialties}>
          <TextField
            label="What you are known for, separated by commas"
            placeholder="sports injuries, headaches"
            value={specialtiesText}
            onChange={(e) => {
              setSpecialtiesText(e.target.value);
              setValue(
                'specialties',
                e.target.value
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean),
              );
            }}
          />
        </ProfileSection>

        <ProfileSection
          title="Certifications"
          {...visibility('certifications')}
          error={form.fieldErrors.certifications}
        >
          <CertificationsField value={values.certifications} onChange={(next) => setValue('certifications', next)} />
        </ProfileSection>

        <ProfileSection title="Languages" {...visibility('languages')} error={form.fieldErrors.languages}>
          <CheckboxGroup<Language>
            legend="Languages you can work in"
            options={LANGUAGE_CHOICES}
            value={values.languages}
            onChange={(next) => setValue('languages', next)}
          />
        </ProfileSection>

        <ProfileSection
          title="City and distance"
          {...visibility('location')}
          error={form.fieldErrors.city ?? form.fieldErrors.location}
        >
          <TextField {...form.textField('city')} label="City or area" autoComplete="address-level2" maxLength={80} />
          <LocationField value={values.location} onChange={(next) => setValue('location', next)} />
        </ProfileSection>

        <ProfileSection
          title="When you are usually free"
          {...visibility('availability')}
          error={form.fieldErrors.availability}
        >
          <AvailabilityField value={values.availability} onChange={(next) => setValue('availability', next)} />
        </ProfileSection>

        <ProfileSection title="Exchanges completed on Kneadback" {...visibility('exchangeCount')}>
          <p className="field__hint">Counted for you from your past exchanges.</p>
        </ProfileSection>

        <div className="profile__actions">
          <Button type="submit" busy={form.busy}>
            Save profile
          </Button>
          {/* Always mounted so the confirmation is announced when it appears */}
          <p role="status" className="profile__saved">
            {done && (
              <>
                <span aria-hidden="true">✓ </span>Profile saved
              </>
            )}
          </p>
        </div>
      </form>
    </div>
  );
}
