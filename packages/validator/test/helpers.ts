import { corporaDescribe } from '@sqltrace/fixtures/src/corpora';

export { corpus } from '@sqltrace/fixtures/src/corpora';
export const describeCorpora = corporaDescribe('validator');
