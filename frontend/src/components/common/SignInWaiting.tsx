/**
 * SignInWaiting says a sign-in waits for the browser, with a link to its
 * address in case the browser did not open it. name prefixes its classes
 * (NAME-waiting, NAME-auth-link), which the views' tests look for.
 */
export function SignInWaiting({ authURL, name }: { authURL: string; name: string }) {
  return (
    <p class={`form-notice ${name}-waiting`} aria-live="polite">
      Waiting for sign-in in your browser…{" "}
      <a class={`${name}-auth-link`} href={authURL} target="_blank" rel="noopener noreferrer">
        Open the sign-in page
      </a>{" "}
      if it did not open.
    </p>
  );
}
