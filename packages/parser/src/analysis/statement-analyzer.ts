import { BaseErrorListener, CharStream, CommonTokenStream, ParserRuleContext, PredictionMode, type TerminalNode } from 'antlr4ng';
import { kindOfFirstWord, type StatementKind } from '@sqltrace/core';
import { SqlStatementLexer } from '../generated/SqlStatementLexer';
import {
  CopyContext,
  CopyStatementContext,
  CteContext,
  CursorContext,
  DdlContext,
  DdlTargetContext,
  DeleteStatementContext,
  DmlContext,
  InsertStatementContext,
  MergeStatementContext,
  type NameContext,
  OtherContext,
  SelectStatementContext,
  SqlStatementParser,
  TableNameContext,
  TableSourceContext,
  TclContext,
  UpdateStatementContext,
  WriteTargetContext,
  DdlStatementContext,
  type ScriptContext,
} from '../generated/SqlStatementParser';
import type { StatementAnalysis } from './statement-analysis';

class CountingErrorListener extends BaseErrorListener {
  errors = 0;
  override syntaxError(): void {
    this.errors++;
  }
}

/**
 * Analyses a statement (normally a template's text) with the ANTLR grammar: its kind and the
 * tables it reads and writes. Runs once per template, not per statement. Never throws: SQL the
 * grammar has no rules for yields what could be recognised, with `complete: false`.
 */
export function analyzeStatement(sql: string): StatementAnalysis {
  try {
    // SLL prediction is fast and right for almost every statement; retry with full LL on errors.
    let { tree, errors } = parse(sql, PredictionMode.SLL);
    if (errors > 0) ({ tree, errors } = parse(sql, PredictionMode.LL));
    const read = new Set<string>();
    const written = new Set<string>();
    const ctes = new Set<string>();
    walk(tree, read, written, ctes);
    for (const cte of ctes) read.delete(cte);
    for (const table of written) read.delete(table);
    const first = tree.statement(0);
    const kind = first === null ? kindOfFirstWord(firstWord(sql)) : kindOf(first, sql);
    return { kind, tables: { read: [...read], written: [...written] }, complete: errors === 0 };
  } catch (e) {
    if (process.env.STB_DEBUG_ANALYSIS) console.error(e);
    return { kind: kindOfFirstWord(firstWord(sql)), tables: { read: [], written: [] }, complete: false };
  }
}

function parse(sql: string, mode: typeof PredictionMode.SLL): { tree: ScriptContext; errors: number } {
  const errors = new CountingErrorListener();
  const lexer = new SqlStatementLexer(CharStream.fromString(sql));
  lexer.removeErrorListeners();
  lexer.addErrorListener(errors);
  const parser = new SqlStatementParser(new CommonTokenStream(lexer));
  parser.removeErrorListeners();
  parser.addErrorListener(errors);
  parser.interpreter.predictionMode = mode;
  const tree = parser.script();
  return { tree, errors: errors.errors };
}

function kindOf(statement: ParserRuleContext, sql: string): StatementKind {
  if (statement instanceof DmlContext) {
    const dml = statement.dmlStatement().getChild(0);
    if (dml instanceof SelectStatementContext) return 'select';
    if (dml instanceof InsertStatementContext) return 'insert';
    if (dml instanceof UpdateStatementContext) return 'update';
    if (dml instanceof DeleteStatementContext) return 'delete';
    if (dml instanceof MergeStatementContext) return 'merge';
  }
  if (statement instanceof CopyContext) return 'copy';
  if (statement instanceof DdlContext) return 'ddl';
  if (statement instanceof TclContext) return 'tcl';
  if (statement instanceof CursorContext) return 'cursor';
  if (statement instanceof OtherContext) {
    const kind = kindOfFirstWord(statement.start?.text ?? '');
    return kind === 'unknown' ? 'utility' : kind;
  }
  return kindOfFirstWord(firstWord(sql));
}

function walk(node: ParserRuleContext, read: Set<string>, written: Set<string>, ctes: Set<string>): void {
  if (node instanceof CteContext) {
    ctes.add(nameOf(node.name()));
  } else if (node instanceof WriteTargetContext || node instanceof DdlTargetContext) {
    const table = node.getChild(node instanceof WriteTargetContext && node.ONLY() ? 1 : 0);
    if (table instanceof TableNameContext) written.add(tableNameOf(table));
  } else if (node instanceof TableSourceContext) {
    const table = node.tableName();
    // `name(…)` is a function call (generate_series, unnest), not a table.
    if (table !== null && node.LPAREN() === null) read.add(tableNameOf(table));
  } else if (node instanceof CopyStatementContext) {
    const table = node.tableName();
    if (table !== null) (node.FROM() !== null ? written : read).add(tableNameOf(table));
  } else if (node instanceof DdlStatementContext && node.TRUNCATE() !== null) {
    for (const table of node.tableName()) written.add(tableNameOf(table));
  } else if (node instanceof DeleteStatementContext) {
    for (const table of node.tableName()) written.add(tableNameOf(table));
  }
  for (let i = 0; i < node.getChildCount(); i++) {
    const child = node.getChild(i);
    if (child instanceof ParserRuleContext) walk(child, read, written, ctes);
  }
}

function tableNameOf(table: TableNameContext): string {
  return table.name().map(nameOf).join('.');
}

function nameOf(name: NameContext): string {
  const quoted = name.QUOTED_IDENT() as TerminalNode | null;
  if (quoted !== null) {
    const text = quoted.getText();
    const q = text[0]!;
    return text.slice(1, -1).replaceAll(q + q, q);
  }
  return name.getText().toLowerCase();
}

function firstWord(sql: string): string {
  const m = /[A-Za-z_]+/.exec(sql);
  return m === null ? '' : m[0];
}
