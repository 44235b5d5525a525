// Package entry for asc, which resolves `@fayger/guest-as` to `<package>/index.ts`.
export * from './assembly/index';
