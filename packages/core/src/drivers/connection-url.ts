/** A connection URL with its password replaced by `***`, safe to print and to write into results. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*:)[^@/]*@/i, '$1***@')
    .replace(/([?&](password|pass|pwd)=)[^&]*/gi, '$1***');
}
