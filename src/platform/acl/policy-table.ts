import { AUTHORITIES } from '../auth/authorities.ts';
import { CATEGORIES, type Category } from './categories.ts';
import { POLICY } from './policy.ts';

/** The policy as the Markdown table in docs/access-control.md, so the two never drift apart. */
export function renderPolicyTable(): string {
  const categories = Object.keys(CATEGORIES) as Category[];
  const header = `| authority | reach | ${categories.join(' | ')} |`;
  const rule = `|---|---|${categories.map(() => '---').join('|')}|`;
  const rows = AUTHORITIES.map((authority) => {
    const role = POLICY[authority];
    const cells = categories.map((category) => {
      const read = role.read === 'all' || role.read.includes(category);
      const write = role.write === 'all' || role.write.includes(category);
      return write ? 'read, write' : read ? 'read' : '—';
    });
    return `| ${authority} | ${role.reach === 'tenant' ? 'whole tenant' : 'own clients'} | ${cells.join(' | ')} |`;
  });
  const legend = categories.map((category) => `- **${category}**: ${CATEGORIES[category].join(', ')}`);
  return [header, rule, ...rows, '', ...legend].join('\n');
}
