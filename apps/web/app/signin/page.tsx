// Sign-in page.
import { SignInForm } from '../../components/AuthForm';

export default function SignInPage() {
  return (
    <div className="auth-page">
      <SignInForm />
    </div>
  );
}
