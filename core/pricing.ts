/**
 * Prices behind a cost estimate: a dated built-in table (Fargate per vCPU-hour and GiB-hour by region, x86 and ARM;
 * EC2 per vCPU-hour and GPU-hour of requested resources; Spot as a discount), which the AWS Price List API and the
 * config's `prices` setting may override. An estimate, never a bill: AWS bills Fargate from the image pull, EC2 by
 * the instance, and discounts are its own.
 * @module
 */
import type { Capacity, PriceRates, PriceSource } from "./report_types.ts";
import { ConfigError } from "./errors.ts";

/** The date the built-in table was written down. */
export const BUILT_IN_PRICES_DATE = "2025-06-01";

/** Fargate Linux prices per region: [x86 vCPU-hour, x86 GiB-hour, ARM vCPU-hour, ARM GiB-hour] (USD). */
const FARGATE: Record<string, [number, number, number, number]> = {
  "us-east-1": [0.04048, 0.004445, 0.03238, 0.00356],
  "us-east-2": [0.04048, 0.004445, 0.03238, 0.00356],
  "us-west-2": [0.04048, 0.004445, 0.03238, 0.00356],
  "us-west-1": [0.04656, 0.00511, 0.03725, 0.00409],
  "eu-west-1": [0.04048, 0.004445, 0.03238, 0.00356],
  "eu-west-2": [0.04656, 0.00511, 0.03725, 0.00409],
  "eu-central-1": [0.04656, 0.00511, 0.03725, 0.00409],
  "ap-northeast-1": [0.05056, 0.00553, 0.04045, 0.00442],
  "ap-southeast-1": [0.05056, 0.00553, 0.04045, 0.00442],
  "ap-southeast-2": [0.04856, 0.00532, 0.03885, 0.00426],
};
const DEFAULT_REGION = "us-east-1";

/**
 * EC2 in us-east-1: a vCPU-hour of a general purpose m5 instance (m5.large, $0.096 for 2 vCPU), and the GPU share
 * of a g4dn.xlarge ($0.526 with 4 vCPU, so 4 vCPU-hours plus 1 GPU-hour add up to it). Other regions scale by
 * their Fargate price.
 */
const EC2_VCPU_HOUR = 0.048;
const EC2_GPU_HOUR = 0.334;
/** Spot costs this fraction of on demand (Fargate Spot and EC2 Spot both advertise discounts of up to 70 %). */
const SPOT_FACTOR = 0.3;

/** The prices a config may set, by name: `prices = "ec2_vcpu_hour=0.05,spot_factor=0.4"`. */
export const PRICE_KEYS = [
  "fargate_vcpu_hour",
  "fargate_gib_hour",
  "fargate_arm_vcpu_hour",
  "fargate_arm_gib_hour",
  "ec2_vcpu_hour",
  "ec2_gpu_hour",
  "spot_factor",
] as const;

/** A price a config may set. */
export type PriceKey = typeof PRICE_KEYS[number];

/** A full price list: every key set. */
export type PriceTable = Record<PriceKey, number>;

/** Prices and where they came from. */
export interface PriceBook {
  /** Where the prices came from. */
  source: PriceSource;
  /** The prices. */
  table: PriceTable;
}

/** The built-in table's prices for `region` (us-east-1's, said so in the note, for a region it does not know). */
export function builtInPrices(region: string | undefined): PriceBook {
  const known = region !== undefined && region in FARGATE;
  const [vcpu, gib, armVcpu, armGib] = FARGATE[known ? region : DEFAULT_REGION]!;
  const scale = vcpu / FARGATE[DEFAULT_REGION]![0];
  return {
    source: {
      kind: "built-in",
      region: region ?? DEFAULT_REGION,
      date: BUILT_IN_PRICES_DATE,
      note: `ezbatch's built-in price table of ${BUILT_IN_PRICES_DATE}` +
        (known
          ? ""
          : region
          ? ` (no prices for '${region}': ${DEFAULT_REGION}'s used)`
          : ` (no region configured: ${DEFAULT_REGION}'s prices)`) +
        `; EC2 priced per vCPU-hour and GPU-hour of requested resources; Spot at ${SPOT_FACTOR * 100} % of on demand`,
    },
    table: {
      fargate_vcpu_hour: vcpu,
      fargate_gib_hour: gib,
      fargate_arm_vcpu_hour: armVcpu,
      fargate_arm_gib_hour: armGib,
      ec2_vcpu_hour: round(EC2_VCPU_HOUR * scale),
      ec2_gpu_hour: round(EC2_GPU_HOUR * scale),
      spot_factor: SPOT_FACTOR,
    },
  };
}

/** No charge: jobs of the local backend run on this machine. */
export function localPrices(): PriceBook {
  const table = Object.fromEntries(PRICE_KEYS.map((k) => [k, 0])) as PriceTable;
  return {
    source: { kind: "local", region: "local", date: "", note: "local backend: jobs ran on this machine, at no charge" },
    table,
  };
}

/** `book` with some prices replaced by the config's; the source says which. */
export function withOverrides(book: PriceBook, overrides: Partial<PriceTable>): PriceBook {
  const keys = Object.keys(overrides) as PriceKey[];
  if (!keys.length) return book;
  return {
    source: {
      ...book.source,
      kind: "config",
      note: `${keys.join(", ")} from the config's 'prices'; the rest from ${book.source.note}`,
    },
    table: { ...book.table, ...overrides },
  };
}

/**
 * Reads the config's `prices` setting: comma-separated `key=USD` pairs.
 * @throws {ConfigError} On an unknown key or a value that is not a number of at least 0.
 */
export function parsePriceOverrides(text: string): Partial<PriceTable> {
  const out: Partial<PriceTable> = {};
  for (const pair of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [key, value] = pair.split("=").map((p) => p.trim());
    if (!key || !(PRICE_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(`Unknown price '${key ?? pair}' in 'prices': expected one of ${PRICE_KEYS.join(", ")}`);
    }
    const n = Number(value);
    if (value === undefined || value === "" || !Number.isFinite(n) || n < 0) {
      throw new ConfigError(`Price '${key}' in 'prices' is '${value ?? ""}': expected a number of USD of at least 0`);
    }
    out[key as PriceKey] = n;
  }
  return out;
}

/** The hourly rates of a capacity under a table. */
export function ratesFor(table: PriceTable, capacity: Capacity): PriceRates {
  const factor = capacity.spot ? table.spot_factor : 1;
  if (capacity.platform === "FARGATE") {
    const arm = capacity.arch === "ARM64";
    return {
      vcpuHour: (arm ? table.fargate_arm_vcpu_hour : table.fargate_vcpu_hour) * factor,
      gibHour: (arm ? table.fargate_arm_gib_hour : table.fargate_gib_hour) * factor,
      gpuHour: 0,
    };
  }
  return { vcpuHour: table.ec2_vcpu_hour * factor, gibHour: 0, gpuHour: table.ec2_gpu_hour * factor };
}

/** USD for `hours` of a job of this size at these rates. */
export function costOf(
  size: { vcpus?: number; memory?: number; gpus?: number },
  hours: number,
  rates: PriceRates,
): number {
  const gib = (size.memory ?? 0) / 1024;
  return hours * ((size.vcpus ?? 0) * rates.vcpuHour + gib * rates.gibHour + (size.gpus ?? 0) * rates.gpuHour);
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
