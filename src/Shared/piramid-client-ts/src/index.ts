export { PiramidClient, type PiramidClientOptions, type CallOptions, type WriteOptions } from "./client.js";
export { PiramidApiError } from "./errors.js";
export type { RetryOptions } from "./retry.js";
export type * from "./types.js";
export type { components, paths } from "./generated/openapi.js";
