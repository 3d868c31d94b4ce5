// Sign-up page: every new account is a trader; other roles are granted by an administrator.
import { SignUpForm } from '../../components/AuthForm';

export default function SignUpPage() {
  return (
    <div className="auth-page">
      <SignUpForm />
    </div>
  );
}
