import { Link, useLocation } from 'react-router-dom';
import { PASSWORD_RULE, signupBodySchema, type SignupBody } from '@kneadback/shared/schemas/user';
import { useAuth } from '../../app/AuthProvider.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { PasswordField } from '../../app/ui/PasswordField.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { useForm } from '../../lib/useForm.ts';
import { AuthPanel } from './AuthPanel.tsx';
import './auth.css';

export function SignupPage() {
  usePageTitle('Create account');
  const { signUp } = useAuth();
  const location = useLocation();
  const form = useForm<SignupBody>({ email: '', password: '', displayName: '' });

  return (
    <AuthPanel
      title="Join Kneadback"
      intro="Trade massage with fellow therapists and keep their technique feedback in one place."
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" state={location.state}>
            Sign in
          </Link>
        </>
      }
    >
      <form className="stack" noValidate onSubmit={form.handleSubmit(signupBodySchema, signUp)}>
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        <TextField
          {...form.textField('email')}
          label="Email"
          type="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <PasswordField
          {...form.textField('password')}
          label="Password"
          hint={`Use ${PASSWORD_RULE}.`}
          autoComplete="new-password"
          required
        />
        <TextField
          {...form.textField('displayName')}
          label="Display name"
          hint="How exchange partners will see you."
          autoComplete="name"
          maxLength={60}
          required
        />
        <Button type="submit" block busy={form.busy}>
          Create account
        </Button>
      </form>
    </AuthPanel>
  );
}
