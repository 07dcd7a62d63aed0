#!/usr/bin/env node
// SQLite helpers for scripts/backup.sh and scripts/restore.sh, on the better-sqlite3 the server
// ships (no sqlite3 CLI needed, in the Docker image neither).
//
//   node scripts/sqlite-tool.cjs backup <live.db> <copy.db>
//       Online backup through SQLite's backup API while the server keeps writing: the first step
//       initialises, the second copies every page under one read transaction, so the copy is one
//       consistent snapshot (WAL: the writer is never blocked). Then checks the copy.
//   node scripts/sqlite-tool.cjs check <file.db>
//       PRAGMA integrity_check; exit 0 when "ok", 3 otherwise.
// Prints one JSON line: { integrity, pages, bytes, lastMigration }.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script node runs as it is */
const fs = require('node:fs');
const Database = require('better-sqlite3');

function inspect(file) {
  let db;
  try {
    // Read-write open (nothing is written): a read-only connection cannot open a WAL file whose -shm is missing.
    db = new Database(file, { fileMustExist: true });
    const rows = db.pragma('integrity_check');
    const integrity = rows.map((r) => r.integrity_check).join('; ');
    let lastMigration = null;
    try {
      lastMigration = db.prepare('select name from mikro_orm_migrations order by id desc limit 1').pluck().get() ?? null;
    } catch {
      // not a Leadline database (no migrations table): integrity still says whether it is sound
    }
    return { integrity, pages: db.pragma('page_count', { simple: true }), bytes: fs.statSync(file).size, lastMigration };
  } catch (err) {
    return { integrity: `unreadable: ${err instanceof Error ? err.message : String(err)}`, pages: 0, bytes: 0, lastMigration: null };
  } finally {
    db?.close();
  }
}

async function backup(source, target) {
  if (fs.existsSync(target)) throw new Error(`${target} exists already`);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // 0x7fffffff pages per step = everything in the step after the first one.
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // The copy keeps the source's WAL flag; make it one self-contained file for the archive.
  const copy = new Database(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return inspect(target);
}

async function main() {
  const [command, a, b] = process.argv.slice(2);
  let report;
  if (command === 'backup' && a && b) report = await backup(a, b);
  else if (command === 'check' && a) report = inspect(a);
  else {
    process.stderr.write('usage: sqlite-tool.cjs backup <live.db> <copy.db> | check <file.db>\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(report.integrity === 'ok' ? 0 : 3);
}

main().catch((err) => {
  process.stderr.write(`sqlite-tool: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
