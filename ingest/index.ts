export * from './bus/bus.js';
