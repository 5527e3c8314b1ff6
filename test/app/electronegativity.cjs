// Runs @doyensec/electronegativity on a folder and prints its findings as JSON, offline: the tool
// fetches translations and Electron's release list over the network, and the test must not need it.
const Module = require('node:module')
const load = Module._load
Module._load = function (request, parent, ...rest) {
  if (request === 'got' && parent && /@doyensec[\\/]electronegativity[\\/]/.test(parent.filename)) return () => Promise.reject(new Error('offline'))
  return load.call(this, request, parent, ...rest)
}
const log = console.log
console.log = () => undefined // its progress chatter
const run = require('@doyensec/electronegativity')
run({ input: process.argv[2], isRelative: true, electronVersionOverride: process.argv[3] }).then(
  (result) => {
    const issues = result.issues.map((i) => ({ id: i.id, severity: i.severity.name, confidence: i.confidence.name, file: i.file, line: i.location.line, manualReview: Boolean(i.manualReview) }))
    const errors = result.errors.filter((e) => !e.tolerable).map((e) => `${e.file}: ${e.message}`)
    log(JSON.stringify({ checks: result.atomicChecks + result.globalChecks, issues, errors }))
  },
  (error) => {
    process.stderr.write(`${error.stack}\n`)
    process.exit(1)
  },
)
