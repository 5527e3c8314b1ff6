// Grows a library for the scale bench from a real inspection: the base database (a few synthetic
// images run through `coilscope inspect --db` with models/default) gains one source of N images
// whose predictions, probability maps and model masks are copies of the base's, with varied gate
// probabilities: 15 % defective, three runs (all images, a third of them, all again — 2.3 per
// image), 0.5 % failed and 0.5 % pending images, 3 % reviewed (accepted, flagged, rejected) and
// 0.3 % with a human edit. Rows are replicated in SQL, so a million images grow in minutes.
import { copyFileSync, mkdirSync } from 'node:fs'
import Database from 'better-sqlite3'

export interface GrowOptions {
  readonly baseDb: string
  readonly out: string
  /** Folder recorded as the new source (created empty). */
  readonly folder: string
  readonly images: number
}

const DEFECTIVE_PERCENT = 15

export function growLibrary({ baseDb, out, folder, images }: GrowOptions): void {
  copyFileSync(baseDb, out)
  mkdirSync(folder, { recursive: true })
  const db = new Database(out)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  const baseRun = db.prepare('SELECT * FROM runs ORDER BY id LIMIT 1').get() as { id: number; gate_threshold: number }
  db.transaction(() => {
    const sourceId = Number(db.prepare('INSERT INTO sources (folder_path, added_at_ms) VALUES (?, ?)').run(folder, 1_700_000_000_000).lastInsertRowid)
    const first = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM images').pluck().get() as number)
    db.prepare(
      `WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k + 1 < @n)
       INSERT INTO images (id, source_id, relative_path, byte_size, mtime_ms, sha256, width, height, status, error)
       SELECT @first + k, @source, printf('coil-%07d.jpg', k), 150000 + k % 5000, 1700000000000 + k * 50, printf('%064x', k + 1),
         CASE WHEN k % 200 IN (7, 13) THEN NULL ELSE 1600 END, CASE WHEN k % 200 IN (7, 13) THEN NULL ELSE 256 END,
         CASE k % 200 WHEN 7 THEN 'failed' WHEN 13 THEN 'pending' ELSE 'done' END,
         CASE WHEN k % 200 = 7 THEN 'not a JPEG: the file ends before its first scan' END
       FROM seq`,
    ).run({ n: images, first, source: sourceId })
    db.exec(`CREATE TEMP TABLE base_defective AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM predictions WHERE run_id = ${baseRun.id} AND class_mask <> 0;
      CREATE TEMP TABLE base_clean AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM predictions WHERE run_id = ${baseRun.id} AND class_mask = 0;`)
    const defective = db.prepare('SELECT count(*) FROM base_defective').pluck().get() as number
    const clean = db.prepare('SELECT count(*) FROM base_clean').pluck().get() as number
    if (defective === 0 || clean === 0) throw new Error(`the base run needs defective and clean images (${defective} and ${clean})`)
    db.prepare(
      `CREATE TEMP TABLE pick AS SELECT i.id AS image_id, i.id - @first AS k,
         CASE WHEN ((i.id - @first) * 7919) % 100 < ${DEFECTIVE_PERCENT}
           THEN (SELECT id FROM base_defective WHERE k = (i.id - @first) % ${defective})
           ELSE (SELECT id FROM base_clean WHERE k = (i.id - @first) % ${clean}) END AS base_id
       FROM images i WHERE i.source_id = @source`,
    ).run({ first, source: sourceId })
    const insertRun = db.prepare(
      `INSERT INTO runs (source_id, model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, provider_used, app_version, ort_version, started_at_ms, finished_at_ms, status)
       SELECT ?, model_set_id, postprocess_json, gate_threshold, tta_json, provider_requested, provider_used, app_version, ort_version, ?, ?, 'done' FROM runs WHERE id = ?`,
    )
    const insertPredictions = db.prepare(
      `INSERT INTO predictions (run_id, image_id, image_sha256, gate_probability, gate_passed, class_stats_json, prob_maps, prob_maps_codec,
         prob_map_height, prob_map_width, prob_map_classes, created_at_ms, defect_area_px, class_mask)
       SELECT @run, i.id, i.sha256,
         CASE WHEN b.gate_passed = 1 THEN @gate + (1 - @gate) * (((pick.k * 31 + @r * 7) % 1000) / 1000.0)
              ELSE @gate * (((pick.k * 17 + @r * 13) % 1000) / 1000.0) END,
         b.gate_passed, b.class_stats_json, b.prob_maps, b.prob_maps_codec, b.prob_map_height, b.prob_map_width, b.prob_map_classes,
         @t0 + pick.k * 50, b.defect_area_px, b.class_mask
       FROM pick JOIN images i ON i.id = pick.image_id JOIN predictions b ON b.id = pick.base_id
       WHERE i.status = 'done' AND pick.k % @every = 0
       ORDER BY i.id`,
    )
    const insertMasks = db.prepare(
      `INSERT INTO masks (image_id, run_id, class_id, rle, origin, revision, created_at_ms)
       SELECT p.image_id, p.run_id, m.class_id, m.rle, 'model', @revision, p.created_at_ms
       FROM predictions p JOIN pick ON pick.image_id = p.image_id JOIN predictions b ON b.id = pick.base_id
         JOIN masks m ON m.run_id = b.run_id AND m.image_id = b.image_id AND m.origin = 'model'
       WHERE p.run_id = @run ORDER BY p.id, m.class_id`,
    )
    const day = 86_400_000
    ;[1, 3, 1].forEach((every, r) => {
      const t0 = 1_700_000_000_000 + r * day
      const run = Number(insertRun.run(sourceId, t0, t0 + images * 50, baseRun.id).lastInsertRowid)
      insertPredictions.run({ run, gate: baseRun.gate_threshold, r, t0, every })
      insertMasks.run({ run, revision: r + 1 })
    })
    db.prepare(
      `INSERT INTO reviews (image_id, status, author, note, created_at_ms)
       SELECT image_id, CASE k % 4 WHEN 2 THEN 'flagged' WHEN 3 THEN 'rejected' ELSE 'accepted' END, 'inspector-a',
         CASE k % 4 WHEN 2 THEN 'check the edge' ELSE '' END, 1700000500000 + k
       FROM pick WHERE k % 33 = 0 AND k % 200 NOT IN (7, 13) ORDER BY k`,
    ).run()
    db.exec(`INSERT INTO masks (image_id, run_id, class_id, rle, origin, revision, created_at_ms)
       SELECT image_id, NULL, 3, '1 100', 'human', 10, 1700000600000 + k FROM pick WHERE k % 301 = 0 AND k % 200 NOT IN (7, 13);
     INSERT INTO edits (image_id, class_id, before_rle, after_rle, mask_id, tool, author, created_at_ms)
       SELECT m.image_id, 3, '', '1 100', m.id, 'brush', 'inspector-a', m.created_at_ms
       FROM masks m WHERE m.origin = 'human' AND m.revision = 10 AND m.class_id = 3 AND m.image_id >= ${first};`)
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
}
