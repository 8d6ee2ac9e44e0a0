// A deliberately forgiving SQL grammar for per-template analysis: statement kind and the tables
// a statement reads and writes, for PostgreSQL and MySQL. It recognises the clauses that name
// tables (FROM, JOIN, USING, INTO, UPDATE, CTEs, subqueries) and lets everything else pass as
// tokens, so statements it has no rules for still parse (as `otherStatement`).
grammar SqlStatement;

options { caseInsensitive = true; }

script : SEMI* statement (SEMI+ statement)* SEMI* EOF ;

statement
    : withClause? dmlStatement          # dml
    | copyStatement                     # copy
    | ddlStatement                      # ddl
    | tclStatement                      # tcl
    | cursorStatement                   # cursor
    | otherStatement                    # other
    ;

withClause : WITH RECURSIVE? cte (COMMA cte)* ;
cte        : name parenBody? AS (NOT? MATERIALIZED)? LPAREN innerStatement RPAREN ;
innerStatement : withClause? dmlStatement ;

dmlStatement
    : selectStatement
    | insertStatement
    | updateStatement
    | deleteStatement
    | mergeStatement
    ;

selectStatement : (SELECT | VALUES) body | TABLE tableName body ;
insertStatement : (INSERT | REPLACE) modifier* INTO? writeTarget body ;
updateStatement : UPDATE modifier* writeTarget (COMMA writeTarget)* body ;
deleteStatement : DELETE modifier* (tableName (COMMA tableName)*)? FROM writeTarget (COMMA writeTarget)* body ;
mergeStatement  : MERGE INTO writeTarget body ;
modifier        : LOW_PRIORITY | DELAYED | HIGH_PRIORITY | IGNORE | QUICK ;

writeTarget : ONLY? tableName alias? ;

copyStatement : COPY (tableName parenBody? | LPAREN innerStatement RPAREN) (FROM | TO) body ;

ddlStatement
    : (CREATE | ALTER | DROP) (OR REPLACE)? ddlModifier* objectType (IF NOT? EXISTS)? ONLY? ddlTarget body
    | (CREATE | ALTER | DROP) body
    | TRUNCATE TABLE? ONLY? tableName (COMMA tableName)* body
    | (GRANT | REVOKE | COMMENT | RENAME) body
    ;
ddlModifier : TEMP | TEMPORARY | UNLOGGED | GLOBAL | LOCAL | UNIQUE | MATERIALIZED ;
objectType  : TABLE | VIEW | INDEX CONCURRENTLY? (IF NOT? EXISTS)? name? ON ;
ddlTarget   : tableName ;

tclStatement : (BEGIN | START | COMMIT | ROLLBACK | END | SAVEPOINT | RELEASE | ABORT | XA) body ;
cursorStatement : (DECLARE | FETCH | MOVE | CLOSE) body ;
otherStatement : anyToken body ;

body     : element* ;
element
    : fromClause
    | joinClause
    | USING LPAREN parenBody? RPAREN   // JOIN … USING (col, …)
    | usingClause
    | LPAREN innerStatement RPAREN
    | LPAREN parenBody? RPAREN
    | ~(SEMI | LPAREN | RPAREN | FROM | JOIN | USING)
    ;
fromClause  : FROM tableSource (COMMA tableSource)* ;
joinClause  : JOIN tableSource ;
usingClause : USING tableSource ;
tableSource
    : LATERAL? LPAREN innerStatement RPAREN alias?
    | ONLY? tableName LPAREN parenBody? RPAREN alias?      // a function call such as generate_series(…)
    | ONLY? tableName alias?
    ;
alias : AS? name (LPAREN parenBody? RPAREN)? ;

// Inside parentheses FROM is not always a table (EXTRACT(year FROM d), SUBSTRING(s FROM 2)).
parenBody : (LPAREN innerStatement RPAREN | LPAREN parenBody? RPAREN | ~(LPAREN | RPAREN))+ ;

