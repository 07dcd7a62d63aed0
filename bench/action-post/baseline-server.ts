// The baseline the Action Post benchmark compares Leadline with: a bare Node http server that
// parses the same JSON body, does one SQLite insert with the same better-sqlite3 package and
// pragmas as Leadline (WAL, synchronous FULL, foreign keys on, busy timeout 5000 ms), and answers a
// small JSON envelope. Run as a child process: BASELINE_PORT, BASELINE_DB.
import Database, { Statement } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';

const port = Number(process.env.BASELINE_PORT);
const dbPath = process.env.BASELINE_DB ?? '';
const BODY_LIMIT = 1024 * 1024;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function envelope(status: 0 | 1, id: string | null, message: string) {
  return { StatusCode: status, Data: id ? { ProspectId: id, ApplicationId: null } : null, Message: message, ResponseDate: new Date().toISOString() };
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function handleLead(req: IncomingMessage, res: ServerResponse, insert: Statement): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= BODY_LIMIT) chunks.push(c);
  });
  req.on('end', () => {
    if (size > BODY_LIMIT) return reply(res, 413, envelope(0, null, 'Body too large'));
    let lead: unknown;
    try {
      lead = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, 400, envelope(0, null, 'Malformed JSON'));
    }
    if (typeof lead !== 'object' || lead === null || Array.isArray(lead)) return reply(res, 400, envelope(0, null, 'Send a JSON object'));
    const f = lead as Record<string, unknown>;
    const id = randomUUID();
    const amount = typeof f.LoanAmount === 'number' ? f.LoanAmount : null;
    try {
      insert.run(id, str(f.FirstName), str(f.LastName), str(f.MobilePhone), str(f.PropertyState), str(f.LoanPurpose), amount, new Date().toISOString());
    } catch (err) {
      return reply(res, 500, envelope(0, null, err instanceof Error ? err.message : String(err)));
    }
    reply(res, 200, envelope(1, id, 'Prospect created'));
  });
}

function main(): void {
  if (!Number.isInteger(port) || port <= 0 || !dbPath) throw new Error('set BASELINE_PORT and BASELINE_DB');
  const db = new Database(dbPath);
  // The pragmas Leadline sets (apps/server/src/database/mikro-orm.config.ts), synchronous FULL
  // included: better-sqlite3's own default in WAL mode would be NORMAL.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(
    `create table if not exists lead (id text not null primary key, first_name text null, last_name text null, mobile_phone text null,
       property_state text null, loan_purpose text null, loan_amount double null, created_at datetime not null)`,
  );
  const insert: Statement = db.prepare('insert into lead (id, first_name, last_name, mobile_phone, property_state, loan_purpose, loan_amount, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)');

  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/leads') return handleLead(req, res, insert);
    if (req.method === 'GET' && req.url === '/health') return reply(res, 200, { status: 'ok' });
    reply(res, 404, { message: 'not found' });
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write(`baseline listening on http://127.0.0.1:${port}\n`));

  const stop = () => {
    server.close();
    server.closeAllConnections();
    db.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  main();
} catch (err) {
  process.stderr.write(`baseline failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
