import { useEffect } from 'react';
import { signOut } from '../api';
import { navigate } from '../router';
import { TwoFactor } from './TwoFactor';

/**
 * A tenant that requires two-factor authentication signs a user without it in with an enrolment
 * token only (role mfa_enrollment): it can set up the second factor and nothing else. Once set up,
 * the user signs in again with a code.
 */
export default function MfaEnrolment() {
  useEffect(() => {
    document.title = 'Set up two-factor authentication · SecureBase';
  }, []);
  return (
    <main className="sign-in" id="main">
      <div className="card enrolment">
        <h1>Set up two-factor authentication</h1>
        <p className="notice">
          Your organisation requires two-factor authentication. Set it up here, then sign in again with a code from your
          authenticator app.
        </p>
        <TwoFactor mfaRequired />
        <button type="button" className="secondary" onClick={() => signOut().then(() => navigate('/'))}>
          Sign in again
        </button>
      </div>
    </main>
  );
}
