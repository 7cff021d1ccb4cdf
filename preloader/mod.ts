/**
 * The preloader: stages S3 data into and out of job containers, and the matrix wrapper that gives each array child
 * its parameter values. See docs/preloader.md.
 * @module
 */
export {
  type ContainerLaunch,
  containerLaunch,
  launchBytes,
  type LaunchOptions,
  MAX_LAUNCH_BYTES,
  needsWrapper,
  PRELOADER_EXIT_CODES,
  SUBMIT_PAYLOAD_LIMIT,
} from "./launch.ts";
export { checkLaunch } from "./check.ts";
export { matrixCombination, matrixSize } from "./matrix.ts";
