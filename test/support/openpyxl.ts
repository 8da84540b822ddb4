/**
 * An independent reader of .xlsx files for the export tests: Python's openpyxl (not the exceljs
 * that writes them), installed from PyPI into a venv under the shared cache once, at a pinned version.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../../provision/cache-dir';

const OPENPYXL_VERSION = '3.1.5';

export function openpyxlPython(): string {
  const venv = path.join(cacheDir(), `py-openpyxl-${OPENPYXL_VERSION}`);
  const python = path.join(venv, 'bin', 'python3');
  if (!existsSync(path.join(venv, '.installed'))) {
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', `openpyxl==${OPENPYXL_VERSION}`], { stdio: 'inherit' });
    execFileSync(python, ['-c', `open(${JSON.stringify(path.join(venv, '.installed'))}, 'w').close()`]);
  }
  return python;
}

/** Every sheet's cell values, row by row (None as null), as openpyxl reads them. */
export function readXlsx(file: string): Record<string, (string | number | null)[][]> {
  const script = [
    'import json, sys, openpyxl',
    'book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)',
    'print(json.dumps({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}, ensure_ascii=False))',
  ].join('\n');
  return JSON.parse(execFileSync(openpyxlPython(), ['-c', script, file], { encoding: 'utf8' })) as Record<string, (string | number | null)[][]>;
}

/**
 * Fills cells of the first sheet as a person would in Excel: the row whose column `keyHeader` holds
 * each key gets each value in the column whose header is given. Saves to `out`.
 */
export function fillXlsx(file: string, out: string, keyHeader: string, values: { key: string; header: string; value: string | number }[]): void {
  const script = [
    'import json, sys, openpyxl',
    'book = openpyxl.load_workbook(sys.argv[1])',
    'ws = book.worksheets[0]',
    'key_header, values = sys.argv[3], json.loads(sys.argv[4])',
    'head = next(r for r in ws.iter_rows() if any(c.value == key_header for c in r))',
    'col = {c.value: c.column for c in head}',
    'for v in values:',
    '    row = next(r for r in ws.iter_rows(min_row=head[0].row + 1) if r[col[key_header] - 1].value == v["key"])',
    '    ws.cell(row=row[0].row, column=col[v["header"]], value=v["value"])',
    'book.save(sys.argv[2])',
  ].join('\n');
  execFileSync(openpyxlPython(), ['-c', script, file, out, keyHeader, JSON.stringify(values)]);
}

/** A one-sheet workbook of the given rows, written by openpyxl; `formats` gives cells (e.g. "C2") a number format. */
export function writeXlsx(out: string, rows: (string | number)[][], formats: Record<string, string> = {}): void {
  const script = [
    'import json, sys, openpyxl',
    'book = openpyxl.Workbook()',
    'for r in json.loads(sys.argv[2]): book.active.append(r)',
    'for ref, fmt in json.loads(sys.argv[3]).items(): book.active[ref].number_format = fmt',
    'book.save(sys.argv[1])',
  ].join('\n');
  execFileSync(openpyxlPython(), ['-c', script, out, JSON.stringify(rows), JSON.stringify(formats)]);
}

/** The number format of the first cell below `header` in the first sheet's column headed so. */
export function columnFormat(file: string, header: string): string {
  const script = [
    'import sys, openpyxl',
    'ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]',
    'cell = next(c for r in ws.iter_rows() for c in r if c.value == sys.argv[2])',
    'print(ws.cell(row=cell.row + 1, column=cell.column).number_format)',
  ].join('\n');
  return execFileSync(openpyxlPython(), ['-c', script, file, header], { encoding: 'utf8' }).trim();
}
