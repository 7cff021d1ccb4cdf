/**
 * Fargate prices from the AWS Price List API (GetProducts of service `AmazonECS` in one region): on-demand Linux
 * vCPU-hours and GB-hours, x86 and ARM. The SDK is loaded on first use. Fargate Spot and EC2 are not priced there
 * per vCPU, so the built-in table keeps those.
 * @module
 */
import { loadPricingSdk, type PricingClient } from "../deps.ts";
import { builtInPrices, type PriceBook, type PriceTable } from "../pricing.ts";
import { callAws } from "./errors.ts";

/** Price List usage types (after the region prefix, e.g. `USE1-`) and the price each one gives. */
const USAGE: [RegExp, keyof PriceTable][] = [
  [/(^|-)Fargate-vCPU-Hours:perCPU$/, "fargate_vcpu_hour"],
  [/(^|-)Fargate-GB-Hours$/, "fargate_gib_hour"],
  [/(^|-)Fargate-ARM-vCPU-Hours:perCPU$/, "fargate_arm_vcpu_hour"],
  [/(^|-)Fargate-ARM-GB-Hours$/, "fargate_arm_gib_hour"],
];

/** How {@link priceListPrices} reaches the API. */
export interface PriceListOptions {
  /** A ready client (tests); default one made from `clientConfig` in us-east-1, where the API answers. */
  client?: PricingClient;
  /** Credentials, profile and retry settings of the backend's clients (its region is replaced). */
  clientConfig?: Record<string, unknown>;
  /** Gives up after this long (default 8 s): a report never waits long for prices. */
  timeoutMs?: number;
  /** Today, for the source's date (default now). */
  now?: () => number;
}

/**
 * The built-in prices of `region` with Fargate's replaced by the Price List API's.
 * @returns The prices, or undefined when the API did not answer or had no Fargate prices for the region.
 */
export async function priceListPrices(region: string, options: PriceListOptions = {}): Promise<PriceBook | undefined> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 8000);
  let made: PricingClient | undefined;
  try {
    const sdk = await loadPricingSdk();
    const { endpoint: _endpoint, ...config } = options.clientConfig ?? {};
    const client = options.client ?? (made = new sdk.PricingClient({ ...config, region: "us-east-1", maxAttempts: 2 }));
    const found: Partial<PriceTable> = {};
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await callAws("Pricing", "GetProducts", () =>
        client.send(
          new sdk.GetProductsCommand({
            ServiceCode: "AmazonECS",
            Filters: [{ Type: "TERM_MATCH", Field: "regionCode", Value: region }],
            MaxResults: 100,
            NextToken,
          }),
          { abortSignal: signal },
        ), { signal });
      for (const item of out.PriceList ?? []) readProduct(item, found);
      NextToken = out.NextToken;
    } while (NextToken && ++pages < 20);
    if (found.fargate_vcpu_hour === undefined || found.fargate_gib_hour === undefined) return undefined;
    const book = builtInPrices(region);
    const date = new Date((options.now ?? Date.now)()).toISOString().slice(0, 10);
    return {
      source: {
        kind: "price-list-api",
        region,
        date,
        note: `AWS Price List API (GetProducts, AmazonECS, ${region}) on ${date} for Fargate on demand; ` +
          `Spot and EC2 from ${book.source.note}`,
      },
      table: { ...book.table, ...found },
    };
  } catch {
    return undefined; // offline, no permission, or throttled: the built-in table stands in, and says so
  } finally {
    made?.destroy();
  }
}

/** Reads one Price List entry (a JSON string): its usage type and its on-demand USD price per unit. */
function readProduct(item: unknown, found: Partial<PriceTable>): void {
  const entry = typeof item === "string" ? JSON.parse(item) : item;
  const usage: string | undefined = entry?.product?.attributes?.usagetype;
  if (!usage) return;
  const match = USAGE.find(([re]) => re.test(usage));
  if (!match) return;
  for (const term of Object.values(entry?.terms?.OnDemand ?? {}) as { priceDimensions?: object }[]) {
    for (const dim of Object.values(term.priceDimensions ?? {}) as { pricePerUnit?: { USD?: string } }[]) {
      const usd = Number(dim.pricePerUnit?.USD);
      if (Number.isFinite(usd) && usd > 0) found[match[1]] = usd;
    }
  }
}
