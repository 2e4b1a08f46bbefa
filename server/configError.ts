/** A setting in the environment is wrong: main.ts prints its message alone, no stack trace. */
export class ConfigError extends Error {}
