import { useState } from 'react';
import { MODALITIES, MODALITY_LABELS, type Modality } from '@kneadback/shared/vocabulary';
import { profileSchema, type CurrentUser, type Profile } from '@kneadback/shared/schemas/user';
import { useAuth } from '../../app/AuthProvider.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { CheckboxGroup } from '../../app/ui/CheckboxGroup.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { useForm } from '../../lib/useForm.ts';
import './profile.css';

const MODALITY_CHOICES = MODALITIES.map((value) => ({ value, label: MODALITY_LABELS[value] }));

export function ProfilePage() {
  usePageTitle('Profile');
  const { user } = useAuth();
  // RequireAuth guarantees a user; the form starts from the saved profile
  if (!user) return null;
  return <ProfileForm user={user} />;
}

function ProfileForm({ user }: { user: CurrentUser }) {
  const { updateProfile } = useAuth();
  const form = useForm<Profile>({ displayName: user.displayName, modalities: user.modalities, city: user.city });
  const [saved, setSaved] = useState(false);

  const save = form.handleSubmit(profileSchema, async (body) => {
    setSaved(false);
    const { displayName, modalities, city } = await updateProfile(body);
    form.reset({ displayName, modalities, city });
    setSaved(true);
  });

  return (
    <div className="page profile">
      <h1>Your profile</h1>
      <p className="lead">What exchange partners see when they look for someone to trade with.</p>
      <form className="card stack profile__form" noValidate onChange={() => setSaved(false)} onSubmit={save}>
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        <p className="profile__account">
          Signed in as <strong>{user.email}</strong>
        </p>
        <TextField
          {...form.textField('displayName')}
          label="Display name"
          autoComplete="name"
          maxLength={60}
          required
        />
        <CheckboxGroup<Modality>
          legend="Modalities"
          hint="The styles you practise. Partners search by these."
          options={MODALITY_CHOICES}
          value={form.values.modalities}
          onChange={(next) => form.setValue('modalities', next)}
          error={form.fieldErrors.modalities}
        />
        <TextField
          {...form.textField('city')}
          label="City"
          hint="Optional. Helps therapists nearby find you."
          autoComplete="address-level2"
          maxLength={80}
        />
        <div className="profile__actions">
          <Button type="submit" busy={form.busy}>
            Save profile
          </Button>
          {/* Always mounted so the confirmation is announced when it appears */}
          <p role="status" className="profile__saved">
            {saved && (
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
