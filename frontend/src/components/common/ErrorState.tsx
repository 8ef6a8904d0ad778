/** ErrorState shows a failed operation's message and a way to try again. */
export function ErrorState({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <div class="state state-error" role="alert">
      <h2 class="state-title">{title}</h2>
      <p class="state-message">{message}</p>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
