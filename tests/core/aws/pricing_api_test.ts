import assert from "node:assert/strict";
import { loadPricingSdk } from "../../../core/deps.ts";
import { priceListPrices } from "../../../core/aws/pricing_api.ts";
import { builtInPrices } from "../../../core/pricing.ts";
import { mockClient } from "../../support/deps.ts";

const { GetProductsCommand, PricingClient } = await loadPricingSdk();

/**
 * One entry of GetProducts' `PriceList`: a JSON string in the offer-file format (AWS Price List API reference,
 * GetProducts; Billing User Guide, "Reading the offer files"): product attributes, then on-demand terms keyed by
 * `<sku>.<offerTermCode>` with price dimensions keyed by `<sku>.<offerTermCode>.<rateCode>`.
 */
function product(sku: string, usagetype: string, usd: string): string {
  return JSON.stringify({
    product: {
      productFamily: "Compute",
      sku,
      attributes: { usagetype, regionCode: "eu-west-1", servicecode: "AmazonECS" },
    },
    serviceCode: "AmazonECS",
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          offerTermCode: "JRTCKXETXF",
          sku,
          effectiveDate: "2025-05-01T00:00:00Z",
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit: "hours",
              endRange: "Inf",
              description: usagetype,
              rateCode: `${sku}.JRTCKXETXF.6YS6EN2CT7`,
              beginRange: "0",
              pricePerUnit: { USD: usd },
            },
          },
          termAttributes: {},
        },
      },
    },
    version: "20250501000000",
    publicationDate: "2025-05-01T00:00:00Z",
  });
}

function pricing() {
  const client = new PricingClient({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  return { client, mock: mockClient(client) };
}

Deno.test("priceListPrices() reads Fargate prices from every GetProducts page of the region, keeping EC2 and Spot built in", async () => {
  const { client, mock } = pricing();
  mock.on(GetProductsCommand).callsFake((input) =>
    input.NextToken === undefined
      ? {
        FormatVersion: "aws_v1",
        PriceList: [
          product("A1", "EU-Fargate-vCPU-Hours:perCPU", "0.0448"),
          product("A2", "EU-Fargate-GB-Hours", "0.0049"),
          product("A3", "EU-Fargate-EphemeralStorage-GB-Hours", "0.000111"),
        ],
        NextToken: "page-2",
      }
      : {
        FormatVersion: "aws_v1",
        PriceList: [
          product("A4", "EU-Fargate-ARM-vCPU-Hours:perCPU", "0.0358"),
          product("A5", "EU-Fargate-ARM-GB-Hours", "0.0039"),
        ],
      }
  );
  const book = await priceListPrices("eu-west-1", { client, now: () => Date.UTC(2026, 10, 29) });
  assert.ok(book);
  const calls = mock.commandCalls(GetProductsCommand).map((c) => c.args[0].input);
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[0], {
    ServiceCode: "AmazonECS",
    Filters: [{ Type: "TERM_MATCH", Field: "regionCode", Value: "eu-west-1" }],
    MaxResults: 100,
    NextToken: undefined,
  });
  assert.equal(calls[1]!.NextToken, "page-2");
  const builtIn = builtInPrices("eu-west-1").table;
  assert.deepEqual(book.table, {
    ...builtIn,
    fargate_vcpu_hour: 0.0448,
    fargate_gib_hour: 0.0049,
    fargate_arm_vcpu_hour: 0.0358,
    fargate_arm_gib_hour: 0.0039,
  });
  assert.equal(book.source.kind, "price-list-api");
  assert.match(book.source.note, /AWS Price List API \(GetProducts, AmazonECS, eu-west-1\) on 2026-11-29/);
});

Deno.test("priceListPrices() gives way to the built-in table when the API refuses or has no Fargate price", async () => {
  const denied = pricing();
  denied.mock.on(GetProductsCommand).rejects(
    Object.assign(new Error("User is not authorized to perform: pricing:GetProducts"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    }),
  );
  assert.equal(await priceListPrices("eu-west-1", { client: denied.client }), undefined);
  const empty = pricing();
  empty.mock.on(GetProductsCommand).resolves({ FormatVersion: "aws_v1", PriceList: [] });
  assert.equal(await priceListPrices("eu-west-1", { client: empty.client }), undefined);
});
