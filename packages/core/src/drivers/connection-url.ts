/** `scheme://user:password@host…`: the password runs to the token's last `@` (it may hold `@`, `/`, `:`). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)\S*@(?=[^\s@]*)/gi;
/** `?password=…`, `&pwd=…` in a URL's query. */
const QUERY_PASSWORD = /([?&;](?:password|pass|pwd|sslpassword|sslkey_password)=)[^&\s;]*/gi;
/** key=value connection strings (libpq `password=…`, ODBC/ADO `Pwd=…;`), quoted or not. */
const KEY_VALUE_PASSWORD = /(^|[\s;,({])((?:ssl)?password|pwd|pass)(\s*=\s*)('(?:\\.|[^'\\])*'?|"(?:\\.|[^"\\])*"?|[^\s;,)}]+)/gi;

/**
 * Text with every connection-string password replaced by `***` — URL (`postgres://u:p@h/db`,
 * whatever characters the password holds), query (`?password=`) and key=value forms
 * (`host=h user=u password=p`, `Pwd=p;`). The one redaction used for every message, log line and
 * file stb writes: pass it a URL, an error message or any text that may quote one.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_PASSWORD, (match, head: string) => {
      // The password ends at the last `@` of the token (a host has none).
      const at = match.lastIndexOf('@');
      return at > head.length ? `${head}***@` : match;
    })
    .replace(QUERY_PASSWORD, '$1***')
    .replace(KEY_VALUE_PASSWORD, '$1$2$3***');
}

/** True when the text holds a password {@link redactSecrets} would hide (URL, query or key=value form). */
export function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}
