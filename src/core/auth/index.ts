export * from './actor.ts';
export * from './guard.ts';
export * from './permissions.ts';
