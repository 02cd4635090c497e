export { buildStandIn, type StandInControl, type StandInOptions } from './app.js';
export { describeStandIn } from './banner.js';
export { readConfig, ConfigError, standInVariables, type StandInConfig } from './config.js';
export { StandInStore } from './state/store.js';
export { KickstartRequestError } from './kickstart/seed.js';
