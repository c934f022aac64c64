// Fails when a test is focused or skipped: every test in the repository runs, every time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const offenders = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts')) {
      readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
        if (/\b(it|test|describe)\.(only|skip|todo)\b|\bx(it|describe)\(/.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
      });
    }
  }
};
walk('tests');
if (offenders.length) {
  console.error(`Focused or skipped tests are not allowed:\n${offenders.join('\n')}`);
  process.exit(1);
}
