/** Base of every error untangle throws on purpose; `code` is stable and safe to branch on. */
export class UntangleError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A user-supplied option, environment variable or config value is invalid; the message lists valid values. */
export class ConfigError extends UntangleError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_CONFIG', message, options);
  }
}
