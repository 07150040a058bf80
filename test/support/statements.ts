import type SqliteDatabase from 'better-sqlite3';

/**
 * Counts the SQL statements run on a SQLite connection, whoever runs them (Kysely, the hand-written
 * hot path of src/store/fast.ts, transactions' BEGIN and COMMIT). Install it right after openStore:
 * only statements prepared afterwards are counted.
 */
export function countStatements(sqlite: SqliteDatabase.Database): { readonly sql: string[]; reset(): void } {
  const sql: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  (sqlite as { prepare: unknown }).prepare = (source: string) => {
    const statement = prepare(source) as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const method of ['run', 'all', 'get', 'iterate']) {
      const run = statement[method]?.bind(statement);
      if (!run) continue;
      statement[method] = (...args: unknown[]) => {
        sql.push(source.replace(/\s+/g, ' ').trim());
        return run(...args);
      };
    }
    return statement;
  };
  const exec = sqlite.exec.bind(sqlite);
  (sqlite as { exec: unknown }).exec = (source: string) => {
    sql.push(source.replace(/\s+/g, ' ').trim());
    return exec(source);
  };
  return {
    sql,
    reset: () => {
      sql.length = 0;
    },
  };
}
