// Run by `npm test` after the product build (vitest project "size"): what the popup loads before its first view, the
// background and the content script stay within their budgets (bench/size-budget.json). A missing build fails.
import { describe, expect, it } from 'vitest';
import { overBudget, PRODUCT_DIR, readBudget, shippedSizes } from './size-budget.ts';
import { CONTEXTS } from './sizes.ts';

describe('shipped size budget (dist/chrome)', () => {
  let measured: ReturnType<typeof shippedSizes> | undefined;
  const measure = () => (measured ??= shippedSizes(PRODUCT_DIR));

  it.each(CONTEXTS)('%s stays within its budget', (context) => {
    expect(overBudget(context, readBudget()[context], measure()[context]) ?? 'within budget').toBe('within budget');
  });
});
