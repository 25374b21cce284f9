import { renderPolicyTable } from '../src/platform/acl/policy-table.ts';

/** Prints the access table; paste it between the markers in docs/access-control.md. */
console.log(renderPolicyTable());
