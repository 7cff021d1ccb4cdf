/**
 * Third-party code used by the tests, with full `npm:` specifiers; versions live here only.
 * @module
 */
export { default as fc } from "npm:fast-check@^4.3.0";
export { default as S3rver } from "npm:s3rver@^3.7.0";
export { render as renderInk } from "npm:ink-testing-library@^4.0.0";
export { render as renderPrompt } from "npm:@inquirer/testing@^3.3.0";
