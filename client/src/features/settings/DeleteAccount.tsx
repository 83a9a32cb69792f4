import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  DELETED_ACCOUNT_NAME,
  deleteAccountBodySchema,
  type DeleteAccountBody,
} from '@kneadback/shared/schemas/account';
import { useAuth } from '../../app/AuthProvider.tsx';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { PasswordField } from '../../app/ui/PasswordField.tsx';
import { useToast } from '../../app/ui/Toast.tsx';
import { useForm } from '../../lib/useForm.ts';

/** Says what happens, then asks for the password before deleting. */
export function DeleteAccount() {
  const { deleteAccount } = useAuth();
  const navigate = useNavigate();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const form = useForm<DeleteAccountBody>({ password: '' });

  const submit = form.handleSubmit(deleteAccountBodySchema, async ({ password }) => {
    await deleteAccount(password);
    toast('Your account was deleted.', 'success');
    navigate('/login', { replace: true });
  });

  return (
    <section className="card stack settings__section settings__danger" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete your account</h2>
      <ul className="settings__text">
        <li>Your profile, blocked list, notifications and Review are deleted, and you are signed out everywhere.</li>
        <li>
          Partners keep the debriefs you shared with them. Your name there becomes “{DELETED_ACCOUNT_NAME}”; the marks
          and replies stay so their notes still make sense.
        </li>
        <li>This cannot be undone. Download your data first if you want a copy.</li>
      </ul>
      {!confirming ? (
        <div>
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Delete my account…
          </Button>
        </div>
      ) : (
        <form className="stack" noValidate onSubmit={submit}>
          {form.formError && <Alert tone="error">{form.formError}</Alert>}
          <PasswordField
            {...form.textField('password')}
            label="Your password, to confirm"
            autoComplete="current-password"
          />
          <div className="settings__confirm">
            <Button type="submit" variant="danger" busy={form.busy}>
              Delete my account for good
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Keep my account
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
