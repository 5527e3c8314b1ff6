// Loaded with --import into a child started by the stand-in utilityProcess.fork: gives it the
// `process.parentPort` an Electron utility process has (messages arrive as { data }).
import { EventEmitter } from 'node:events'

const port = Object.assign(new EventEmitter(), { postMessage: (message: unknown) => process.send!(message) })
process.on('message', (data) => port.emit('message', { data }))
Object.defineProperty(process, 'parentPort', { value: port })
