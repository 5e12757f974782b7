import { UntangleError } from '../errors.js';

/** A data file is malformed; the message starts with `file:line:` and says what was expected. */
export class DataFormatError extends UntangleError {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, problem: string) {
    super('E_DATA_FORMAT', `${file}:${line}: ${problem}`);
    this.file = file;
    this.line = line;
  }
}

/** A dataset's files are neither on disk nor downloadable; the message says which files to put where. */
export class DataMissingError extends UntangleError {
  constructor(message: string) {
    super('E_DATA_MISSING', message);
  }
}

/** A downloaded or local file does not match its pinned checksum. */
export class ChecksumError extends UntangleError {
  constructor(message: string) {
    super('E_CHECKSUM', message);
  }
}

/** A protocol or operation cannot run on this data (e.g. a time-ordered split without timestamps). */
export class ProtocolError extends UntangleError {
  constructor(message: string) {
    super('E_PROTOCOL', message);
  }
}
