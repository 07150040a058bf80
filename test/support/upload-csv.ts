import type { CsvUploadReport } from '../../src/contract/console.js';

/**
 * A CSV upload of `count` data rows with every kind of outcome: acquisitions numbered by the registry,
 * every 97th with an impossible birth date (refused while the file is read, column 生年月日), every
 * 89th the loss of a member that does not exist (refused when recorded), every 50th a copy of the row
 * before it (the same content key: replayed). No 保険者番号 column: each row is the uploader's.
 */
export function uploadCsvText(count: number): string {
  const lines = ['種別,記号,番号,資格取得日,資格喪失日,届出日,氏名,フリガナ,生年月日,性別'];
  for (let i = 1; i <= count; i++) {
    const symbol = String(100 + (i % 50));
    if (i % 89 === 0) lines.push(`喪失,${symbol},99${i},,2025-11-15,2025-11-21,,,,`);
    else if (i % 50 === 0) lines.push(lines.at(-1) ?? '');
    else {
      const born = i % 97 === 0 ? '1989-02-30' : `19${60 + (i % 30)}-10-01`;
      lines.push(`取得,${symbol},,2025-11-01,,2025-11-21,協会 太郎${i},キョウカイ タロウ,${born},男`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The report without the ids the store draws at random (member and notification ids). */
export function comparableUpload(report: CsvUploadReport) {
  return {
    counts: [report.total, report.accepted, report.rejected, report.written, report.replayed],
    rows: report.rows.map((row) =>
      row.ok
        ? {
            line: row.line,
            number: `${row.result.symbol}-${row.result.number}-${row.result.branch}`,
            row: row.replayed,
          }
        : { line: row.line, code: row.error.code, errors: row.error.errors, columns: row.columns },
    ),
  };
}
