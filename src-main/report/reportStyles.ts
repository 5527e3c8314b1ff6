// The report's stylesheet: one self-contained page, dense and legible on A4 paper (print CSS) and
// readable on screen. Kept as a string so the HTML needs no file beside it.
export const REPORT_CSS = `
@page { size: A4; margin: 11mm 11mm 13mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font: 8.6pt/1.35 'Liberation Sans', Arial, Helvetica, sans-serif; color: #111; background: #fff; }
@media screen {
  body { background: #e9ebee; padding: 16px 0; }
  main { width: 210mm; margin: 0 auto; padding: 11mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
}
h1 { font-size: 15pt; margin: 0; letter-spacing: .2px; }
h2 { font-size: 10pt; margin: 5mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.2px solid #111; text-transform: uppercase; letter-spacing: .6px; }
h2 .aside { float: right; font-weight: normal; text-transform: none; letter-spacing: 0; color: #555; font-size: 8pt; padding-top: 1pt; }
.mono { font-family: 'Liberation Mono', 'DejaVu Sans Mono', monospace; font-size: 7.6pt; }
.muted { color: #666; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }

.masthead { display: flex; align-items: flex-end; justify-content: space-between; border-bottom: 2.5px solid #111; padding-bottom: 2mm; }
.masthead .brand { font-size: 7.5pt; font-weight: bold; letter-spacing: 2.5px; color: #555; }
.masthead .stamp { text-align: right; font-size: 8pt; color: #333; }

.facts { display: grid; grid-template-columns: 27mm 1fr 24mm 1fr; gap: 0.6mm 3mm; margin: 2.5mm 0 0; }
.facts dt { color: #555; font-weight: bold; font-size: 7.6pt; text-transform: uppercase; letter-spacing: .3px; padding-top: .6pt; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.facts .wide { grid-column: 2 / 5; }

.signoff { display: grid; grid-template-columns: 1.3fr 1fr 1.2fr; gap: 4mm; margin-top: 3mm; border: 1px solid #111; padding: 2mm 3mm 2.5mm; }
.signoff .field { font-size: 7.4pt; color: #555; text-transform: uppercase; letter-spacing: .3px; }
.signoff .line { border-bottom: 1px solid #111; min-height: 6.5mm; padding-top: 1.5mm; font-size: 10pt; }

.kpis { display: grid; grid-template-columns: repeat(7, 1fr); gap: 1.6mm; margin-top: 3mm; }
.kpi { border: 1px solid #c9ccd1; border-radius: 1.2mm; padding: 1.3mm 2mm 1.6mm; }
.kpi .value { font-size: 14pt; font-weight: bold; line-height: 1.15; font-variant-numeric: tabular-nums; }
.kpi .label { font-size: 7.2pt; color: #555; text-transform: uppercase; letter-spacing: .3px; }
.kpi .sub { font-size: 7.4pt; color: #444; }
.kpi.alert .value { color: #b3001b; }
.kpi.warn .value { color: #8a5a00; }

table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
th { text-align: left; font-size: 7.2pt; text-transform: uppercase; letter-spacing: .3px; color: #444; border-bottom: 1px solid #111; padding: .8mm 1.4mm; white-space: nowrap; }
td { padding: .7mm 1.4mm; border-bottom: .5px solid #d5d8dc; vertical-align: top; }
tr { break-inside: avoid; }
table.classes td, table.classes th { padding-top: .9mm; padding-bottom: .9mm; }
.swatch { display: inline-block; width: 2.6mm; height: 2.6mm; border-radius: .5mm; vertical-align: -.3mm; margin-right: 1.2mm; border: .5px solid rgba(0,0,0,.35); }

.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 2mm 4mm; margin-top: 2mm; }
.charts .full { grid-column: 1 / 3; }
.charts svg { max-width: 100%; height: auto; display: block; }
.charts .legend { display: flex; gap: 5mm; font-size: 8pt; border-top: .5px solid #d5d8dc; padding-top: 1.5mm; }

.gallery-section { break-before: page; }
.gallery { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2.5mm; }
.card { break-inside: avoid; border: 1px solid #c9ccd1; border-radius: 1mm; overflow: hidden; }
.card .frame { background: #1d1f22; aspect-ratio: 3 / 1; display: flex; align-items: center; justify-content: center; }
.card img { width: 100%; height: 100%; object-fit: contain; display: block; }
.card .missing { color: #ddd; font-size: 7.5pt; padding: 2mm; text-align: center; }
.card .caption { padding: 1mm 1.6mm 1.2mm; font-size: 7.4pt; line-height: 1.3; }
.card .caption b { font-size: 8pt; }
.card .caption .status { float: right; }
.rank { display: inline-block; min-width: 4mm; text-align: center; background: #111; color: #fff; border-radius: .8mm; font-size: 7pt; font-weight: bold; margin-right: 1mm; }

.chip { display: inline-block; white-space: nowrap; border-radius: .8mm; padding: 0 1.1mm; margin: 0 .8mm .3mm 0; font-size: 7.3pt; border: .5px solid rgba(0,0,0,.25); }
.status { display: inline-block; border-radius: .8mm; padding: 0 1.2mm; font-size: 7.2pt; font-weight: bold; text-transform: uppercase; letter-spacing: .2px; }
.status.accepted { background: #dff3e3; color: #0b5d1e; }
.status.rejected { background: #fbe0e2; color: #8f0014; }
.status.flagged { background: #fff0c7; color: #7a5200; }
.status.unreviewed { background: #eceef1; color: #555; }
.edited { font-weight: bold; color: #6b2fb3; }
table.images td.note { max-width: 52mm; overflow-wrap: anywhere; }

.appendix { break-inside: avoid; }
.fit-warning { border: 0.6mm solid #b45309; background: #fff7ed; color: #7c2d12; padding: 2mm 3mm; margin: 2mm 0; font-size: 9pt; }
.range-banner { border: 0.6mm solid #1d4ed8; background: #eff6ff; color: #1e3a8a; padding: 2mm 3mm; margin: 2mm 0; font-size: 9pt; }
.notes { font-size: 7.4pt; color: #444; margin-top: 1.5mm; }
.coil { break-inside: avoid; margin: 3mm 0; }
.coil h3 { font-size: 9pt; margin: 0 0 1mm; }
.coil-axis { display: flex; justify-content: space-between; font-size: 7pt; color: #555; }
.coil .warn { color: #b3261e; }
.coil ul.fired { font-size: 7.6pt; margin: 1mm 0; }
`