tableName : name (DOT name)* ;
name : IDENT | QUOTED_IDENT | nonReserved ;
nonReserved
    : TEMP | TEMPORARY | UNLOGGED | GLOBAL | LOCAL | MATERIALIZED | RECURSIVE | QUICK | COMMENT | RENAME | VIEW | INDEX
    | ABORT | RELEASE | SAVEPOINT | START | XA | MOVE | CLOSE | FETCH | DECLARE | CONCURRENTLY | IGNORE | DELAYED | END
    ;
anyToken : ~(SEMI | LPAREN | RPAREN) ;

SELECT: 'SELECT'; VALUES: 'VALUES'; TABLE: 'TABLE'; INSERT: 'INSERT'; REPLACE: 'REPLACE'; INTO: 'INTO';
UPDATE: 'UPDATE'; DELETE: 'DELETE'; MERGE: 'MERGE'; FROM: 'FROM'; JOIN: 'JOIN'; USING: 'USING'; TO: 'TO';
WITH: 'WITH'; RECURSIVE: 'RECURSIVE'; AS: 'AS'; NOT: 'NOT'; MATERIALIZED: 'MATERIALIZED'; ONLY: 'ONLY';
LATERAL: 'LATERAL'; COPY: 'COPY'; CREATE: 'CREATE'; ALTER: 'ALTER'; DROP: 'DROP'; TRUNCATE: 'TRUNCATE';
OR: 'OR'; IF: 'IF'; EXISTS: 'EXISTS'; TEMP: 'TEMP'; TEMPORARY: 'TEMPORARY'; UNLOGGED: 'UNLOGGED';
GLOBAL: 'GLOBAL'; LOCAL: 'LOCAL'; UNIQUE: 'UNIQUE'; VIEW: 'VIEW'; INDEX: 'INDEX'; CONCURRENTLY: 'CONCURRENTLY';
ON: 'ON'; GRANT: 'GRANT'; REVOKE: 'REVOKE'; COMMENT: 'COMMENT'; RENAME: 'RENAME'; BEGIN: 'BEGIN';
START: 'START'; COMMIT: 'COMMIT'; ROLLBACK: 'ROLLBACK'; END: 'END'; SAVEPOINT: 'SAVEPOINT';
RELEASE: 'RELEASE'; ABORT: 'ABORT'; XA: 'XA'; DECLARE: 'DECLARE'; FETCH: 'FETCH'; MOVE: 'MOVE';
CLOSE: 'CLOSE'; LOW_PRIORITY: 'LOW_PRIORITY'; DELAYED: 'DELAYED'; HIGH_PRIORITY: 'HIGH_PRIORITY';
IGNORE: 'IGNORE'; QUICK: 'QUICK';

IDENT        : [A-Z_\u0080-\uFFFF] [A-Z_0-9$\u0080-\uFFFF]* ;
QUOTED_IDENT : '"' (~'"' | '""')* '"' | '`' (~'`' | '``')* '`' ;
STRING       : [EBXNU]? '\'' ('\\' . | '\'\'' | ~['\\])* '\'' ;
DOLLAR_STRING: '$' TAG? '$' .*? '$' TAG? '$' ;
fragment TAG : [A-Z_] [A-Z_0-9]* ;
PARAM        : '$' [0-9]+ | '?' ;
NUMBER       : [0-9]+ ('.' [0-9]*)? ([E] [+-]? [0-9]+)? | '.' [0-9]+ ([E] [+-]? [0-9]+)? | '0' [XBO] [0-9A-F_]+ ;
SEMI   : ';' ;
LPAREN : '(' ;
RPAREN : ')' ;
COMMA  : ',' ;
DOT    : '.' ;
OP     : [-+*/<>=~!@#%^&|:[\]{}\\] ;

LINE_COMMENT  : '--' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\f]+ -> skip ;
ANY           : . ;
