import { controlOf } from '../../proton/card/card-spends.ts';
import { checkControl, limitWindow, type SpendingControl } from '../../proton/card/spending-rules.ts';
import { PROGRAM_CURRENCY } from '../money.ts';
import { ProcessorRefusal, type SpendingControlData } from '../processor.ts';

/**
 * The sandbox enforces spending controls with Proton's card rules (the ones behind
 * POST /proton/v1/card_authorization), so that a control means the same wherever it is
 * decided on. This is the sandbox's side of that: the controls as those rules read them.
 */

/** The data sent to the processor has the Nucleus record's field names, so it reads like one. */
export function sharedControl(id: string, data: SpendingControlData): SpendingControl {
  return controlOf(id, { ...data });
}

/** Scopes the rules know but no simulated purchase can fall under: it carries no location. */
const LOCATION_SCOPES = new Set(['location', 'country']);

/** Refuses (400) a control the sandbox could not enforce as written. */
export function checkSandboxControl(data: SpendingControlData): void {
  // Checked as written: the shared reading takes a spending_limit's size, so -1 would pass as 1.00.
  if (data.limit_value !== undefined && data.limit_value < 0) {
    throw new ProcessorRefusal('unsupported_spending_control', `limit_value must be zero or more, not ${data.limit_value}`);
  }
  // Purchases are in the program's currency; a limit in another one would never count them.
  if (data.currency_code !== PROGRAM_CURRENCY) {
    throw new ProcessorRefusal('unsupported_spending_control', `currency_code must be the card program's ${PROGRAM_CURRENCY}, not ${data.currency_code}`);
  }
  const checked = checkControl(sharedControl('', data));
  if (!checked.ok) throw new ProcessorRefusal('unsupported_spending_control', checked.problem);
  if (LOCATION_SCOPES.has(data.control_scope)) {
    throw new ProcessorRefusal('unsupported_spending_control', `control_scope ${data.control_scope} needs the country of a purchase, which sandbox purchases do not carry`);
  }
}

/** The first UTC day any limit among the controls counts from on `day`, or null when none looks back. */
export function historyStart(controls: readonly SpendingControl[], day: string): string | null {
  let start: string | null = null;
  for (const control of controls) {
    if (control.type !== 'spending_limit' && control.type !== 'transaction_limit') continue;
    const window = limitWindow(control, day);
    if (window && (start === null || window.start < start)) start = window.start;
  }
  return start;
}
