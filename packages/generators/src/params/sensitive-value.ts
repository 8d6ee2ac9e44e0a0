/**
 * Values that must never enter a model, whatever their frequency: passwords (by the keyword the
 * template puts before the slot), connection strings and file paths (by their form).
 */

/** A slot right after `PASSWORD`, `IDENTIFIED BY` or `SECRET` holds a secret. */
const SECRET_BEFORE = /(password|identified\s+(by|with\s+\S+\s+by)|secret|passwd)\s*=?\s*$/i;

/** URLs with credentials or of a database scheme, and key=value connection strings. */
const CONNECTION_STRING = /^[a-z][a-z0-9+.-]*:\/\/[^\s/]*@|^(postgres(ql)?|mysql|mariadb|mongodb(\+srv)?|redis|jdbc:[a-z]+|sqlserver|oracle|amqp):/i;
const KEY_VALUE_CREDENTIALS = /(^|[\s;])(password|pwd|passwd|user id|uid)\s*=/i;

/** Absolute paths with at least two components: `/var/lib/x.csv`, `C:\data\x`, `\\server\share`, `~/x/y`. */
const FILE_PATH = /^(\/[^/\s]+\/[^/\s]|~\/[^/\s]+\/|[A-Za-z]:\\[^\\]+\\|\\\\[^\\]+\\)/;

/** Whether the template text before a slot marks it as a password. */
export function isSecretSlot(textBefore: string): boolean {
  return SECRET_BEFORE.test(textBefore.slice(-40));
}

/** Whether a string value is a connection string or a file path. */
export function isSensitiveString(value: string): boolean {
  return CONNECTION_STRING.test(value) || KEY_VALUE_CREDENTIALS.test(value) || FILE_PATH.test(value);
}
