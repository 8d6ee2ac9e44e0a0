// @sqltrace/generators — not implemented yet (see README.md). The public API will be exported from here.
export {};
