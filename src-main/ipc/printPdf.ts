// Electron's printToPDF for inspection reports: the self-contained report HTML in a hidden,
// sandboxed window with scripts off, printed on A4 with the report's footer on every page.
import { BrowserWindow } from 'electron'
import { footerTemplate } from '../report/index.ts'

export async function printPdfWithElectron(html: string, footer: string): Promise<Uint8Array> {
  const window = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, disableBlinkFeatures: 'Auxclick' } })
  try {
    await window.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`)
    return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: footerTemplate(footer) })
  } finally {
    window.destroy()
  }
}
