/**
 * ApiError is what every Api method rejects with: the backend's message,
 * whatever the transport delivered (Wails rejects with a bare string, fetch
 * with a TypeError, an HTTP handler with a JSON body).
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    message: string,
    /** The operation that failed, e.g. "search". */
    readonly op: string,
    /** The HTTP status, when the transport has one (404: nothing of that name). */
    readonly status?: number,
    /** Names the backend offers instead of an unknown one. */
    readonly suggestions: { id: string; name: string; kind: string }[] = [],
  ) {
    super(message);
  }

  /** unreachable reports whether the request never got an answer (web mode: the connection failed or was cut). */
  get unreachable(): boolean {
    return this.status === undefined && /^Cannot reach Engram/.test(this.message);
  }

  /** notFound reports whether the backend said nothing has that name or ID. */
  get notFound(): boolean {
    return this.status === 404 || /^no one or nothing called|no note called|not found/i.test(this.message);
  }
}

/** toApiError turns any rejection value into an ApiError for op. */
export function toApiError(op: string, reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  if (reason instanceof Error) return new ApiError(reason.message, op);
  if (typeof reason === "string" && reason !== "") return new ApiError(reason, op);
  if (reason && typeof reason === "object" && "message" in reason) {
    return new ApiError(String((reason as { message: unknown }).message), op);
  }
  return new ApiError(`${op} failed with no message`, op);
}
