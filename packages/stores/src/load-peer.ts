import { StbError } from '@sqltrace/core';

/** An optional peer package, loaded when a store needs it; missing, one E_STORE error saying what to install. */
export async function loadPeer<T>(name: string, what: string, install = name): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    throw new StbError('E_STORE', `${what} needs the ${name} package, which is not installed`, { cause: error, hint: `npm install ${install}` });
  }
}
