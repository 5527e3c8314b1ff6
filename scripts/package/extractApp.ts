// Unpacks a packaged app.asar (with the files kept beside it in app.asar.unpacked) into a plain
// folder, so its main can run under Node, which cannot read asar archives.
import asar from '@electron/asar'
import { join } from 'node:path'

export function extractPackagedApp(resources: string, dest: string): string {
  asar.extractAll(join(resources, 'app.asar'), dest)
  return dest
}
