// onnxruntime-node's Linux build carries Microsoft's 1DS telemetry: on the first session it opens
// a debug log, an empty /tmp/mat-debug-<pid>.log left behind by every process, and would queue
// usage events for upload. An inspection workstation sends nothing and litters nothing, so it is
// switched off before any session is created (onnxruntime reads the variable then). Imported
// first by session.ts; a value the user set explicitly is kept.
process.env.ORT_DISABLE_TELEMETRY ??= '1'
