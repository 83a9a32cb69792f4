import { Link, useLocation } from 'react-router-dom';
import type { LoginBody } from '@kneadback/shared/schemas/user';
import { useAuth } from '../../app/AuthProvider.tsx';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { Alert } from '../../app/ui/Alert.tsx';
import { Button } from '../../app/ui/Button.tsx';
import { PasswordField } from '../../app/ui/PasswordField.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { useForm } from '../../lib/useForm.ts';
import { loadUserSchemas } from '../../lib/userSchemas.ts';
import { AuthPanel } from './AuthPanel.tsx';
import './auth.css';

// Not in the page's first download; fetched once the visitor starts on the form, so submitting does not wait for it
const loginBodySchema = () => loadUserSchemas().then((m) => m.loginBodySchema);
const fetchSchemasEarly = () => void loadUserSchemas().catch(() => {});

export function LoginPage() {
  usePageTitle('Sign in');
  const { signIn } = useAuth();
  const location = useLocation();
  const form = useForm<LoginBody>({ email: '', password: '' });

  return (
    <AuthPanel
      title="Welcome back"
      intro="Sign in to pick up your exchanges and debriefs."
      footer={
        <>
          New to Kneadback?{' '}
          <Link to="/signup" state={location.state}>
            Create an account
          </Link>
        </>
      }
    >
      <form
        className="stack"
        noValidate
        onFocus={fetchSchemasEarly}
        onSubmit={form.handleSubmit(loginBodySchema, signIn)}
      >
        {form.formError && <Alert tone="error">{form.formError}</Alert>}
        <TextField
          {...form.textField('email')}
          label="Email"
          type="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <PasswordField {...form.textField('password')} label="Password" autoComplete="current-password" required />
        <Button type="submit" block busy={form.busy}>
          Sign in
        </Button>
      </form>
    </AuthPanel>
  );
}
