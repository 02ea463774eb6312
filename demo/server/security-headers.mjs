// Kept at its old path for the importers outside demo/ (e2e/server-lib/static.mjs): the headers live in http/.
export * from './http/security-headers.mjs'
