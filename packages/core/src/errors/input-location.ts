/** Where in an input a problem is: `file:line:column`, 1-based like every editor. */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export function formatLocation(location: InputLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}
