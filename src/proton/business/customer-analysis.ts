import { cents, Decimal, ratio, ZERO } from '../money.ts';

export interface CustomerFact {
  id: string;
  name: string;
  active: boolean;
  revenue: Decimal;
  /** Revenue in the benchmark window; null without one. */
  benchmark: Decimal | null;
}

const TOP = 5;

function change(revenue: Decimal, benchmark: Decimal | null) {
  return {
    revenue_change: benchmark === null ? null : cents(revenue.minus(benchmark)),
    revenue_growth: benchmark === null || benchmark.lte(0) ? null : ratio(revenue.minus(benchmark).div(benchmark)),
  };
}

/** Revenue per customer, its concentration and its change against a benchmark window. */
export function analyzeCustomers(customers: CustomerFact[], limit: number) {
  const total = customers.reduce((sum, c) => sum.plus(c.revenue), ZERO);
  const share = (revenue: Decimal) => (total.gt(0) ? revenue.div(total) : null);
  const ranked = [...customers].sort((a, b) => b.revenue.cmp(a.revenue) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const paying = ranked.filter((c) => c.revenue.gt(0));
  const hasBenchmark = customers.some((c) => c.benchmark !== null);
  const benchmarkTotal = hasBenchmark ? customers.reduce((sum, c) => sum.plus(c.benchmark ?? ZERO), ZERO) : null;
  const topShare = (n: number) => {
    const top = share(paying.slice(0, n).reduce((sum, c) => sum.plus(c.revenue), ZERO));
    return top === null ? null : ratio(top);
  };
  return {
    summary: {
      customer_count: customers.length,
      paying_customer_count: paying.length,
      total_revenue: cents(total),
      average_revenue: paying.length === 0 ? null : cents(paying.reduce((sum, c) => sum.plus(c.revenue), ZERO).div(paying.length)),
      top_customer_share: topShare(1),
      top_five_share: topShare(TOP),
      herfindahl_index: total.gt(0) ? ratio(paying.reduce((sum, c) => sum.plus(c.revenue.div(total).pow(2)), ZERO)) : null,
      benchmark_total_revenue: benchmarkTotal === null ? null : cents(benchmarkTotal),
      ...change(total, benchmarkTotal),
    },
    customers: ranked.slice(0, limit).map((c) => {
      const s = share(c.revenue);
      return {
        customer_id: c.id,
        company_name: c.name,
        is_active: c.active,
        revenue: cents(c.revenue),
        share: s === null ? null : ratio(s),
        benchmark_revenue: c.benchmark === null ? null : cents(c.benchmark),
        ...change(c.revenue, c.benchmark),
      };
    }),
  };
}
