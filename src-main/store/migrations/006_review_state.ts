// Schema version 6: each image's review state kept on its row, so the Library can list the flagged,
// rejected, unreviewed or edited images of a million-image source along an index. The state is
// derived from the append-only logs and maintained by triggers: the status of the image's latest
// review, and a bit set of the classes whose current mask revision is a person's (a class handed
// back to the model clears its bit). Depends on schemas 1 and 2.
import type { Database } from 'better-sqlite3'

const COLUMNS = `
ALTER TABLE images ADD COLUMN review_status TEXT NOT NULL DEFAULT 'unreviewed'
  CHECK (review_status IN ('unreviewed', 'accepted', 'rejected', 'flagged'));
-- Bit (class_id - 1) is set when that class's current mask is a human one.
ALTER TABLE images ADD COLUMN edited_class_mask INTEGER NOT NULL DEFAULT 0;`

const INDEXES = `
CREATE INDEX images_by_review ON images (source_id, review_status, relative_path);
CREATE INDEX images_edited ON images (source_id, relative_path) WHERE edited_class_mask <> 0;`

const TRIGGERS = `
CREATE TRIGGER reviews_current_status AFTER INSERT ON reviews
  WHEN NEW.id = (SELECT max(id) FROM reviews WHERE image_id = NEW.image_id)
BEGIN
  UPDATE images SET review_status = NEW.status WHERE id = NEW.image_id;
END;
CREATE TRIGGER masks_edited_classes AFTER INSERT ON masks
  WHEN NEW.revision = (SELECT max(revision) FROM masks WHERE image_id = NEW.image_id AND class_id = NEW.class_id)
BEGIN
  UPDATE images SET edited_class_mask = CASE WHEN NEW.origin = 'human'
      THEN edited_class_mask | (1 << (NEW.class_id - 1))
      ELSE edited_class_mask & ~(1 << (NEW.class_id - 1)) END
    WHERE id = NEW.image_id;
END;`

const BACKFILL = `
UPDATE images SET review_status = latest.status
  FROM (SELECT r.image_id, r.status FROM reviews r WHERE r.id = (SELECT max(id) FROM reviews WHERE image_id = r.image_id)) AS latest
  WHERE images.id = latest.image_id;
UPDATE images SET edited_class_mask = human.bits
  FROM (SELECT m.image_id, sum(1 << (m.class_id - 1)) AS bits FROM masks m
        WHERE m.origin = 'human' AND m.revision = (SELECT max(revision) FROM masks WHERE image_id = m.image_id AND class_id = m.class_id)
        GROUP BY m.image_id) AS human
  WHERE images.id = human.image_id;`

export function up(db: Database): void {
  db.exec(COLUMNS)
  db.exec(BACKFILL)
  db.exec(INDEXES)
  db.exec(TRIGGERS)
}
