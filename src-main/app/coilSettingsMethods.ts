// A source's coil settings in the app: read them with what the grouping could not place, change
// them (the input schemas are those `coilscope coils` validates with; then regrouped), and list the stored
// rule set versions. A CSV mapping given here must lie inside the source folder: the web host's
// users name files on the host, and the grouping reads the file.
import { isAbsolute, normalize, sep } from 'node:path'
import type { CoilApiMethods, CoilSettingsView } from '../../src-shared/coilTypes.ts'
import { assignCoils } from '../coils/assignCoils.ts'
import { resolveCoilSettings, saveCoilSettings } from '../coils/coilSettings.ts'
import { activeRuleSet } from '../coils/ruleSets.ts'
import type { Store } from '../store/index.ts'

type SettingsMethods = Pick<CoilApiMethods, 'getCoilSettings' | 'setCoilSettings' | 'listRuleSets'>

export function createCoilSettingsMethods(store: Store): SettingsMethods {
  const view = async (sourceId: number): Promise<CoilSettingsView> => {
    const source = store.sources.get(sourceId)
    if (!source) throw new Error(`no source ${sourceId}`)
    const { coils, problems } = await assignCoils(store, source)
    const paths = store.images.listPaths(sourceId)
    const { grouping, geometry, isDefaultGrouping } = resolveCoilSettings(store, source, paths)
    // A coil emptied by the new grouping stays listed while a decision is attached to it; it is not counted.
    return { sourceId, grouping, isDefaultGrouping, geometry, coils: coils.filter((c) => c.imageCount > 0).length, problems }
  }
  return {
    getCoilSettings: ({ sourceId }) => view(sourceId),
    setCoilSettings: async ({ sourceId, grouping, geometry }) => {
      if (!store.sources.get(sourceId)) throw new Error(`no source ${sourceId}`)
      if (grouping?.kind === 'csv' && !isInsideSource(grouping.csvPath)) {
        throw new Error(`grouping: the CSV ${grouping.csvPath} must be a path inside the source folder (such as coils.csv)`)
      }
      // null clears the stored grouping, so the default for the images is in force again.
      store.transaction(() => {
        saveCoilSettings(store, sourceId, { geometry })
        if (grouping === null) store.coils.setSettings(sourceId, { ...store.coils.settings(sourceId), grouping: null })
        else saveCoilSettings(store, sourceId, { grouping })
      })
      return view(sourceId)
    },
    listRuleSets: async () => {
      const activeId = activeRuleSet(store)?.record.id
      return store.disposition.listRuleSets().map((r) => ({ name: r.name, version: r.version, createdAtMs: r.createdAtMs, active: r.id === activeId }))
    },
  }
}

function isInsideSource(path: string): boolean {
  const normal = normalize(path)
  return !isAbsolute(path) && normal !== '..' && !normal.startsWith(`..${sep}`)
}
