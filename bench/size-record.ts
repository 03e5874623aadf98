// `npm run size:record`: records the gzip size of each file the product build (dist/chrome) loads before a context
// runs into bench/size-budget.json, the budgets untouched. Refuses when a context is over its budget.
import { writeFileSync } from 'node:fs';
import { BUDGET_FILE, PRODUCT_DIR, readBudget, recordSizes, shippedSizes, total } from './size-budget.ts';
import { CONTEXTS } from './sizes.ts';

try {
  const measured = shippedSizes(PRODUCT_DIR);
  const recorded = recordSizes(readBudget(), measured);
  writeFileSync(BUDGET_FILE, `${JSON.stringify(recorded, null, 2)}\n`);
  for (const context of CONTEXTS) console.log(`${context}: ${total(measured[context])} B gzip, budget ${recorded[context].budget} B`);
  console.log(`Recorded in ${BUDGET_FILE}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
